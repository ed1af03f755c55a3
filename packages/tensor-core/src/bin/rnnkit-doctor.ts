import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';

import type { BackendStatus } from '../backends/list_backends.js';

const USAGE = `Usage: rnnkit-doctor [--json]

Lists rnnkit's backends (cpu, wasm, webgpu, tensorflow), whether each works on this machine,
and for those that do not, why and how to fix it.

  --json   one JSON document on stdout instead of a table
  --help   this text`;

function describeStatus(s: BackendStatus): string {
  if (!s.available) return `unavailable: ${s.reason}\n${' '.repeat(14)}fix: ${s.fix}`;
  const info = s.info;
  if (info === undefined)
    throw new Error(`rnnkit-doctor: backend ${s.name} is available but reported no info`);
  const details = [`v${info.versions.backend}`];
  if (info.adapter) {
    const a = info.adapter;
    details.push(
      `adapter ${[a.vendor, a.architecture, a.device, a.description].filter(Boolean).join(' / ')}${a.isSoftware ? ' (software)' : ''}`,
    );
  }
  if (info.wasm)
    details.push(
      `${info.wasm.threads} thread${info.wasm.threads === 1 ? '' : 's'}, SIMD ${info.wasm.simd ? 'on' : 'off'}`,
    );
  if (info.tensorflow) details.push(info.tensorflow.package);
  return `available   ${details.join(', ')}`;
}

/**
 * Probes the backends in a child process whose stdout goes to our stderr: Dawn (the webgpu
 * package) prints its warnings straight to the C stdout, which would corrupt `--json` output.
 */
function probeInChild(): Promise<BackendStatus[]> {
  const probe = fileURLToPath(new URL('./probe_backends.js', import.meta.url));
  return new Promise((resolve, reject) => {
    const child = fork(probe, [], { stdio: ['ignore', 2, 'inherit', 'ipc'] });
    let result: BackendStatus[] | undefined;
    child.on('message', (message) => {
      result = message as BackendStatus[];
    });
    child.on('error', reject);
    child.on('exit', (code) => {
      if (result) resolve(result);
      else reject(new Error(`rnnkit-doctor: the backend probe exited with code ${code} before reporting`));
    });
  });
}

/** Runs the doctor; resolves to the process exit code. */
export async function main(args: string[]): Promise<number> {
  const unknown = args.filter((a) => a !== '--json' && a !== '--help' && a !== '-h');
  if (args.includes('--help') || args.includes('-h')) {
    console.log(USAGE);
    return 0;
  }
  if (unknown.length > 0) {
    console.error(`rnnkit-doctor: unknown argument ${unknown.map((a) => `'${a}'`).join(', ')}\n\n${USAGE}`);
    return 2;
  }
  const backends = await probeInChild();
  if (args.includes('--json')) {
    console.log(
      JSON.stringify(
        { node: process.version, platform: `${process.platform}-${process.arch}`, backends },
        null,
        2,
      ),
    );
  } else {
    console.log(`rnnkit-doctor (Node ${process.version}, ${process.platform}-${process.arch})\n`);
    for (const s of backends) console.log(`${s.name.padEnd(12)}  ${describeStatus(s)}`);
    const best =
      backends.find(
        (s) => s.available && s.name !== 'cpu' && s.name !== 'wasm' && !s.info?.adapter?.isSoftware,
      ) ?? backends.find((s) => s.name === 'wasm' && s.available);
    if (best) console.log(`\nuseBackend('auto') picks ${best.name}.`);
  }
  return 0;
}
