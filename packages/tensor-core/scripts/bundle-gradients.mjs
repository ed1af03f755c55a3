// tfjs-core's Node entry (dist/tf-core.node.js) registers no gradients, and its ESM files use
// extensionless imports that Node cannot load. Bundle the gradient registrations into one ESM file;
// the gradient registry and the engine are process-wide globals, so these registrations serve every
// copy of tfjs-core in the process. Browsers and bundlers import tfjs-core's own file instead
// (see "imports" in package.json).
import { build } from 'esbuild';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const entry = require.resolve('@tensorflow/tfjs-core/dist/register_all_gradients.js');

await build({
  entryPoints: [entry],
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  minify: true,
  legalComments: 'inline',
  outfile: 'dist/vendor/tfjs-gradients.js',
  logLevel: 'warning',
});
