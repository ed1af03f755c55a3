import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { checkOptions, optionKeys } from '@rnnkit/tensor-core';
import { DatasetFormatError } from '../io/dataset_format_error.js';

export type AclImdbSplit = 'train' | 'test' | 'unsup';

export interface ImdbReview {
  /** Stable id: `<split>/<pos|neg|unsup>/<n>_<rating>`; use it as the split key. */
  id: string;
  text: string;
  /** 1 positive, 0 negative (Keras's convention), null for unlabelled reviews. */
  label: 0 | 1 | null;
  /** The star rating in the file name (1-4 negative, 7-10 positive, 0 unlabelled). */
  rating: number;
}

export interface AclImdbOptions {
  /** Replace the `<br />` tags the reviews contain with a space. Default false (texts as shipped). */
  replaceBreakTags?: boolean;
}

const ACL_IMDB_OPTIONS = optionKeys<AclImdbOptions>({ replaceBreakTags: true });

export interface LoadAclImdbOptions extends AclImdbOptions {
  /** Also read the 50,000 unlabelled reviews of train/unsup. Default false. */
  includeUnsup?: boolean;
}

const LOAD_ACL_IMDB_OPTIONS = optionKeys<LoadAclImdbOptions>({ replaceBreakTags: true, includeUnsup: true });

const REVIEW_FILE = /^(\d+)_(\d+)\.txt$/;

/** File list of one split in a stable order (neg, then pos, by review number); throws if the layout is wrong. */
export async function listAclImdbFiles(
  root: string,
  split: AclImdbSplit,
): Promise<{ path: string; id: string; label: 0 | 1 | null; rating: number }[]> {
  const parts: [string, string, 0 | 1 | null][] =
    split === 'unsup'
      ? [['train', 'unsup', null]]
      : [
          [split, 'neg', 0],
          [split, 'pos', 1],
        ];
  const files: { path: string; id: string; label: 0 | 1 | null; rating: number; n: number }[] = [];
  for (const [dir, sub, label] of parts) {
    const folder = join(root, dir, sub);
    let names: string[];
    try {
      names = await readdir(folder);
    } catch {
      throw new Error(
        `loadAclImdb: folder ${folder} not found; expected the Stanford aclImdb layout (train|test/pos|neg/<n>_<rating>.txt, optional train/unsup)`,
      );
    }
    const part: typeof files = [];
    for (const name of names) {
      if (!name.endsWith('.txt')) continue;
      const m = REVIEW_FILE.exec(name);
      if (!m)
        throw new DatasetFormatError(
          join(folder, name),
          undefined,
          "review file name must be '<n>_<rating>.txt'",
        );
      part.push({
        path: join(folder, name),
        id: `${dir === 'train' && sub === 'unsup' ? 'unsup' : dir}/${sub}/${m[1]}_${m[2]}`,
        label,
        rating: Number(m[2]),
        n: Number(m[1]),
      });
    }
    part.sort((a, b) => a.n - b.n);
    files.push(...part);
  }
  return files.map(({ n: _n, ...rest }) => rest);
}

/** Streams one split review by review, for machines where the corpus should not sit in memory. */
export function streamAclImdb(
  root: string,
  split: AclImdbSplit,
  options?: AclImdbOptions,
): AsyncGenerator<ImdbReview> {
  return reviewsOf(root, split, checkOptions('streamAclImdb', options, ACL_IMDB_OPTIONS));
}

async function* reviewsOf(
  root: string,
  split: AclImdbSplit,
  options: AclImdbOptions,
): AsyncGenerator<ImdbReview> {
  for (const file of await listAclImdbFiles(root, split)) {
    yield {
      id: file.id,
      text: clean(await readFile(file.path, 'utf8'), options),
      label: file.label,
      rating: file.rating,
    };
  }
}

/** Loads the Stanford aclImdb directory (train and test, and the unlabelled reviews when asked). */
export async function loadAclImdb(
  root: string,
  options?: LoadAclImdbOptions,
): Promise<{ train: ImdbReview[]; test: ImdbReview[]; unsup: ImdbReview[] }> {
  const checked = checkOptions('loadAclImdb', options, LOAD_ACL_IMDB_OPTIONS);
  const info = await stat(root).catch(() => null);
  if (!info?.isDirectory()) throw new Error(`loadAclImdb: ${root} is not a directory`);
  const readAll = async (split: AclImdbSplit) => {
    const files = await listAclImdbFiles(root, split);
    const out: ImdbReview[] = new Array(files.length);
    // Bounded parallel reads: fast on 25k small files without opening them all at once.
    let next = 0;
    const worker = async () => {
      while (next < files.length) {
        const i = next++;
        const f = files[i];
        if (f === undefined) throw new Error(`loadAclImdb: file ${i} of ${files.length} is missing`);
        out[i] = {
          id: f.id,
          text: clean(await readFile(f.path, 'utf8'), checked),
          label: f.label,
          rating: f.rating,
        };
      }
    };
    await Promise.all(Array.from({ length: 16 }, worker));
    return out;
  };
  return {
    train: await readAll('train'),
    test: await readAll('test'),
    unsup: checked.includeUnsup ? await readAll('unsup') : [],
  };
}

function clean(text: string, options: AclImdbOptions): string {
  return options.replaceBreakTags ? text.replace(/<br\s*\/?>/gi, ' ') : text;
}
