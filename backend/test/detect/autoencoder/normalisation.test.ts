import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  countFromZ,
  fitNormalisation,
  levelAt,
  MIN_SCALE,
  normalisationFrom,
  normalise,
  scaleAt,
  SLOTS_PER_WEEK,
  Z_LIMIT,
} from '../../../src/detect/autoencoder/normalisation.ts';
import type { CountSeries } from '../../../src/detect/autoencoder/series.ts';
import { MINUTES_PER_DAY, MINUTES_PER_WEEK, minuteOfWeek } from '../../../src/detect/autoencoder/series.ts';
import { SeededRandom } from '../../../src/detect/random.ts';
import { MONDAY, poisson } from './synthetic.ts';

/** Counts drawn from `rate(minute)`, optionally with multiplicative log-normal noise of `extraSpread`. */
function drawn(minutes: number, rate: (minute: number) => number, extraSpread = 0, seed = 1): CountSeries {
  const random = new SeededRandom(seed);
  const counts = Float32Array.from({ length: minutes }, (_, i) =>
    poisson(rate(MONDAY + i) * Math.exp(extraSpread * random.nextGaussian()), random),
  );
  return { key: 'unit', startMinute: MONDAY, counts };
}

/** On weekdays 200 a minute from 08:00 to 20:00 UTC and 20 at night; a line every five minutes at weekends. */
function officeHours(minute: number): number {
  const ofWeek = minuteOfWeek(minute);
  if (ofWeek >= 5 * MINUTES_PER_DAY) return 0.2;
  const hour = (ofWeek % MINUTES_PER_DAY) / 60;
  return hour >= 8 && hour < 20 ? 200 : 20;
}

const TUESDAY_NOON = MONDAY + MINUTES_PER_DAY + 12 * 60;
const TUESDAY_NIGHT = MONDAY + MINUTES_PER_DAY + 3 * 60;
const SATURDAY_NOON = MONDAY + 5 * MINUTES_PER_DAY + 12 * 60;

describe('calendar', () => {
  test('weeks start on Monday 00:00 UTC', () => {
    assert.equal(minuteOfWeek(MONDAY), 0);
    assert.equal(minuteOfWeek(MONDAY - 1), MINUTES_PER_WEEK - 1);
    assert.equal(minuteOfWeek(MONDAY + 3 * MINUTES_PER_WEEK + 61), 61);
  });
});

describe('fitNormalisation', () => {
  const twoWeeks = drawn(2 * MINUTES_PER_WEEK, officeHours);
  const normalisation = fitNormalisation(twoWeeks);

  test('learns the level of each slot of the week', () => {
    assert.ok(Math.abs(levelAt(normalisation, TUESDAY_NOON) - Math.log1p(200)) < 0.1);
    assert.ok(Math.abs(levelAt(normalisation, TUESDAY_NIGHT) - Math.log1p(20)) < 0.1);
    assert.equal(levelAt(normalisation, SATURDAY_NOON), 0);
  });

  test('a busy hour gone silent is far below 0, a quiet hour with nothing is not', () => {
    const silent: CountSeries = {
      key: 'unit',
      startMinute: MONDAY,
      counts: new Float32Array(MINUTES_PER_WEEK),
    };
    const z = normalise(silent, normalisation).z;
    assert.equal(z[TUESDAY_NOON - MONDAY], -Z_LIMIT);
    assert.equal(z[TUESDAY_NIGHT - MONDAY], -Z_LIMIT);
    assert.equal(z[SATURDAY_NOON - MONDAY], 0);
  });

  test('usual counts stay near 0, with a spread of at most about 1', () => {
    const z = normalise(drawn(MINUTES_PER_WEEK, officeHours, 0, 2), normalisation).z;
    const mean = z.reduce((sum, value) => sum + value, 0) / z.length;
    const sd = Math.sqrt(z.reduce((sum, value) => sum + (value - mean) ** 2, 0) / z.length);
    assert.ok(Math.abs(mean) < 0.2, `mean z ${mean}`);
    assert.ok(sd < 1.2, `sd of z ${sd}`);
  });

  test('the extra spread is what the series shows beyond counting noise', () => {
    const poissonOnly = fitNormalisation(drawn(MINUTES_PER_WEEK, () => 50));
    const noisy = fitNormalisation(drawn(MINUTES_PER_WEEK, () => 50, 0.3));
    assert.ok(poissonOnly.extraSpread < 0.08, `Poisson series: ${poissonOnly.extraSpread}`);
    assert.ok(Math.abs(noisy.extraSpread - 0.3) < 0.08, `series with 0.3 extra: ${noisy.extraSpread}`);
  });

  test('the scale follows counting noise and never drops below MIN_SCALE', () => {
    assert.equal(scaleAt(normalisation, TUESDAY_NOON), MIN_SCALE);
    // Below one entry a minute, the counting noise of one entry a minute: √1 / (1 + 1).
    assert.ok(Math.abs(scaleAt(normalisation, SATURDAY_NOON) - 0.5) < 0.05);
    const steady = fitNormalisation({
      key: 'steady',
      startMinute: 0,
      counts: new Float32Array(5000).fill(1e6),
    });
    assert.equal(scaleAt(steady, 0), MIN_SCALE);
  });

  test('slots not yet seen take the same time of day from the days seen', () => {
    const twoDays = drawn(2 * MINUTES_PER_DAY, officeHours);
    const partial = fitNormalisation(twoDays);
    const fridayNoon = MONDAY + 4 * MINUTES_PER_DAY + 12 * 60;
    const fridayNight = MONDAY + 4 * MINUTES_PER_DAY + 2 * 60;
    assert.ok(Math.abs(levelAt(partial, fridayNoon) - Math.log1p(200)) < 0.1);
    assert.ok(Math.abs(levelAt(partial, fridayNight) - Math.log1p(20)) < 0.1);
  });

  test('countFromZ inverts normalise', () => {
    const series = drawn(MINUTES_PER_DAY, officeHours, 0, 3);
    const { z } = normalise(series, normalisation);
    for (const i of [0, 500, 700, 1200]) {
      const count = series.counts[i] ?? NaN;
      assert.ok(Math.abs(countFromZ(normalisation, MONDAY + i, z[i] ?? NaN) - count) < 1e-3 * (1 + count));
    }
  });

  test('a normalisation rebuilt from its stored parts is the same', () => {
    const rebuilt = normalisationFrom(normalisation.levelCodes, normalisation.extraSpread);
    assert.deepEqual(rebuilt, normalisation);
    assert.equal(normalisation.levelCodes.length, SLOTS_PER_WEEK);
    assert.throws(() => normalisationFrom(new Uint8Array(10), 0), /weekly levels/);
  });

  test('rejects counts that would poison the model', () => {
    for (const bad of [-1, NaN, Infinity]) {
      const counts = new Float64Array([1, 2, bad]);
      assert.throws(() => fitNormalisation({ key: 'bad', startMinute: 0, counts }), /count at minute 2/);
    }
    assert.throws(
      () => fitNormalisation({ key: 'empty', startMinute: 0, counts: new Float32Array(0) }),
      /no counts/,
    );
  });
});
