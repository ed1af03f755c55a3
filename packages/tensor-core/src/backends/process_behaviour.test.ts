import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// Each case is a user's program in a process of its own: what matters is how Node ends it.
const packageDir = fileURLToPath(new URL('../..', import.meta.url));
const inCI = process.env.CI === 'true';

function runProgram(source: string) {
  const child = spawnSync(process.execPath, ['--input-type=module', '-e', source], {
    cwd: packageDir,
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { status: child.status, stdout: child.stdout, stderr: child.stderr };
}

const start = (backend: string) =>
  `import { useBackend } from '@rnnkit/tensor-core'; const info = await useBackend('${backend}');`;

describe('a program that uses rnnkit keeps its own error handling', () => {
  for (const backend of ['wasm', 'auto', 'cpu']) {
    it(`an uncaught error after useBackend('${backend}') prints its stack and exits with code 1`, () => {
      const run = runProgram(
        `${start(backend)} setTimeout(() => { throw new Error('user error after start'); });`,
      );
      expect(run.status, run.stderr.slice(0, 2000)).toBe(1);
      expect(run.stderr).toMatch(/Error: user error after start\n\s+at /);
      // Emscripten's rethrowing handler printed ~38 KB of minified source before the error.
      expect(run.stderr.length).toBeLessThan(3000);
    });
  }

  it("an unhandled rejection after useBackend('wasm') is reported as Node reports it, with code 1", () => {
    const run = runProgram(`${start('wasm')} Promise.reject(new Error('rejected by the user'));`);
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/Error: rejected by the user/);
    expect(run.stderr.length).toBeLessThan(3000);
  });

  it("the program's own uncaughtException handler runs and decides the exit code", () => {
    const run = runProgram(
      `${start('wasm')} process.on('uncaughtException', (e) => { console.error('handled:', e.message); process.exit(3); }); throw new Error('late');`,
    );
    expect(run.stderr.trim()).toBe('handled: late');
    expect(run.status).toBe(3);
  });

  it('useBackend adds no process-wide listeners on any backend it starts', () => {
    const events = ['uncaughtException', 'unhandledRejection', 'SIGINT', 'SIGTERM'];
    const count = `JSON.stringify(${JSON.stringify(events)}.map((e) => process.listenerCount(e)))`;
    const run = runProgram(
      `import { useBackend } from '@rnnkit/tensor-core'; const before = ${count}; for (const b of ['cpu', 'wasm', 'webgpu']) await useBackend(b).catch(() => {}); await useBackend('auto'); console.log(before, ${count});`,
    );
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout.trim()).toBe('[0,0,0,0] [0,0,0,0]');
  });

  // Dawn writes its start-up warnings ("maxDynamic… artificially reduced") from native code to stderr.
  for (const backend of ['auto', 'webgpu']) {
    it(`stdout of a program that starts '${backend}' holds only what the program prints`, () => {
      const run = runProgram(`${start(backend)} console.log('result', info.name);`);
      if (!inCI && run.status !== 0) return;
      expect(run.status, run.stderr).toBe(0);
      expect(run.stdout).toMatch(/^result (webgpu|wasm|cpu)\n$/);
    });
  }

  it("a program that never calls useBackend runs on the cpu backend, without tfjs-backend-cpu's greeting", () => {
    const run = runProgram(
      "import '@rnnkit/tensor-core'; import * as tf from '@tensorflow/tfjs-core'; const sum = tf.add(tf.ones([2]), 1).dataSync().join(','); console.log(tf.getBackend(), sum);",
    );
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout).toBe('cpu 2,2\n');
    expect(run.stderr).toBe('');
  });

  it("useBackend('auto') passing over a software GPU leaves no WebGPU globals; 'webgpu' sets them", () => {
    const probe = (backend: string) =>
      runProgram(
        `delete process.env.XDG_RUNTIME_DIR; ${start(backend)} const gpuGlobals = Object.keys(globalThis).filter((k) => k.startsWith('GPU')).length; ` +
          "console.log(JSON.stringify({ name: info.name, software: info.adapter?.isSoftware ?? null, navigator: typeof navigator !== 'undefined' && Boolean(navigator.gpu), gpuGlobals, xdg: process.env.XDG_RUNTIME_DIR ?? null }));",
      );
    const auto = probe('auto');
    expect(auto.status, auto.stderr).toBe(0);
    const chosen = JSON.parse(auto.stdout) as {
      name: string;
      navigator: boolean;
      gpuGlobals: number;
      xdg: string | null;
    };
    if (chosen.name !== 'webgpu')
      expect(chosen).toMatchObject({ navigator: false, gpuGlobals: 0, xdg: null });
    const webgpu = probe('webgpu');
    if (!inCI && webgpu.status !== 0) return;
    expect(webgpu.status, webgpu.stderr).toBe(0);
    expect(JSON.parse(webgpu.stdout)).toMatchObject({ name: 'webgpu', navigator: true, xdg: '/tmp' });
    expect((JSON.parse(webgpu.stdout) as { gpuGlobals: number }).gpuGlobals).toBeGreaterThan(10);
  });
});
