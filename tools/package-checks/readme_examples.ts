import { readFileSync } from 'node:fs';

/** A TypeScript or JavaScript code block of a README, with where it starts. */
export interface ReadmeExample {
  file: string;
  /** 1-based line of the opening fence. */
  line: number;
  language: 'ts' | 'js';
  code: string;
  /** Why the block is not run, from a `<!-- example: not-runnable (reason) -->` line just above it. */
  notRunnable?: string;
}

const FENCE = /^```(ts|typescript|js|javascript|mjs)\s*$/;
const NOT_RUNNABLE = /^<!--\s*example:\s*not-runnable\s*\((.+)\)\s*-->\s*$/;

/** Every ```ts / ```js block of a Markdown file, in order. */
export function readmeExamples(file: string): ReadmeExample[] {
  const lines = readFileSync(file, 'utf8').split('\n');
  const examples: ReadmeExample[] = [];
  let blockEnd = -1; // lines up to here belong to the last code block
  for (const [i, line] of lines.entries()) {
    if (i <= blockEnd) continue;
    const open = FENCE.exec(line);
    if (!open) continue;
    const [, fenceLanguage] = open;
    if (fenceLanguage === undefined) throw new Error(`${file}:${i + 1}: code fence without a language`);
    const end = lines.findIndex((l, j) => j > i && l.startsWith('```'));
    if (end < 0) throw new Error(`${file}:${i + 1}: code block is never closed`);
    let above = i - 1;
    while (above >= 0 && lines[above]?.trim() === '') above--;
    const previous = lines[above]; // undefined when only blank lines are above
    const reason = previous === undefined ? undefined : NOT_RUNNABLE.exec(previous.trim())?.[1];
    examples.push({
      file,
      line: i + 1,
      language: fenceLanguage.startsWith('t') ? 'ts' : 'js',
      code: lines.slice(i + 1, end).join('\n'),
      ...(reason !== undefined ? { notRunnable: reason } : {}),
    });
    blockEnd = end;
  }
  return examples;
}
