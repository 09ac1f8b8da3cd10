import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { Calibration } from '../../../src/detect/entries/calibration.ts';
import { trainEntryModel } from '../../../src/detect/entries/model.ts';
import { ScoreHistogram } from '../../../src/detect/entries/score-histogram.ts';
import { IsolationForest } from '../../../src/detect/isolation-forest.ts';
import { SeededRandom } from '../../../src/detect/random.ts';

/** Share of `values` in each tenth of [0, 1]. */
function deciles(values: readonly number[]): number[] {
  const counts = new Array<number>(10).fill(0);
  for (const value of values) {
    const tenth = Math.min(9, Math.floor(value * 10));
    counts[tenth] = (counts[tenth] ?? 0) + 1;
  }
  return counts.map((count) => count / values.length);
}

function gaussianRows(random: SeededRandom, rows: number, features: number): Float64Array {
  return Float64Array.from({ length: rows * features }, () => random.nextGaussian());
}

describe('calibration', () => {
  test('a histogram gives the share below, and old values fade', () => {
    const halfLife = 1_000;
    const histogram = new ScoreHistogram(halfLife);
    for (let index = 0; index < 10_000; index++) histogram.add((index % 100) / 100 + 0.005);
    assert.ok(Math.abs(histogram.shareBelow(0.25) - 0.25) < 0.01);
    assert.ok(Math.abs(histogram.shareBelow(0.9) - 0.9) < 0.01);
    // A long stream is worth 1 / (1 − 2^(−1/halfLife)) values.
    const worth = 1 / (1 - 2 ** (-1 / halfLife));
    assert.ok(Math.abs(histogram.effectiveCount / worth - 1) < 0.005, `${histogram.effectiveCount}`);
    // Five half-lives later the old values weigh 1/32 of the whole.
    for (let index = 0; index < 5 * halfLife; index++) histogram.add(0.95);
    assert.ok(Math.abs(histogram.shareBelow(0.9) - 0.9 / 32) < 0.002);
  });

  test('scores of ordinary traffic spread evenly over 0..1 in every series, whatever its level', () => {
    const random = new SeededRandom(3);
    const calibration = new Calibration(0.001, 10);
    const reference = Float64Array.from({ length: 50_000 }, () => 0.5 + 0.05 * random.nextGaussian()).sort();
    calibration.setReference(reference);
    const levels = { quiet: 0.42, usual: 0.5, odd: 0.6 };
    const scores: Record<string, number[]> = { quiet: [], usual: [], odd: [] };
    for (let index = 0; index < 60_000; index++) {
      for (const [series, level] of Object.entries(levels)) {
        const score = calibration.calibrate(level + 0.03 * random.nextGaussian(), series);
        if (index >= 5_000) scores[series]?.push(score);
      }
    }
    for (const [series, values] of Object.entries(scores)) {
      for (const share of deciles(values))
        assert.ok(share > 0.08 && share < 0.12, `${series}: ${deciles(values)}`);
    }
  });

  test('a series with little history is calibrated by the global distribution', () => {
    const calibration = new Calibration(0.01, 10);
    calibration.setReference(Float64Array.from({ length: 1_000 }, (_, index) => index / 1_000));
    // 250 reference scores below 0.25 and one equal to it, which counts half.
    assert.equal(calibration.calibrate(0.25, 'new'), 250.5 / 1_000);
    assert.equal(calibration.calibrate(0.9995, 'other'), 1);
    const blended = calibration.calibrate(0.9995, 'other');
    assert.ok(blended < 1 && blended > 0.5, 'the series own first score now counts');
  });

  test('on i.i.d. entries, about the contamination share alerts', () => {
    const features = 8;
    const contamination = 0.01;
    const random = new SeededRandom(11);
    const window = gaussianRows(random, 50_000, features);
    const trained = trainEntryModel({
      rows: window,
      alerted: new Uint8Array(50_000),
      featureCount: features,
      trees: 100,
      sampleSize: 1024,
      seed: 5,
    });
    const calibration = new Calibration(contamination, 100);
    calibration.setReference(trained.windowScores);
    const fresh = gaussianRows(random, 100_000, features);
    const raws = IsolationForest.fromSnapshot(trained.forest).score(fresh);
    let above = 0;
    raws.forEach((raw) => {
      if (calibration.oddForFleet(raw)) above++;
    });
    // The fleet-wide gate passes three times the contamination share: 3,000 expected, three binomial
    // standard deviations are about 160. The novelty rules then decide which of them alert.
    assert.ok(Math.abs(above - 3_000) < 160, `${above} of 100,000 above the threshold`);
  });
});
