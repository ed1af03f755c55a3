import * as tf from '@tensorflow/tfjs-core';
import { afterAll, describe, expect, it } from 'vitest';

import { availableBackends } from '../testing/index.js';
import { BACKEND_NAMES, parseBackendRequest } from './backend_name.js';
import { BackendUnavailableError } from './backend_unavailable_error.js';
import { describeBackend } from './backend_info.js';
import { listBackends } from './list_backends.js';
import { isInstalled } from './runtime.js';
import { tryUseBackend, useBackend } from './use_backend.js';

const tfjsNodeInstalled = () =>
  isInstalled('@tensorflow/tfjs-node') || isInstalled('@tensorflow/tfjs-node-gpu');

describe('useBackend', () => {
  afterAll(() => useBackend('cpu'));

  it('rejects an unknown name and lists the valid ones', async () => {
    await expect(useBackend('cuda')).rejects.toThrow(
      /backend: unknown backend "cuda"; expected one of 'auto', 'cpu', 'wasm', 'webgpu', 'tensorflow'/,
    );
    expect(() => parseBackendRequest(42, 'options.backend')).toThrow(/^options\.backend: unknown backend 42/);
  });

  it('activates and describes each available backend', async () => {
    for (const name of availableBackends()) {
      const info = await useBackend(name);
      expect(tf.getBackend()).toBe(name);
      expect(info.name).toBe(name);
      expect(info.versions.tfjsCore).toBe('4.22.0');
      expect(info.versions.backend).toBe('4.22.0');
      expect(await describeBackend()).toEqual(info);
      if (name === 'wasm') {
        expect(info.wasm?.threads).toBeGreaterThanOrEqual(1);
        expect(typeof info.wasm?.simd).toBe('boolean');
      }
      if (name === 'webgpu') {
        expect(info.adapter?.vendor).toBeTruthy();
        expect(typeof info.adapter?.isSoftware).toBe('boolean');
      }
      // A real computation, so a backend that only pretends to initialise fails here.
      const y = tf.matMul(tf.tensor2d([[1, 2]]), tf.tensor2d([[3], [4]]));
      expect(Array.from(await y.data())).toEqual([11]);
      tf.dispose(y);
    }
  });

  it("'auto' picks the first available of tensorflow, webgpu (not on a software adapter), wasm, cpu", async () => {
    const available = availableBackends();
    const softwareGpu =
      available.includes('webgpu') && (await useBackend('webgpu')).adapter?.isSoftware === true;
    const expected = ['tensorflow', 'webgpu', 'wasm', 'cpu'].find(
      (b) => available.includes(b as never) && !(b === 'webgpu' && softwareGpu),
    );
    expect((await useBackend('auto')).name).toBe(expected);
    expect((await useBackend()).name).toBe(expected);
  });

  it.skipIf(tfjsNodeInstalled())('explains how to get the tensorflow backend when it is absent', async () => {
    const error = await tryUseBackend('tensorflow');
    expect(error).toBeInstanceOf(BackendUnavailableError);
    const e = error as BackendUnavailableError;
    expect(e.reason).toMatch(/@tensorflow\/tfjs-node-gpu is not installed/);
    expect(e.fix).toMatch(/npm install @tensorflow\/tfjs-node-gpu@4\.22\.0/);
    expect(e.fix).toMatch(/CUDA 11/);
    expect(e.fix).toMatch(/downloads libtensorflow/);
    await expect(useBackend('tensorflow')).rejects.toThrow(/backend 'tensorflow' is unavailable/);
  });

  it('lists every backend with a reason for each unavailable one, keeping the active backend', async () => {
    await useBackend('cpu');
    const statuses = await listBackends();
    expect(statuses.map((s) => s.name)).toEqual([...BACKEND_NAMES]);
    for (const s of statuses) {
      if (s.available) expect(s.info?.name).toBe(s.name);
      else expect(s.reason && s.fix).toBeTruthy();
    }
    expect(statuses.find((s) => s.name === 'cpu')?.available).toBe(true);
    expect(tf.getBackend()).toBe('cpu');
  });
});
