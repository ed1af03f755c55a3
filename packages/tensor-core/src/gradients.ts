// Registers tfjs-core's gradient functions, which its Node entry leaves out; without them every
// tf.grad fails with "gradient function not found". See scripts/bundle-gradients.mjs.
import '#tfjs-gradients';
