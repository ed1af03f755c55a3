/** Classification metrics of predicted class probabilities against true labels. */
export interface ClassificationMetrics {
  examples: number;
  accuracy: number;
  /** Accuracy of always predicting the most frequent true label. */
  majorityClassAccuracy: number;
  perClass: Array<{ label: string; precision: number; recall: number; f1: number; support: number }>;
  macro: { precision: number; recall: number; f1: number };
  /** Binary tasks only: area under the ROC curve of the positive (second) label's probability. */
  rocAuc?: number;
  /** confusionMatrix[true][predicted]. */
  confusionMatrix: number[][];
  labels: string[];
}

/** `probabilities[i]` holds one probability per label (for two labels: [1 − p, p]). */
export function classificationMetrics(
  probabilities: readonly (readonly number[])[],
  truth: readonly number[],
  labels: readonly string[],
): ClassificationMetrics {
  const k = labels.length;
  const cm = Array.from({ length: k }, () => new Array<number>(k).fill(0));
  let correct = 0;
  probabilities.forEach((p, i) => {
    const best = argmax(p, k);
    const t = truth[i];
    const row = t === undefined ? undefined : cm[t];
    const cell = row?.[best];
    if (row === undefined || cell === undefined)
      throw new RangeError(`classificationMetrics: truth[${i}] = ${t} is not a label index in [0, ${k})`);
    row[best] = cell + 1;
    if (best === t) correct++;
  });
  const n = truth.length;
  // Every row of cm has k cells.
  const cell = (r: number, c: number): number => {
    const v = cm[r]?.[c];
    if (v === undefined)
      throw new Error(`classificationMetrics: no confusion cell (${r}, ${c}) for ${k} labels`);
    return v;
  };
  const perClass = labels.map((label, c) => {
    const tp = cell(c, c);
    const predicted = cm.reduce((s, _, r) => s + cell(r, c), 0);
    const support = cm.reduce((s, _, col) => s + cell(c, col), 0);
    const precision = predicted ? tp / predicted : 0;
    const recall = support ? tp / support : 0;
    return {
      label,
      precision,
      recall,
      f1: precision + recall ? (2 * precision * recall) / (precision + recall) : 0,
      support,
    };
  });
  const mean = (f: (m: (typeof perClass)[number]) => number) => perClass.reduce((s, m) => s + f(m), 0) / k;
  const supports = perClass.map((m) => m.support);
  const metrics: ClassificationMetrics = {
    examples: n,
    accuracy: n ? correct / n : 0,
    majorityClassAccuracy: n ? Math.max(...supports) / n : 0,
    perClass,
    macro: { precision: mean((m) => m.precision), recall: mean((m) => m.recall), f1: mean((m) => m.f1) },
    confusionMatrix: cm,
    labels: [...labels],
  };
  if (k === 2)
    metrics.rocAuc = rocAuc(
      probabilities.map((p, i) => {
        const score = p[1];
        if (score === undefined)
          throw new RangeError(`classificationMetrics: probabilities[${i}] has no second label`);
        return score;
      }),
      truth,
    );
  return metrics;
}

/** ROC AUC as the Mann-Whitney U statistic, ties counted one half (average ranks). */
export function rocAuc(scores: readonly number[], truth: readonly number[]): number {
  const order = scores.map((s, i) => [s, i] as const).sort((a, b) => a[0] - b[0]);
  const ranks = new Array<number>(scores.length);
  // Each run of equal scores order[start..t] shares the average of its ranks.
  let start = 0;
  order.forEach(([score], t) => {
    if (order[t + 1]?.[0] === score) return;
    for (const [, index] of order.slice(start, t + 1)) ranks[index] = (start + t) / 2 + 1;
    start = t + 1;
  });
  const positives = truth.filter((t) => t === 1).length;
  const negatives = truth.length - positives;
  if (positives === 0 || negatives === 0) return Number.NaN;
  const rankSum = truth.reduce((s, t, i) => {
    if (t !== 1) return s;
    const rank = ranks[i];
    if (rank === undefined)
      throw new RangeError(`rocAuc: truth[${i}] has no score (${scores.length} scores)`);
    return s + rank;
  }, 0);
  return (rankSum - (positives * (positives + 1)) / 2) / (positives * negatives);
}

/** Index of the largest of `values[0..count)` (the first on ties; NaN never wins). */
export function argmax(values: readonly number[], count = values.length): number {
  let best = 0;
  for (let c = 1; c < count; c++) {
    const v = values[c];
    const b = values[best];
    if (v !== undefined && b !== undefined && v > b) best = c;
  }
  return best;
}
