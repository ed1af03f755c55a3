import * as tf from '@tensorflow/tfjs-core';

/**
 * Rows of `table` [vocab, dim] for int32 `ids` [n], with nn.Embedding(padding_idx)'s gradient: a
 * scatter-add (tfjs's gather gradient needs UnsortedSegmentSum, which the wasm backend lacks) that
 * leaves the padding row's gradient at zero.
 */
export function embeddingLookup(table: tf.Tensor2D, ids: tf.Tensor1D, paddingId: number | null): tf.Tensor2D {
  const lookup = tf.customGrad((...args: Array<tf.Tensor | tf.GradSaveFunc>) => {
    const [t, i, save] = args as [tf.Tensor, tf.Tensor, tf.GradSaveFunc];
    save([i]);
    return {
      value: tf.gather(t, i),
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const [idx] = saved as [tf.Tensor];
        const kept =
          paddingId === null
            ? dy
            : tf.mul(dy, tf.expandDims(tf.cast(tf.notEqual(idx, paddingId), 'float32'), 1));
        return [tf.scatterND(tf.expandDims(idx, 1), kept, t.shape), tf.zerosLike(idx)];
      },
    };
  });
  return lookup(table, ids) as tf.Tensor2D;
}

/** Backends whose tensors the host reads synchronously, so ids can be range-checked without a stall. */
const HOST_READABLE = new Set(['cpu', 'wasm']);

/**
 * Checks token ids [batch, len] (int32). The vocabulary range is checked on cpu and wasm (a cheap host
 * read); elsewhere it would cost a device round-trip per call, so, as in rnn-layers' Embedding, it is not.
 */
export function checkTokenIds(fn: string, name: string, ids: tf.Tensor, vocabSize: number): void {
  if (!(ids instanceof tf.Tensor) || ids.rank !== 2)
    throw new Error(`${fn}: ${name} must be a [batch, length] int32 tensor`);
  if (ids.dtype !== 'int32') throw new Error(`${fn}: ${name} must be int32, got ${ids.dtype}`);
  if (ids.shape[1] === 0) throw new Error(`${fn}: ${name} has length 0`);
  if (!HOST_READABLE.has(tf.getBackend())) return;
  const width = ids.shape[1] as number;
  const values = ids.dataSync();
  for (let i = 0; i < values.length; i++) {
    const v = values[i] as number;
    if (v < 0 || v >= vocabSize) {
      const [b, t] = [Math.floor(i / width), i % width];
      throw new Error(`${fn}: ${name}[${b}][${t}] = ${v} is outside the vocabulary [0, ${vocabSize})`);
    }
  }
}
