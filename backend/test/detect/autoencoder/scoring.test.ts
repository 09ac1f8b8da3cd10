import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { SeriesCalibration } from '../../../src/detect/autoencoder/scoring.ts';
import {
  calibrate,
  driftStatistic,
  fitCalibrations,
  judgeWindow,
  pointStatistic,
} from '../../../src/detect/autoencoder/scoring.ts';
import { WINDOW_STEPS } from '../../../src/detect/autoencoder/windows.ts';
import { SeededRandom } from '../../../src/detect/random.ts';

const unit = { centre: 0, spread: 1 };
const calibration: SeriesCalibration = { point: unit, drift: { centre: 0, spread: 0.2 } };

/** Small residuals (as usual) with the given steps overridden. */
function residuals(overrides: Record<number, number>, base = 0): Float64Array {
  const random = new SeededRandom(3);
  const values = Float64Array.from({ length: WINDOW_STEPS }, () => base + 0.1 * random.nextGaussian());
  for (const [step, value] of Object.entries(overrides)) values[Number(step)] = value;
  return values;
}

const LAST = WINDOW_STEPS - 1;

describe('calibrate', () => {
  test('a logistic of robust deviations: 0.5 at three, near 1 far beyond, near 0 for the usual', () => {
    assert.equal(calibrate(3, unit), 0.5);
    assert.ok(calibrate(0, unit) < 0.05);
    assert.ok(calibrate(6, unit) > 0.95);
    assert.ok(calibrate(9, unit) > 0.997);
    assert.equal(calibrate(13, { centre: 1, spread: 4 }), 0.5);
  });

  test('each series is calibrated on its own statistics, no more strictly than the typical series', () => {
    const random = new SeededRandom(1);
    const sample = (spread: number) =>
      Float64Array.from({ length: 64 }, () => Math.abs(spread * random.nextGaussian()));
    const [wide, typical, narrow] = fitCalibrations([
      { point: sample(3), drift: sample(3) },
      { point: sample(1), drift: sample(1) },
      { point: sample(0.01), drift: sample(0.01) },
    ]);
    assert.ok(wide && typical && narrow);
    assert.ok(wide.point.spread > 1.5 * typical.point.spread);
    assert.equal(narrow.point.spread, typical.point.spread);
    assert.equal(narrow.drift.spread, typical.drift.spread);
    assert.ok(wide.point.centre > typical.point.centre && typical.point.centre > narrow.point.centre);
  });
});

describe('judgeWindow', () => {
  test('the point statistic is the newest residual, the drift statistic the median one', () => {
    const window = residuals({ [LAST]: -5, 3: 40 }, 1);
    assert.equal(pointStatistic(window), 5);
    assert.ok(Math.abs(driftStatistic(window) - 1) < 0.1);
  });

  test('usual residuals score low and have no kind', () => {
    const judged = judgeWindow(residuals({}), 10, calibration);
    assert.ok(judged.score < 0.1);
    assert.equal(judged.kind, null);
  });

  test('far above expected at the newest minute is a burst, far below a silence', () => {
    assert.deepEqual(judgeWindow(residuals({ [LAST]: 9 }), 100, calibration).kind, 'burst');
    assert.deepEqual(judgeWindow(residuals({ [LAST]: -9 }), 0, calibration).kind, 'silence');
    assert.ok(judgeWindow(residuals({ [LAST]: 9 }), 100, calibration).score > 0.99);
  });

  test('one spike earlier in the window does not make the newest minute anomalous', () => {
    const judged = judgeWindow(residuals({ 10: 8 }), 10, calibration);
    assert.equal(judged.kind, null);
    assert.ok(judged.score < 0.1);
  });

  test('a burst that is the third separate spike in the window is periodic (a crash loop)', () => {
    const judged = judgeWindow(residuals({ 9: 7, 19: 7, [LAST]: 7 }), 100, calibration);
    assert.equal(judged.kind, 'periodic');
    assert.equal(judgeWindow(residuals({ 19: 7, [LAST]: 7 }), 100, calibration).kind, 'burst');
  });

  test('most of the window off by a moderate amount is a trend, or a silence when the count is zero', () => {
    const drifted = judgeWindow(residuals({ [LAST]: 2 }, 2), 30, calibration);
    assert.equal(drifted.kind, 'trend');
    assert.ok(drifted.score > 0.99);
    assert.equal(judgeWindow(residuals({ [LAST]: -2 }, -2), 3, calibration).kind, 'trend');
    assert.equal(judgeWindow(residuals({ [LAST]: -2 }, -2), 0, calibration).kind, 'silence');
  });
});
