import { checkOptions, optionKeys } from '@rnnkit/tensor-core';
import { previewValue } from '@rnnkit/tensor-core/internal';

import { editAlignment, type AlignmentChunk } from './edit_alignment.js';
import { stringOrList } from './metric_arguments.js';
import {
  normalizationSettings,
  normalizeTranscript,
  transcriptTokens,
  type TranscriptNormalization,
} from './transcript_normalization.js';

export type ErrorRateOptions = TranscriptNormalization;

/** What wordErrorRate and charErrorRate return, like jiwer's WordOutput/CharacterOutput. */
export interface ErrorRateResult {
  /** (substitutions + deletions + insertions) / referenceLength, summed over all pairs. */
  errorRate: number;
  hits: number;
  substitutions: number;
  deletions: number;
  insertions: number;
  /** Reference tokens over all pairs: hits + substitutions + deletions. */
  referenceLength: number;
  /** Hypothesis tokens over all pairs: hits + substitutions + insertions. */
  hypothesisLength: number;
  /** The tokens compared, per pair, after normalisation (words, or characters as code points). */
  references: string[][];
  hypotheses: string[][];
  /** One alignment per pair; chunk indices point into `references[i]` and `hypotheses[i]`. */
  alignments: AlignmentChunk[][];
}

const OPTIONS = optionKeys<ErrorRateOptions>({
  lowercase: true,
  removePunctuation: true,
  collapseWhitespace: true,
});

function errorRate(
  fn: string,
  unit: 'word' | 'char',
  references: unknown,
  hypotheses: unknown,
  options: ErrorRateOptions | undefined,
): ErrorRateResult {
  const refs = stringOrList(fn, 'references', references);
  const hyps = stringOrList(fn, 'hypotheses', hypotheses);
  if (refs.length !== hyps.length) {
    throw new RangeError(
      `${fn}: got ${refs.length} references and ${hyps.length} hypotheses; expected one hypothesis per reference`,
    );
  }
  const settings = normalizationSettings(fn, checkOptions(fn, options, OPTIONS));
  const measure = unit === 'word' ? 'WER' : 'CER';
  const result: ErrorRateResult = {
    errorRate: 0,
    hits: 0,
    substitutions: 0,
    deletions: 0,
    insertions: 0,
    referenceLength: 0,
    hypothesisLength: 0,
    references: [],
    hypotheses: [],
    alignments: [],
  };
  refs.forEach((reference, i) => {
    const refTokens = transcriptTokens(normalizeTranscript(reference, settings), unit);
    if (refTokens.length === 0) {
      // Dividing by the reference length is the definition; an empty reference has none to divide by.
      throw new RangeError(
        `${fn}: references[${i}] is ${previewValue(reference)}, which has no ${unit === 'word' ? 'words' : 'characters'} after normalisation; ${measure} is undefined for an empty reference (drop the pair or give it a reference)`,
      );
    }
    const hypTokens = transcriptTokens(normalizeTranscript(hyps[i] ?? '', settings), unit);
    const alignment = editAlignment(refTokens, hypTokens, `${fn}: pair ${i}`);
    result.hits += alignment.hits;
    result.substitutions += alignment.substitutions;
    result.deletions += alignment.deletions;
    result.insertions += alignment.insertions;
    result.referenceLength += refTokens.length;
    result.hypothesisLength += hypTokens.length;
    result.references.push(refTokens);
    result.hypotheses.push(hypTokens);
    result.alignments.push(alignment.chunks);
  });
  result.errorRate = (result.substitutions + result.deletions + result.insertions) / result.referenceLength;
  return result;
}

/**
 * Word error rate: the word-level edit distance summed over all pairs, divided by the total number of
 * **reference** words (not the longer side), so it exceeds 1 when the hypotheses insert enough. With
 * substitution, deletion, insertion and hit counts and a per-pair alignment, like Python's jiwer.
 * `references` and `hypotheses` are one string each or equal-length arrays.
 */
export function wordErrorRate(
  references: string | readonly string[],
  hypotheses: string | readonly string[],
  options?: ErrorRateOptions,
): ErrorRateResult {
  return errorRate('wordErrorRate', 'word', references, hypotheses, options);
}

/**
 * Character error rate: as wordErrorRate over characters (Unicode code points, spaces included), divided
 * by the total number of reference characters.
 */
export function charErrorRate(
  references: string | readonly string[],
  hypotheses: string | readonly string[],
  options?: ErrorRateOptions,
): ErrorRateResult {
  return errorRate('charErrorRate', 'char', references, hypotheses, options);
}
