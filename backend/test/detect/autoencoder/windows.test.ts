import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { MINUTES_PER_DAY } from '../../../src/detect/autoencoder/series.ts';
import {
  buildWindows,
  TIME_FEATURES,
  WINDOW_STEPS,
  writeTimeFeatures,
} from '../../../src/detect/autoencoder/windows.ts';
import { MONDAY } from './synthetic.ts';

function timeFeatures(minute: number): number[] {
  const out = new Float32Array(TIME_FEATURES);
  writeTimeFeatures(minute, out, 0);
  return Array.from(out, (value) => Math.round(value * 1000) / 1000);
}

describe('time features', () => {
  test('sin/cos of the hour of day and of the day of week, both 0 at Monday midnight', () => {
    assert.deepEqual(timeFeatures(MONDAY), [0, 1, 0, 1]);
    assert.deepEqual(timeFeatures(MONDAY + 6 * 60).slice(0, 2), [1, 0]);
    assert.deepEqual(timeFeatures(MONDAY + 12 * 60).slice(0, 2), [0, -1]);
    const thursdayNoon = timeFeatures(MONDAY + 3.5 * MINUTES_PER_DAY);
    assert.deepEqual(thursdayNoon.slice(2), [0, -1]);
  });

  test('the last minute of Sunday sits next to Monday midnight', () => {
    const sundayLate = timeFeatures(MONDAY - 1);
    const mondayEarly = timeFeatures(MONDAY);
    for (let i = 0; i < TIME_FEATURES; i++)
      assert.ok(Math.abs((sundayLate[i] ?? 0) - (mondayEarly[i] ?? 0)) < 0.01);
  });
});

describe('buildWindows', () => {
  const z = Float32Array.from({ length: 100 }, (_, i) => i);
  const series = { startMinute: MONDAY, z };

  test('a window holds the WINDOW_STEPS minutes that end at its minute, with their times', () => {
    const batch = buildWindows([
      { series, endIndex: 99 },
      { series, endIndex: WINDOW_STEPS - 1 },
    ]);
    assert.equal(batch.size, 2);
    assert.deepEqual(
      Array.from(batch.z.subarray(0, WINDOW_STEPS)),
      Array.from({ length: WINDOW_STEPS }, (_, step) => 100 - WINDOW_STEPS + step),
    );
    assert.deepEqual(
      Array.from(batch.z.subarray(WINDOW_STEPS)),
      Array.from({ length: WINDOW_STEPS }, (_, step) => step),
    );
    const lastStepTime = batch.time.subarray(
      (WINDOW_STEPS - 1) * TIME_FEATURES,
      WINDOW_STEPS * TIME_FEATURES,
    );
    const expected = new Float32Array(TIME_FEATURES);
    writeTimeFeatures(MONDAY + 99, expected, 0);
    assert.deepEqual(lastStepTime, expected);
  });

  test('minutes before the series starts count as usual (z = 0)', () => {
    const batch = buildWindows([{ series, endIndex: 4 }]);
    const window = Array.from(batch.z);
    assert.deepEqual(window.slice(0, WINDOW_STEPS - 5), new Array(WINDOW_STEPS - 5).fill(0));
    assert.deepEqual(window.slice(WINDOW_STEPS - 5), [0, 1, 2, 3, 4]);
  });
});
