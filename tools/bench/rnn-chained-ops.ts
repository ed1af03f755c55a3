// tfjs-layers calls chained tensor methods (x.flatten(), x.add(y)…), which tfjs-core's Node entry does
// not register, and the ESM file that does uses extensionless imports Node cannot load. This adds them
// for the benchmark's baseline, from tfjs-core 4.22's list: x.op(...args) = tf.op(x, ...args), plus
// the few that differ. It patches only methods that are missing.
import * as tf from '@tensorflow/tfjs-core';

const CHAINED =
  'abs acos acosh add all any argMax argMin as1D as2D as3D as4D as5D asScalar asType asin asinh atan atan2 atanh avgPool batchNorm batchToSpaceND broadcastTo cast ceil clipByValue concat conv1d conv2d conv2dTranspose cos cosh cumprod cumsum depthToSpace depthwiseConv2d dilation2d div divNoNan dot elu equal erf euclideanNorm exp expandDims expm1 fft flatten floor floorDiv gather greater greaterEqual ifft irfft isFinite isInf isNaN leakyRelu less lessEqual localResponseNormalization log log1p logSigmoid logSoftmax logSumExp logicalAnd logicalNot logicalOr logicalXor matMul max maxPool maximum mean min minimum mirrorPad mod mul neg norm notEqual oneHot onesLike pad pool pow prelu prod reciprocal relu relu6 reshape reshapeAs resizeBilinear resizeNearestNeighbor reverse rfft round rsqrt selu separableConv2d sigmoid sign sin sinh slice softmax softplus spaceToBatchND split sqrt square squaredDifference squeeze stack step stridedSlice sub sum tan tanh tile toBool toFloat toInt topk transpose unique unsortedSegmentSum unstack where zerosLike '
    .trim()
    .split(' ');

type Op = (...args: unknown[]) => unknown;
const ops = tf as unknown as Record<string, Op>;
const list = (x: unknown): tf.Tensor[] => (Array.isArray(x) ? x : [x]) as tf.Tensor[];

const SPECIAL: Record<string, (t: tf.Tensor, ...args: never[]) => unknown> = {
  flatten: (t) => tf.reshape(t, [t.size]),
  as1D: (t) => tf.reshape(t, [t.size]),
  as2D: (t, ...s: number[]) => tf.reshape(t, s),
  as3D: (t, ...s: number[]) => tf.reshape(t, s),
  as4D: (t, ...s: number[]) => tf.reshape(t, s),
  as5D: (t, ...s: number[]) => tf.reshape(t, s),
  asScalar: (t) => tf.reshape(t, []),
  asType: (t, dtype: tf.DataType) => tf.cast(t, dtype),
  toBool: (t) => tf.cast(t, 'bool'),
  toFloat: (t) => tf.cast(t, 'float32'),
  toInt: (t) => tf.cast(t, 'int32'),
  reshapeAs: (t, x: tf.Tensor) => tf.reshape(t, x.shape),
  concat: (t, x: tf.Tensor | tf.Tensor[], axis: number) => tf.concat([t, ...list(x)], axis),
  stack: (t, x: tf.Tensor | tf.Tensor[], axis: number) => tf.stack([t, ...list(x)], axis),
  where: (t, condition: tf.Tensor, x: tf.Tensor) => tf.where(condition, t, x),
};

export function registerChainedOps(): number {
  const proto = tf.Tensor.prototype as unknown as Record<string, unknown>;
  let added = 0;
  for (const name of CHAINED) {
    if (typeof proto[name] === 'function') continue;
    const special = SPECIAL[name] as ((t: tf.Tensor, ...args: unknown[]) => unknown) | undefined;
    const op = ops[name];
    if (special)
      proto[name] = function (this: tf.Tensor, ...args: unknown[]) {
        return special(this, ...args);
      };
    else if (typeof op === 'function')
      proto[name] = function (this: tf.Tensor, ...args: unknown[]) {
        return op(this, ...args);
      };
    else continue;
    added++;
  }
  return added;
}
