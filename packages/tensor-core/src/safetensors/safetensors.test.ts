import * as tf from '@tensorflow/tfjs-core';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

import { describeWithBackends, expectArraysClose } from '../testing/index.js';
import { readSafetensors, readSafetensorsHeader } from './read_safetensors.js';
import { writeSafetensors } from './write_safetensors.js';

const fixtureBytes = new Uint8Array(
  readFileSync(new URL('../__fixtures__/torch_tensors.safetensors', import.meta.url)),
);
const expected: Record<string, { dtype: string; shape: number[]; values: number[] }> & {
  _conversions: { source: number[]; f16_bits: number[]; bf16_bits: number[] };
} = JSON.parse(
  readFileSync(new URL('../__fixtures__/torch_tensors.json', import.meta.url), 'utf8'),
  (_, v) => (v === 'Infinity' || v === '-Infinity' || v === 'NaN' ? Number(v) : v),
);
const tensorNames = Object.keys(expected).filter((k) => !k.startsWith('_'));

/** Builds a file from a header object and a data section, for the corruption tests. */
function craft(header: unknown, data = new Uint8Array(0), lengthOverride?: number): Uint8Array {
  const json = new TextEncoder().encode(JSON.stringify(header));
  const out = new Uint8Array(8 + json.byteLength + data.byteLength);
  new DataView(out.buffer).setUint32(0, lengthOverride ?? json.byteLength, true);
  out.set(json, 8);
  out.set(data, 8 + json.byteLength);
  return out;
}

// The tests below loop over the fixture's own names and values: an emptied fixture would make them pass.
it('torch_tensors.json has the 9 tensors and 12 conversion values tools/fixtures/tensor_core.py writes', () => {
  expect(tensorNames).toHaveLength(9);
  expect(expected._conversions.source).toHaveLength(12);
});

describeWithBackends('safetensors', () => {
  it('reads a file written from PyTorch tensors, every dtype exactly', async () => {
    const tensors = readSafetensors(fixtureBytes);
    expect(Object.keys(tensors).sort()).toEqual([...tensorNames].sort());
    for (const name of tensorNames) {
      const t = tensors[name]!;
      expect(t.shape).toEqual(expected[name]!.shape);
      expect(t.dtype).toBe(
        expected[name]!.dtype === 'BOOL'
          ? 'bool'
          : expected[name]!.dtype.startsWith('I')
            ? 'int32'
            : 'float32',
      );
      // float32 holds every F16 and BF16 value exactly, so these compare with zero tolerance.
      expectArraysClose(await t.data(), expected[name]!.values, { atol: 0 });
    }
    expect(readSafetensorsHeader(fixtureBytes).metadata).toEqual({ format: 'pt' });
    tf.dispose(tensors);
  });

  it('round-trips tensors, dtypes and metadata', async () => {
    const original = readSafetensors(fixtureBytes);
    const dtypes = Object.fromEntries(tensorNames.map((n) => [n, expected[n]!.dtype])) as Record<
      string,
      never
    >;
    const bytes = await writeSafetensors(original, {
      metadata: { format: 'pt', note: 'round trip' },
      dtypes,
    });
    const header = readSafetensorsHeader(bytes);
    expect(header.metadata).toEqual({ format: 'pt', note: 'round trip' });
    expect(header.dataStart % 8).toBe(0);
    const again = readSafetensors(bytes);
    for (const name of tensorNames) {
      expect(header.tensors[name]!.dtype).toBe(expected[name]!.dtype);
      expect(again[name]!.shape).toEqual(original[name]!.shape);
      expectArraysClose(await again[name]!.data(), await original[name]!.data(), { atol: 0 });
    }
    tf.dispose([original, again]);
  });
});

describe('writeSafetensors', () => {
  it('converts float32 to F16 and BF16 exactly as torch does', async () => {
    const { source, f16_bits, bf16_bits } = expected._conversions;
    const x = tf.tensor1d(source);
    const bytes = await writeSafetensors({ h: x, b: x }, { dtypes: { h: 'F16', b: 'BF16' } });
    const header = readSafetensorsHeader(bytes);
    const bits = (name: string) => {
      const [begin, end] = header.tensors[name]!.dataOffsets;
      const view = new DataView(bytes.buffer, header.dataStart + begin, end - begin);
      return Array.from({ length: (end - begin) / 2 }, (_, i) => view.getUint16(2 * i, true));
    };
    expect(bits('h')).toEqual(f16_bits);
    expect(bits('b')).toEqual(bf16_bits);
    x.dispose();
  });

  it('names the tensor and option at fault', async () => {
    const x = tf.tensor1d([1.5]);
    const ids = tf.tensor1d([300], 'int32');
    await expect(writeSafetensors({ x }, { dtypes: { x: 'I32' } })).rejects.toThrow(
      "writeSafetensors: tensors['x'] is float32 but options.dtypes asks for I32",
    );
    await expect(writeSafetensors({ x }, { dtypes: { y: 'F16' } })).rejects.toThrow(
      "writeSafetensors: options.dtypes names 'y', which is not among the tensors",
    );
    await expect(writeSafetensors({ ids }, { dtypes: { ids: 'U8' } })).rejects.toThrow(
      "writeSafetensors: tensors['ids'][0] = 300 does not fit U8",
    );
    await expect(writeSafetensors({ x: [1] as never })).rejects.toThrow(
      "writeSafetensors: tensors['x'] is not a Tensor",
    );
    tf.dispose([x, ids]);
  });
});

describe('readSafetensors on bad input', () => {
  it('rejects every truncation of a real file and creates no tensors', () => {
    const before = tf.memory().numTensors;
    for (let length = 0; length < fixtureBytes.byteLength; length++) {
      expect(() => readSafetensors(fixtureBytes.subarray(0, length)), `length ${length}`).toThrow(
        /^readSafetensors: /,
      );
    }
    expect(tf.memory().numTensors).toBe(before);
  });

  it('explains what is wrong with a corrupt header', () => {
    const f32 = (n: number) => new Uint8Array(4 * n);
    const cases: [Uint8Array, RegExp][] = [
      [new Uint8Array(3), /file is 3 bytes, shorter than the 8-byte header length/],
      [craft({}, undefined, 1e6), /truncated: header says 1000000 header bytes but only 2 follow/],
      [craft([1, 2]), /header must be a JSON object/],
      [Uint8Array.from([4, 0, 0, 0, 0, 0, 0, 0, 123, 34, 255, 125]), /header is not valid UTF-8 JSON/],
      [
        craft({ a: { dtype: 'F8', shape: [1], data_offsets: [0, 1] } }, new Uint8Array(1)),
        /tensor 'a': unsupported dtype "F8"; supported: F64, F32/,
      ],
      [
        craft({ a: { dtype: 'F32', shape: [-1], data_offsets: [0, 4] } }, f32(1)),
        /tensor 'a': shape must be an array of non-negative integers, got \[-1\]/,
      ],
      [
        craft({ a: { dtype: 'F32', shape: [2], data_offsets: [0, 4] } }, f32(1)),
        /tensor 'a': F32\[2\] needs 8 bytes but data_offsets span 4/,
      ],
      [
        craft({ a: { dtype: 'F32', shape: [2], data_offsets: [4, 0] } }, f32(2)),
        /tensor 'a': data_offsets must be \[begin, end\]/,
      ],
      [
        craft({ a: { dtype: 'F32', shape: [2], data_offsets: [0, 8] } }, f32(1)),
        /truncated: tensor 'a' ends at data byte 8 but the data section has 4 bytes/,
      ],
      [
        craft(
          {
            a: { dtype: 'F32', shape: [1], data_offsets: [0, 4] },
            b: { dtype: 'F32', shape: [1], data_offsets: [0, 4] },
          },
          f32(2),
        ),
        /tensor '[ab]' starts at data byte 0, expected 4 \(gap or overlap/,
      ],
      [
        craft({ a: { dtype: 'F32', shape: [1], data_offsets: [0, 4] } }, f32(2)),
        /data section has 8 bytes but the tensors cover 4/,
      ],
      [craft({ __metadata__: { n: 1 } }), /__metadata__ must be an object of strings/],
      [
        craft(
          { a: { dtype: 'I64', shape: [1], data_offsets: [0, 8] } },
          Uint8Array.from([0, 0, 0, 0, 1, 0, 0, 0]),
        ),
        /tensor 'a': I64 value 4294967296 at index 0 does not fit tfjs's int32/,
      ],
    ];
    const before = tf.memory().numTensors;
    for (const [bytes, message] of cases) expect(() => readSafetensors(bytes)).toThrow(message);
    expect(() => readSafetensors('nope' as never)).toThrow(
      /bytes must be a Uint8Array or ArrayBuffer, got \[object String\]/,
    );
    expect(tf.memory().numTensors).toBe(before);
  });
});
