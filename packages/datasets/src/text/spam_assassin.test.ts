import { describe, expect, it } from 'vitest';
import { importOptional } from '../io/optional_import.js';
import { encodeTexts } from './encode.js';
import { loadSpamAssassin, stripEmailHeaders } from './spam_assassin.js';

describe('loadSpamAssassin', () => {
  it('loads all 6,046 emails into a stratified, disjoint, reproducible split', async () => {
    const s = await loadSpamAssassin({ seed: 1 });
    const all = [...s.train, ...s.validation, ...s.test];
    expect(all).toHaveLength(6046);
    expect(all.filter((e) => e.label === 1)).toHaveLength(1896);
    expect(new Set(all.map((e) => e.id)).size).toBe(6046);
    // 10% of each class, rounded: spam 190 of 1896, ham 415 of 4150.
    expect(s.test.filter((e) => e.label === 1)).toHaveLength(190);
    expect(s.test.filter((e) => e.label === 0)).toHaveLength(415);
    const again = await loadSpamAssassin({ seed: 1 });
    expect(again.test.map((e) => e.id)).toEqual(s.test.map((e) => e.id));
    const other = await loadSpamAssassin({ seed: 2 });
    expect(other.test.map((e) => e.id)).not.toEqual(s.test.map((e) => e.id));
  });

  it('strips headers by default and keeps them on request', async () => {
    const stripped = await loadSpamAssassin({ groups: ['spam-1'], test: 0, validation: 0 });
    const kept = await loadSpamAssassin({ groups: ['spam-1'], headers: 'keep', test: 0, validation: 0 });
    expect(stripped.train).toHaveLength(500);
    const a = kept.train[0]!;
    const b = stripped.train.find((e) => e.id === a.id)!;
    expect(a.text).toMatch(/^From /);
    expect(a.text).toMatch(/\nSubject: /);
    expect(b.text.length).toBeLessThan(a.text.length);
    expect(a.text.endsWith(b.text)).toBe(true);
    expect(b.text).not.toMatch(/^(Return-Path|Received|Subject):/m);
  });

  it('hands texts to any encoder function', async () => {
    const s = await loadSpamAssassin({ groups: ['hard-ham-1'], test: 0, validation: 0 });
    const encoded = encodeTexts(s.train.slice(0, 3), (t) => [...t].slice(0, 5).map((c) => c.charCodeAt(0)), {
      maxLength: 3,
    });
    expect(encoded.map((e) => e.ids.length)).toEqual([3, 3, 3]);
    expect(encoded[0]!.label).toBe(0);
  });
});

describe('stripEmailHeaders', () => {
  it('keeps what follows the first blank line', () => {
    expect(stripEmailHeaders('From: a\r\nSubject: b\r\n\r\nHello\n\nWorld')).toBe('Hello\n\nWorld');
    expect(stripEmailHeaders('no headers here')).toBe('no headers here');
  });
});

describe('importOptional', () => {
  it('says how to install a missing optional package', async () => {
    await expect(
      importOptional(
        'loadThing',
        '@rnnkit/not-a-real-package',
        () => import('@rnnkit/not-a-real-package' as string),
        '5 MB',
      ),
    ).rejects.toThrow(
      'loadThing: the optional package @rnnkit/not-a-real-package is not installed; install it with `npm install @rnnkit/not-a-real-package` (5 MB)',
    );
    await expect(importOptional('f', 'p', () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
  });
});
