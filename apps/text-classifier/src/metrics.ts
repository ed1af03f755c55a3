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
    let best = 0;
    for (let c = 1; c < k; c++) if (p[c]! > p[best]!) best = c;
    cm[truth[i]!]![best]!++;
    if (best === truth[i]) correct++;
  });
  const n = truth.length;
  const perClass = labels.map((label, c) => {
    const tp = cm[c]![c]!;
    const predicted = cm.reduce((s, row) => s + row[c]!, 0);
    const support = cm[c]!.reduce((s, v) => s + v, 0);
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
      probabilities.map((p) => p[1]!),
      truth,
    );
  return metrics;
}

/** ROC AUC as the Mann-Whitney U statistic, ties counted one half (average ranks). */
export function rocAuc(scores: readonly number[], truth: readonly number[]): number {
  const order = scores.map((s, i) => [s, i] as const).sort((a, b) => a[0] - b[0]);
  const ranks = new Array<number>(scores.length);
  for (let i = 0; i < order.length;) {
    let j = i;
    while (j + 1 < order.length && order[j + 1]![0] === order[i]![0]) j++;
    for (let t = i; t <= j; t++) ranks[order[t]![1]] = (i + j) / 2 + 1;
    i = j + 1;
  }
  const positives = truth.filter((t) => t === 1).length;
  const negatives = truth.length - positives;
  if (positives === 0 || negatives === 0) return Number.NaN;
  const rankSum = truth.reduce((s, t, i) => s + (t === 1 ? ranks[i]! : 0), 0);
  return (rankSum - (positives * (positives + 1)) / 2) / (positives * negatives);
}
