import { checkOptions, optionKeys, SeededRandom } from '@rnnkit/tensor-core';
import type { DatasetSplits } from '../batching/split.js';

/** Languages with a built-in number speller (n2words), plus 'digits' ("1234") and 'spaced-digits' ("1 2 3 4"). */
export type NumberLanguage =
  'en' | 'en-GB' | 'fr' | 'de' | 'es' | 'it' | 'nl' | 'pt' | 'digits' | 'spaced-digits';

export type NumberSpeller = (n: number) => string;

// Literal specifiers so bundlers include only the languages that are imported.
const N2WORDS: Record<
  Exclude<NumberLanguage, 'digits' | 'spaced-digits'>,
  () => Promise<{ toCardinal: (n: number) => string }>
> = {
  en: () => import('n2words/en-US'),
  'en-GB': () => import('n2words/en-GB'),
  fr: () => import('n2words/fr-FR'),
  de: () => import('n2words/de-DE'),
  es: () => import('n2words/es-ES'),
  it: () => import('n2words/it-IT'),
  nl: () => import('n2words/nl-NL'),
  pt: () => import('n2words/pt-PT'),
};

export const NUMBER_LANGUAGES = [...Object.keys(N2WORDS), 'digits', 'spaced-digits'] as NumberLanguage[];

/** The function that writes numbers in `language` (n2words' cardinal form). */
export async function numberSpeller(language: NumberLanguage): Promise<NumberSpeller> {
  if (language === 'digits') return (n) => String(n);
  if (language === 'spaced-digits') return (n) => String(n).split('').join(' ');
  const load = N2WORDS[language as keyof typeof N2WORDS];
  if (!load)
    throw new Error(
      `numberSpeller: unknown language '${String(language)}'; expected one of ${NUMBER_LANGUAGES.join(', ')}`,
    );
  const { toCardinal } = await load();
  return (n) => toCardinal(n);
}

export interface NumberPair {
  number: number;
  source: string;
  target: string;
}

export interface NumberPhrasesOptions {
  /** Default 'en'. A function may be given for any other writing of numbers. */
  source?: NumberLanguage | NumberSpeller;
  /** Default 'fr'. */
  target?: NumberLanguage | NumberSpeller;
  /** Numbers are drawn from [minNumber, maxNumber]. Defaults 0 and 9999. */
  minNumber?: number;
  maxNumber?: number;
  /** How many numbers go to each split. Defaults: 10% test, 10% validation, the rest training. */
  testSize?: number;
  validationSize?: number;
  trainSize?: number;
  /** Numbers that must be in the test set (and so never in training), e.g. every multiple of 1000. */
  heldOut?: readonly number[];
  /** Default 0. */
  seed?: number;
}

const NUMBER_PHRASES_OPTIONS = optionKeys<NumberPhrasesOptions>({
  source: true,
  target: true,
  minNumber: true,
  maxNumber: true,
  testSize: true,
  validationSize: true,
  trainSize: true,
  heldOut: true,
  seed: true,
});

/**
 * An offline translation corpus: the same numbers written in two languages ("twenty-one" ↔ "vingt et
 * un" / "einundzwanzig"). Each number is in exactly one split, so the test numbers are never seen in
 * training; the same seed and options give the same pairs in the same order.
 */
export async function generateNumberPhrases(
  phraseOptions?: NumberPhrasesOptions,
): Promise<DatasetSplits<NumberPair>> {
  const options = checkOptions('generateNumberPhrases', phraseOptions, NUMBER_PHRASES_OPTIONS);
  const min = options.minNumber ?? 0;
  const max = options.maxNumber ?? 9999;
  if (!Number.isSafeInteger(min) || !Number.isSafeInteger(max) || min < 0 || max < min) {
    throw new Error(
      `generateNumberPhrases: need integers 0 <= minNumber <= maxNumber, got ${min} and ${max}`,
    );
  }
  const total = max - min + 1;
  if (total > 10_000_000)
    throw new Error(`generateNumberPhrases: range [${min}, ${max}] has ${total} numbers; at most 10,000,000`);
  const heldOut = [...new Set(options.heldOut ?? [])];
  for (const n of heldOut) {
    if (!Number.isInteger(n) || n < min || n > max) {
      throw new Error(`generateNumberPhrases: heldOut number ${n} is outside [${min}, ${max}]`);
    }
  }
  const testSize = options.testSize ?? Math.round(total * 0.1);
  const validationSize = options.validationSize ?? Math.round(total * 0.1);
  if (heldOut.length > testSize) {
    throw new Error(
      `generateNumberPhrases: ${heldOut.length} heldOut numbers do not fit in testSize ${testSize}`,
    );
  }
  const trainSize = options.trainSize ?? total - testSize - validationSize;
  for (const [name, v] of [
    ['testSize', testSize],
    ['validationSize', validationSize],
    ['trainSize', trainSize],
  ] as const) {
    if (!Number.isInteger(v) || v < 0)
      throw new Error(`generateNumberPhrases: ${name} must be a non-negative integer, got ${v}`);
  }
  if (testSize + validationSize + trainSize > total) {
    throw new Error(
      `generateNumberPhrases: trainSize ${trainSize} + validationSize ${validationSize} + testSize ${testSize} exceeds the ${total} numbers in [${min}, ${max}]`,
    );
  }
  const speak = async (lang: NumberLanguage | NumberSpeller) =>
    typeof lang === 'function' ? lang : numberSpeller(lang);
  const toSource = await speak(options.source ?? 'en');
  const toTarget = await speak(options.target ?? 'fr');

  const held = new Set(heldOut);
  const rng = new SeededRandom(options.seed ?? 0);
  const rest: number[] = [];
  for (let n = min; n <= max; n++) if (!held.has(n)) rest.push(n);
  rng.shuffle(rest);
  const testNumbers = [...heldOut.sort((a, b) => a - b), ...rest.slice(0, testSize - heldOut.length)];
  let offset = testSize - heldOut.length;
  const validationNumbers = rest.slice(offset, offset + validationSize);
  offset += validationSize;
  const trainNumbers = rest.slice(offset, offset + trainSize);
  const pairs = (numbers: number[]) =>
    numbers.map((n) => ({ number: n, source: toSource(n), target: toTarget(n) }));
  return {
    train: pairs(trainNumbers),
    validation: pairs(validationNumbers),
    test: pairs(rng.shuffle(testNumbers)),
  };
}

/** One pair per line, `source<TAB>target`, the format loadTabSeparatedPairs reads back. */
export function pairsToTsv(pairs: readonly { source: string; target: string }[]): string {
  return pairs.map((p) => `${p.source}\t${p.target}\n`).join('');
}
