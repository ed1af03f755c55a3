/** Thrown by `expectNoTensorLeak` when a function leaves tensors behind. */
export class TensorLeakError extends Error {
  override readonly name = 'TensorLeakError';

  constructor(
    readonly leaked: number,
    label: string,
  ) {
    super(
      `${label} leaked ${leaked} tensor${leaked === 1 ? '' : 's'} (tf.memory().numTensors grew by ${leaked})`,
    );
  }
}
