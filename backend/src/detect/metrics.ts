/** Labels are truthy for the positive (anomalous) class. */
export type Labels = ArrayLike<boolean | number>;

/**
 * Area under the ROC curve of `scores` (higher = more anomalous) against `labels`: the probability that a
 * random positive outscores a random negative, ties counting one half (Mann–Whitney U with mid-ranks),
 * which equals scikit-learn's roc_auc_score.
 */
export function rocAuc(scores: ArrayLike<number>, labels: Labels): number {
  const n = checkedLength(scores, labels);
  for (let i = 0; i < n; i++) {
    if (Number.isNaN(scores[i])) throw new RangeError(`score ${i} is NaN`);
  }
  const order = Uint32Array.from({ length: n }, (_, i) => i).sort(
    (a, b) => (scores[a] ?? 0) - (scores[b] ?? 0),
  );
  let positives = 0;
  let positiveRankSum = 0;
  for (let start = 0; start < n;) {
    let end = start + 1;
    while (end < n && scores[order[end] ?? 0] === scores[order[start] ?? 0]) end++;
    // Ranks are 1-based; every member of a tied run gets the run's mean rank.
    const midRank = (start + 1 + end) / 2;
    for (let i = start; i < end; i++) {
      if (labels[order[i] ?? 0]) {
        positives++;
        positiveRankSum += midRank;
      }
    }
    start = end;
  }
  const negatives = n - positives;
  if (positives === 0 || negatives === 0) {
    throw new RangeError('ROC AUC needs at least one positive and one negative label');
  }
  return (positiveRankSum - (positives * (positives + 1)) / 2) / (positives * negatives);
}

export interface ClassificationReport {
  truePositives: number;
  falsePositives: number;
  falseNegatives: number;
  trueNegatives: number;
  /** 0 when nothing was flagged (scikit-learn's zero_division=0). */
  precision: number;
  /** 0 when there are no positives. */
  recall: number;
  f1: number;
}

/** Precision, recall and F1 of boolean predictions (truthy = flagged anomalous) against labels. */
export function classificationReport(predicted: Labels, labels: Labels): ClassificationReport {
  const n = checkedLength(predicted, labels);
  let truePositives = 0;
  let falsePositives = 0;
  let falseNegatives = 0;
  for (let i = 0; i < n; i++) {
    if (predicted[i] && labels[i]) truePositives++;
    else if (predicted[i]) falsePositives++;
    else if (labels[i]) falseNegatives++;
  }
  const precision =
    truePositives + falsePositives === 0 ? 0 : truePositives / (truePositives + falsePositives);
  const recall = truePositives + falseNegatives === 0 ? 0 : truePositives / (truePositives + falseNegatives);
  const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
  return {
    truePositives,
    falsePositives,
    falseNegatives,
    trueNegatives: n - truePositives - falsePositives - falseNegatives,
    precision,
    recall,
    f1,
  };
}

function checkedLength(values: ArrayLike<unknown>, labels: Labels): number {
  if (values.length !== labels.length) {
    throw new RangeError(`${values.length} values but ${labels.length} labels`);
  }
  return values.length;
}
