import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadLJSpeech } from './ljspeech.js';
import { readAudioBytes } from './speech_example.js';
import { loadSpeechManifest } from './speech_manifest.js';

const esc = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const RIFF = Buffer.from('RIFF\x24\x00\x00\x00WAVE', 'latin1');

function corpus() {
  const dir = mkdtempSync(join(tmpdir(), 'rnnkit-speech-'));
  mkdirSync(join(dir, 'clips'));
  writeFileSync(join(dir, 'clips', 'a.wav'), RIFF);
  writeFileSync(join(dir, 'clips', 'b.wav'), RIFF);
  return dir;
}

describe('loadSpeechManifest', () => {
  it('resolves audio paths against the manifest folder and keeps text, id and duration', async () => {
    const dir = corpus();
    const manifest = join(dir, 'train.jsonl');
    writeFileSync(
      manifest,
      [
        JSON.stringify({ audio: 'clips/a.wav', text: 'one two three', duration: 1.5 }),
        '',
        JSON.stringify({ audio: join(dir, 'clips', 'b.wav'), text: 'four', id: 'b' }),
      ].join('\n'),
    );
    const examples = await loadSpeechManifest(manifest);
    expect(examples).toEqual([
      {
        id: 'clips/a.wav',
        audioPath: join(dir, 'clips', 'a.wav'),
        text: 'one two three',
        duration: 1.5,
        line: 1,
      },
      { id: 'b', audioPath: join(dir, 'clips', 'b.wav'), text: 'four', line: 3 },
    ]);
    expect(
      Buffer.from(await readAudioBytes(examples[0]!))
        .subarray(0, 4)
        .toString(),
    ).toBe('RIFF');
  });

  it('names manifest and line for missing audio, missing fields and bad JSON', async () => {
    const dir = corpus();
    const write = (name: string, lines: string[]) => {
      const p = join(dir, name);
      writeFileSync(p, lines.join('\n'));
      return p;
    };
    const missing = write('m1.jsonl', [
      JSON.stringify({ audio: 'clips/a.wav', text: 'x' }),
      JSON.stringify({ audio: 'clips/zzz.wav', text: 'y' }),
    ]);
    await expect(loadSpeechManifest(missing)).rejects.toThrow(
      new RegExp(`^${esc(missing)}:2: audio file not found: .*clips/zzz\\.wav`),
    );
    expect(await loadSpeechManifest(missing, { checkFiles: false })).toHaveLength(2);
    const noText = write('m2.jsonl', [JSON.stringify({ audio: 'clips/a.wav' })]);
    await expect(loadSpeechManifest(noText)).rejects.toThrow(
      new RegExp(`^${esc(noText)}:1: field 'text' must be a string, got undefined`),
    );
    const bad = write('m3.jsonl', ['{"audio": "clips/a.wav", "text": "x"}', '[1, 2]']);
    await expect(loadSpeechManifest(bad)).rejects.toThrow(
      new RegExp(`^${esc(bad)}:2: expected a JSON object per line`),
    );
    await expect(loadSpeechManifest(join(dir, 'none.jsonl'))).rejects.toThrow(
      /loadSpeechManifest: file not found or not readable/,
    );
  });
});

describe('loadLJSpeech', () => {
  function lj(lines: string[], wavIds: string[]) {
    const dir = mkdtempSync(join(tmpdir(), 'rnnkit-ljspeech-'));
    mkdirSync(join(dir, 'wavs'));
    for (const id of wavIds) writeFileSync(join(dir, 'wavs', `${id}.wav`), RIFF);
    writeFileSync(join(dir, 'metadata.csv'), lines.join('\n') + '\n');
    return dir;
  }
  const LINES = [
    'LJ001-0001|Printing, in the only sense with which we are at present concerned, differs from most if not from all the arts and crafts represented in the Exhibition|Printing, in the only sense with which we are at present concerned, differs from most if not from all the arts and crafts represented in the Exhibition',
    'LJ001-0008|has never been surpassed.|has never been surpassed.',
    'LJ002-0026|in the year 1801, the "Sunday Times."|in the year eighteen oh one, the "Sunday Times."',
  ];

  it('reads metadata.csv with quotes in transcripts and points at wavs/<id>.wav', async () => {
    const dir = lj(LINES, ['LJ001-0001', 'LJ001-0008', 'LJ002-0026']);
    const examples = await loadLJSpeech(dir);
    expect(examples.map((e) => [e.id, e.line])).toEqual([
      ['LJ001-0001', 1],
      ['LJ001-0008', 2],
      ['LJ002-0026', 3],
    ]);
    expect(examples[2]!.text).toBe('in the year eighteen oh one, the "Sunday Times."');
    expect(examples[2]!.audioPath).toBe(join(dir, 'wavs', 'LJ002-0026.wav'));
    expect((await loadLJSpeech(dir, { transcript: 'raw' }))[2]!.text).toBe(
      'in the year 1801, the "Sunday Times."',
    );
  });

  it('names metadata.csv and line for wrong column counts, duplicate ids and missing wavs', async () => {
    const twoCols = lj([LINES[0]!, 'LJ001-0008|has never been surpassed.'], ['LJ001-0001', 'LJ001-0008']);
    await expect(loadLJSpeech(twoCols)).rejects.toThrow(
      new RegExp(
        `^${esc(join(twoCols, 'metadata.csv'))}:2: expected 3 '\\|'-separated columns \\(id\\|raw\\|normalized\\), got 2`,
      ),
    );
    const dup = lj([LINES[1]!, LINES[1]!], ['LJ001-0008']);
    await expect(loadLJSpeech(dup)).rejects.toThrow(/metadata\.csv:2: clip id 'LJ001-0008' appears twice/);
    const noWav = lj(LINES, ['LJ001-0001', 'LJ001-0008']);
    await expect(loadLJSpeech(noWav)).rejects.toThrow(
      /metadata\.csv:3: audio file not found: .*wavs\/LJ002-0026\.wav/,
    );
    await expect(loadLJSpeech('/nonexistent/LJSpeech-1.1')).rejects.toThrow(
      /loadLJSpeech: \/nonexistent\/LJSpeech-1\.1 is not a directory/,
    );
  });
});
