/// <reference types="@webgpu/types" />

// Diagnostics for the fused WGSL recurrences: the GPU time of each compute pass they encode (one per
// kernel call, a dispatch per step), from timestamp queries. tfjs's own `tf.time()` only times the
// programs it runs itself. Off unless started; needs the device feature 'timestamp-query' (tfjs
// requests it where the adapter has it), else nothing is recorded.

export interface RecurrencePassTiming {
  /** Which kernel's pass: `rnnkit-lstm-forward`, `rnnkit-gru-backward`, … */
  pass: string;
  /** Dispatches in the pass (time steps). */
  steps: number;
  /** GPU time from the pass's first to its last timestamp, ms. */
  gpuMs: number;
}

let pending: Array<() => Promise<RecurrencePassTiming>> | null = null;

/** Starts recording the GPU time of every fused recurrence pass. */
export function startRecurrencePassTiming(): void {
  pending = [];
}

/** Stops recording and returns the passes recorded since the start (after their work has finished). */
export async function stopRecurrencePassTiming(): Promise<RecurrencePassTiming[]> {
  const reads = pending ?? [];
  pending = null;
  return Promise.all(reads.map((read) => read()));
}

/**
 * Timestamp writes for one pass while recording (undefined otherwise); call `resolve` on the same
 * encoder after the pass ends. The read-back is deferred until stopRecurrencePassTiming, when the
 * command buffer has been submitted.
 */
export function passTiming(
  device: GPUDevice,
  pass: string,
  steps: number,
): { timestampWrites: GPUComputePassTimestampWrites; resolve(encoder: GPUCommandEncoder): void } | undefined {
  if (!pending || !device.features.has('timestamp-query')) return undefined;
  const querySet = device.createQuerySet({ type: 'timestamp', count: 2 });
  const resolved = device.createBuffer({
    size: 16,
    usage: GPUBufferUsage.QUERY_RESOLVE | GPUBufferUsage.COPY_SRC,
  });
  const readable = device.createBuffer({
    size: 16,
    usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST,
  });
  const reads = pending;
  return {
    timestampWrites: { querySet, beginningOfPassWriteIndex: 0, endOfPassWriteIndex: 1 },
    resolve(encoder) {
      encoder.resolveQuerySet(querySet, 0, 2, resolved, 0);
      encoder.copyBufferToBuffer(resolved, 0, readable, 0, 16);
      reads.push(async () => {
        await readable.mapAsync(GPUMapMode.READ);
        const [begin, end] = new BigUint64Array(readable.getMappedRange().slice(0));
        readable.unmap();
        [readable, resolved].forEach((b) => b.destroy());
        querySet.destroy();
        return { pass, steps, gpuMs: Number(end! - begin!) / 1e6 };
      });
    },
  };
}
