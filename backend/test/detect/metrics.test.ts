import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { classificationReport, rocAuc } from '../../src/detect/metrics.ts';
import { SeededRandom } from '../../src/detect/random.ts';

/** The definition itself: the share of (positive, negative) pairs ordered correctly, ties counting half. */
function pairwiseAuc(scores: number[], labels: number[]): number {
  let credit = 0;
  let pairs = 0;
  scores.forEach((positive, i) => {
    if (!labels[i]) return;
    scores.forEach((negative, j) => {
      if (labels[j]) return;
      pairs++;
      credit += positive > negative ? 1 : positive === negative ? 0.5 : 0;
    });
  });
  return credit / pairs;
}

describe('rocAuc', () => {
  test('is 1 for a perfect ranking, 0 for a reversed one, 0.5 when every score ties', () => {
    assert.equal(rocAuc([0.1, 0.2, 0.8, 0.9], [0, 0, 1, 1]), 1);
    assert.equal(rocAuc([0.9, 0.8, 0.2, 0.1], [0, 0, 1, 1]), 0);
    assert.equal(rocAuc([0.3, 0.3, 0.3, 0.3], [0, 1, 0, 1]), 0.5);
  });

  test("matches scikit-learn's documented example", () => {
    assert.equal(rocAuc([0.1, 0.4, 0.35, 0.8], [false, false, true, true]), 0.75);
  });

  test('counts a tie between a positive and a negative as one half', () => {
    assert.equal(rocAuc([0.5, 0.5, 0.5, 0.9], [0, 1, 0, 1]), 0.75);
    assert.equal(rocAuc([1, 1, 2, 2], [0, 1, 0, 1]), 0.5);
  });

  test('agrees with the pairwise definition on scores full of ties', () => {
    const random = new SeededRandom(11);
    const scores = Array.from({ length: 400 }, () => random.nextInt(12) / 4);
    const labels = scores.map((score) => (random.next() < 0.2 + score / 6 ? 1 : 0));
    assert.ok(Math.abs(rocAuc(scores, labels) - pairwiseAuc(scores, labels)) < 1e-12);
  });

  test('needs both classes, matching lengths and no NaN', () => {
    assert.throws(() => rocAuc([0.1, 0.2], [1, 1]), /one positive and one negative/);
    assert.throws(() => rocAuc([0.1, 0.2], [1]), /2 values but 1 labels/);
    assert.throws(() => rocAuc([0.1, NaN], [0, 1]), /NaN/);
  });
});

describe('classificationReport', () => {
  test('counts the confusion matrix and derives precision, recall and F1', () => {
    const report = classificationReport([1, 1, 1, 0, 0, 0], [1, 1, 0, 1, 0, 0]);
    assert.deepEqual(report, {
      truePositives: 2,
      falsePositives: 1,
      falseNegatives: 1,
      trueNegatives: 2,
      precision: 2 / 3,
      recall: 2 / 3,
      f1: 2 / 3,
    });
  });

  test('reports zeros instead of dividing by zero when nothing is flagged', () => {
    const report = classificationReport([0, 0], [1, 0]);
    assert.equal(report.precision, 0);
    assert.equal(report.recall, 0);
    assert.equal(report.f1, 0);
  });
});
