import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadTabSeparatedPairs } from './tab_separated_pairs.js';

const dir = mkdtempSync(join(tmpdir(), 'rnnkit-pairs-'));
function file(name: string, content: string): string {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
}
const esc = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

// The ManyThings/Tatoeba Anki layout (fra.txt): English, French, attribution.
const FRA = [
  '#separator:tab',
  'Go.\tVa !\tCC-BY 2.0 (France) Attribution: tatoeba.org #2877272 (CM) & #1158250 (Wittydev)',
  'Go.\tMarche.\tCC-BY 2.0 (France) Attribution: tatoeba.org #2877272 (CM) & #8090732 (Micsmithel)',
  'Go.\tVa !\tCC-BY 2.0 (France) Attribution: tatoeba.org #2877272 (CM) & #1158250 (Wittydev)',
  'Hi.\tSalut !\tCC-BY 2.0 (France) Attribution: tatoeba.org #538123 (CM) & #509819 (Aiji)',
  '',
  'I\u2019m hungry.\tJ\u2019ai faim.\tCC-BY 2.0 (France) Attribution: tatoeba.org #1',
  'Tom didn\u2019t say anything about what happened.\tTom n\u2019a rien dit de ce qui s\u2019est passé.\tCC-BY 2.0',
].join('\r\n');

describe('loadTabSeparatedPairs', () => {
  it('reads Anki/Tatoeba pairs with attribution, skipping header lines, blanks and duplicate pairs', async () => {
    const { pairs, stats } = await loadTabSeparatedPairs(file('fra.txt', FRA));
    expect(pairs.map((p) => [p.source, p.target, p.line])).toEqual([
      ['Go.', 'Va !', 2],
      ['Go.', 'Marche.', 3],
      ['Hi.', 'Salut !', 5],
      ['I\u2019m hungry.', 'J\u2019ai faim.', 7],
      [
        'Tom didn\u2019t say anything about what happened.',
        'Tom n\u2019a rien dit de ce qui s\u2019est passé.',
        8,
      ],
    ]);
    expect(pairs[0]!.attribution).toMatch(/^CC-BY 2\.0 \(France\)/);
    expect(stats).toEqual({ lines: 6, kept: 5, droppedByLength: 0, duplicates: 1 });
  });

  it('normalises, filters by length and deduplicates by source', async () => {
    const { pairs, stats } = await loadTabSeparatedPairs(file('fra2.txt', FRA), {
      normalize: { lowercase: true, spacePunctuation: true },
      maxLength: 4,
      deduplicate: 'source',
    });
    expect(pairs.map((p) => [p.source, p.target])).toEqual([
      ['go .', 'va !'],
      ['hi .', 'salut !'],
      ['i\u2019m hungry .', 'j\u2019ai faim .'],
    ]);
    expect(stats.droppedByLength).toBe(1);
    expect(stats.duplicates).toBe(2);
    const chars = await loadTabSeparatedPairs(file('fra3.txt', FRA), {
      lengthUnit: 'chars',
      minLength: 6,
      deduplicate: 'none',
    });
    expect(chars.pairs.map((p) => p.line)).toEqual([7, 8]);
  });

  it('reads generic TSV with a header and chosen columns (reversed direction)', async () => {
    const path = file('generic.tsv', 'id\ten\tde\n1\tone\teins\n2\ttwenty-one\teinundzwanzig\n');
    const { pairs } = await loadTabSeparatedPairs(path, {
      format: 'tsv',
      header: true,
      sourceColumn: 2,
      targetColumn: 1,
    });
    expect(pairs.map((p) => [p.source, p.target])).toEqual([
      ['eins', 'one'],
      ['einundzwanzig', 'twenty-one'],
    ]);
  });

  it('names file and line for malformed lines and a missing file', async () => {
    const one = file('one.txt', 'Go.\tVa !\nHello there\n');
    await expect(loadTabSeparatedPairs(one)).rejects.toThrow(
      new RegExp(
        `^${esc(one)}:2: expected 2 or 3 tab-separated columns \\(source, target, attribution\\), got 1`,
      ),
    );
    const four = file('four.txt', 'a\tb\tc\td\n');
    await expect(loadTabSeparatedPairs(four)).rejects.toThrow(
      new RegExp(`^${esc(four)}:1: expected 2 or 3 tab-separated columns`),
    );
    const empty = file('empty.txt', 'Go.\tVa !\n \tVa !\n');
    await expect(loadTabSeparatedPairs(empty)).rejects.toThrow(
      new RegExp(`^${esc(empty)}:2: empty source sentence`),
    );
    const narrow = file('narrow.tsv', 'a\tb\n');
    await expect(loadTabSeparatedPairs(narrow, { format: 'tsv', targetColumn: 2 })).rejects.toThrow(
      new RegExp(`^${esc(narrow)}:1: expected at least 3 tab-separated columns, got 2`),
    );
    await expect(loadTabSeparatedPairs(join(dir, 'nope.txt'))).rejects.toThrow(
      /loadTabSeparatedPairs: file not found or not readable/,
    );
  });
});
