import * as tf from '@tensorflow/tfjs-core';
import { checkOptions, optionKeys } from '@rnnkit/tensor-core';

import type { RecurrentLayer } from './recurrent_layer.js';

/**
 * Feeds a unidirectional layer a sequence chunk by chunk, carrying hN/cN between chunks, so the
 * concatenated outputs equal one pass over the whole sequence. Bidirectional layers cannot stream:
 * their reverse direction needs the end of the sequence first.
 */
const PUSH_OPTIONS = optionKeys<{ training?: boolean }>({ training: true });

export class RecurrentStream {
  private h: tf.Tensor | undefined;
  private c: tf.Tensor | undefined;

  constructor(private readonly layer: RecurrentLayer) {
    if (layer.bidirectional) {
      throw new Error(
        `${layer.className}.stream: a bidirectional layer cannot stream (the reverse direction needs the whole sequence)`,
      );
    }
  }

  /** Runs one chunk (the layer's forward layout) and returns its output; the caller owns it. */
  push(chunk: tf.Tensor, given?: { training?: boolean }): tf.Tensor {
    const options = checkOptions(`${this.layer.className}.stream().push`, given, PUSH_OPTIONS);
    const r = this.layer.forward(chunk, { h0: this.h, c0: this.c, training: options.training });
    this.h?.dispose();
    this.c?.dispose();
    this.h = tf.keep(r.hN);
    this.c = r.cN === undefined ? undefined : tf.keep(r.cN);
    return r.output;
  }

  /** The carried state after the last chunk (owned by the stream; clone to keep it). */
  get state(): { h: tf.Tensor | undefined; c: tf.Tensor | undefined } {
    return { h: this.h, c: this.c };
  }

  /** Starts a new sequence (zero state). */
  reset(): void {
    this.h?.dispose();
    this.c?.dispose();
    this.h = undefined;
    this.c = undefined;
  }

  dispose(): void {
    this.reset();
  }
}
