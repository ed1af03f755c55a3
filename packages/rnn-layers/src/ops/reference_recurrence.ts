import * as tf from '@tensorflow/tfjs-core';

import type { CellKind } from './cell_kind.js';

/**
 * Reverses each sequence of a time-major [time, batch, features] tensor within its own length
 * (positions past the length stay put): tf.reverse when all are full, else a batched 0/1
 * permutation matmul, which every backend differentiates (unlike gather on some).
 */
export function reverseWithinLengths(t: tf.Tensor, lengths: readonly number[] | tf.Tensor): tf.Tensor {
  if (Array.isArray(lengths) && lengths.length === 0) return tf.reverse(t, 0);
  return tf.tidy(() => {
    const [time, batch] = t.shape as [number, number, number];
    let p: tf.Tensor;
    if (Array.isArray(lengths)) {
      const perm = new Float32Array(batch * time * time);
      for (let b = 0; b < batch; b++) {
        for (let s = 0; s < time; s++)
          perm[(b * time + s) * time + (s < lengths[b]! ? lengths[b]! - 1 - s : s)] = 1;
      }
      p = tf.tensor3d(perm, [batch, time, time]);
    } else {
      // The same permutation built on the device from float lengths: p[b, s, t] = 1 where
      // (s < L_b and t = L_b - 1 - s) or (s >= L_b and t = s).
      const len = tf.reshape(lengths, [batch, 1, 1]);
      const s = tf.reshape(tf.range(0, time, 1, 'float32'), [1, time, 1]);
      const tIdx = tf.reshape(tf.range(0, time, 1, 'float32'), [1, 1, time]);
      const inside = tf.less(s, len);
      const mirrored = tf.logicalAnd(inside, tf.equal(tIdx, tf.sub(tf.sub(len, 1), s)));
      const kept = tf.logicalAnd(tf.logicalNot(inside), tf.equal(tIdx, s));
      p = tf.cast(tf.logicalOr(mirrored, kept), 'float32');
    }
    return tf.transpose(tf.matMul(p, tf.transpose(t, [1, 0, 2])), [1, 0, 2]);
  });
}

/**
 * The recurrence composed of tfjs-core ops: the correctness oracle for the fused kernels and the
 * fallback (differentiated by autodiff) on backends without one. xp is [time*batch, gates*H].
 */
export function referenceRecurrence(
  cell: CellKind,
  xp: tf.Tensor,
  weightHh: tf.Tensor,
  biasHh: tf.Tensor | undefined,
  h0: tf.Tensor,
  c0: tf.Tensor | undefined,
  time: number,
  lengths: readonly number[] | tf.Tensor,
  reverse: boolean,
): { output: tf.Tensor; hN: tf.Tensor; cN?: tf.Tensor } {
  return tf.tidy(() => {
    const batch = h0.shape[0]!;
    let xs = tf.reshape(xp, [time, batch, xp.shape[1]!]);
    if (reverse) xs = reverseWithinLengths(xs, lengths);
    // Slices, not tf.unstack: Unpack's gradient breaks for a single step.
    const steps = Array.from({ length: time }, (_, s) =>
      tf.reshape(tf.slice(xs, [s, 0, 0], [1, batch, xs.shape[2]!]), [batch, xs.shape[2]!]),
    );
    let h = h0;
    let c = c0;
    const outputs: tf.Tensor[] = [];
    for (let s = 0; s < time; s++) {
      const x = steps[s]!;
      let rec = tf.matMul(h, weightHh, false, true);
      let hNew: tf.Tensor;
      let cNew: tf.Tensor | undefined;
      if (cell === 'lstm') {
        const [xi, xf, xg, xo] = tf.split(tf.add(x, rec), 4, 1) as [
          tf.Tensor,
          tf.Tensor,
          tf.Tensor,
          tf.Tensor,
        ];
        cNew = tf.add(tf.mul(tf.sigmoid(xf), c!), tf.mul(tf.sigmoid(xi), tf.tanh(xg)));
        hNew = tf.mul(tf.sigmoid(xo), tf.tanh(cNew));
      } else if (cell === 'gru') {
        if (biasHh !== undefined) rec = tf.add(rec, biasHh);
        const [xr, xz, xn] = tf.split(x, 3, 1) as [tf.Tensor, tf.Tensor, tf.Tensor];
        const [hr, hz, hn] = tf.split(rec, 3, 1) as [tf.Tensor, tf.Tensor, tf.Tensor];
        const r = tf.sigmoid(tf.add(xr, hr));
        const z = tf.sigmoid(tf.add(xz, hz));
        const n = tf.tanh(tf.add(xn, tf.mul(r, hn)));
        hNew = tf.add(tf.mul(tf.sub(1, z), n), tf.mul(z, h));
      } else {
        const pre = tf.add(x, rec);
        hNew = cell === 'rnn_relu' ? tf.relu(pre) : tf.tanh(pre);
      }
      if (Array.isArray(lengths) && lengths.length === 0) {
        h = hNew;
        c = cNew;
        outputs.push(hNew);
      } else {
        // Sequences that have ended keep their state and emit zeros.
        const active = Array.isArray(lengths)
          ? tf.tensor2d(
              lengths.map((len) => (s < len ? 1 : 0)),
              [batch, 1],
            )
          : tf.reshape(tf.cast(tf.greater(lengths as tf.Tensor, s), 'float32'), [batch, 1]);
        const held = tf.sub(1, active);
        h = tf.add(tf.mul(active, hNew), tf.mul(held, h));
        if (cNew !== undefined) c = tf.add(tf.mul(active, cNew), tf.mul(held, c!));
        outputs.push(tf.mul(active, hNew));
      }
    }
    let output = tf.stack(outputs);
    if (reverse) output = reverseWithinLengths(output, lengths);
    return cell === 'lstm' ? { output, hN: h, cN: c! } : { output, hN: h };
  });
}
