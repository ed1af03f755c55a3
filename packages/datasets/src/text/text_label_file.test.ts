import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadTextLabelFile } from './text_label_file.js';

const dir = mkdtempSync(join(tmpdir(), 'rnnkit-textlabel-'));
function file(name: string, content: string): string {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
}
const esc = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

describe('loadTextLabelFile', () => {
  it('reads CSV with quotes, embedded commas and newlines, mapping labels in sorted order', async () => {
    const path = file(
      'reviews.csv',
      'id,text,label\n1,"Great, really great",pos\n2,"Two\nlines",neg\n\n3,Meh,neg\n',
    );
    const data = await loadTextLabelFile(path);
    expect(data.labels).toEqual(['neg', 'pos']);
    expect(data.examples).toEqual([
      { text: 'Great, really great', label: 1, labelName: 'pos', line: 2 },
      { text: 'Two\nlines', label: 0, labelName: 'neg', line: 4 },
      { text: 'Meh', label: 0, labelName: 'neg', line: 6 },
    ]);
  });

  it('reads headerless TSV by column index, quotes taken literally', async () => {
    const path = file('data.tsv', 'spam\tWIN "free" money\nham\tsee you at 5\n');
    const data = await loadTextLabelFile(path, { header: false, textField: 1, labelField: 0 });
    expect(data.examples.map((e) => [e.text, e.labelName])).toEqual([
      ['WIN "free" money', 'spam'],
      ['see you at 5', 'ham'],
    ]);
  });

  it('reads JSONL with numeric labels and a fixed label list', async () => {
    const path = file('data.jsonl', '{"text":"a","label":1}\n\n{"text":"b","label":0}\n');
    const data = await loadTextLabelFile(path, { labels: ['0', '1'] });
    expect(data.examples.map((e) => [e.text, e.label, e.line])).toEqual([
      ['a', 1, 1],
      ['b', 0, 3],
    ]);
  });

  it('names file and line for malformed records and unknown labels', async () => {
    const ragged = file('ragged.csv', 'text,label\nok,pos\ntoo,many,fields\n');
    await expect(loadTextLabelFile(ragged)).rejects.toThrow(
      new RegExp(`^${esc(ragged)}:3: Invalid Record Length: expect 2, got 3`),
    );
    const unknown = file('unknown.csv', 'text,label\nok,pos\nhmm,maybe\n');
    await expect(loadTextLabelFile(unknown, { labels: ['neg', 'pos'] })).rejects.toThrow(
      new RegExp(`^${esc(unknown)}:3: unknown label 'maybe'; expected one of: neg, pos`),
    );
    const badJson = file('bad.jsonl', '{"text":"a","label":"x"}\n{"text":"b"}\n');
    await expect(loadTextLabelFile(badJson)).rejects.toThrow(
      new RegExp(`^${esc(badJson)}:2: missing field 'label'`),
    );
    const notJson = file('bad2.jsonl', '{"text":"a","label":"x"}\n{"text":\n');
    await expect(loadTextLabelFile(notJson)).rejects.toThrow(new RegExp(`^${esc(notJson)}:2: invalid JSON`));
    const noColumn = file('nocol.csv', 'body,label\nx,y\n');
    await expect(loadTextLabelFile(noColumn)).rejects.toThrow(
      new RegExp(`^${esc(noColumn)}:1: no column 'text' in header \\(body, label\\)`),
    );
    const open = file('open.csv', 'text,label\n"never closed,pos\n');
    await expect(loadTextLabelFile(open)).rejects.toThrow(new RegExp(`^${esc(open)}:2: Quote Not Closed`));
  });

  it('explains a missing file and an unknown extension', async () => {
    await expect(loadTextLabelFile(join(dir, 'nope.csv'))).rejects.toThrow(
      /loadTextLabelFile: cannot read .*nope\.csv \(ENOENT\)/,
    );
    const txt = file('data.txt', 'x');
    await expect(loadTextLabelFile(txt)).rejects.toThrow(
      /cannot tell the format of .*data\.txt from '\.txt'; pass options\.format/,
    );
  });
});
