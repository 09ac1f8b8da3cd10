import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import { formatDuration, parseDuration } from '../../src/api/prometheus/duration.ts';
import {
  MAX_TIME_MS,
  MIN_TIME_MS,
  parseDurationParameter,
  parseTime,
} from '../../src/api/prometheus/time.ts';

describe('parseDuration (Prometheus duration strings)', () => {
  test('every unit, alone and combined largest first', () => {
    assert.equal(parseDuration('5m'), 300_000);
    assert.equal(parseDuration('1h30m'), 5_400_000);
    assert.equal(parseDuration('90s'), 90_000);
    assert.equal(parseDuration('100ms'), 100);
    assert.equal(parseDuration('1d'), 86_400_000);
    assert.equal(parseDuration('1w2d'), 9 * 86_400_000);
    assert.equal(parseDuration('1y'), 365 * 86_400_000);
    assert.equal(parseDuration('1h0m1s'), 3_601_000);
    assert.equal(parseDuration('0'), 0);
  });

  test('rejects what model.ParseDuration rejects', () => {
    assert.throws(() => parseDuration(''), /empty duration string/);
    for (const text of ['1m1h', '5', '1.5h', '-5m', '5 m', '5M', '1h1h']) {
      assert.throws(() => parseDuration(text), /not a valid duration string/, text);
    }
    assert.throws(() => parseDuration('300000y'), /duration out of range/);
  });

  test('formats durations canonically', () => {
    assert.equal(formatDuration(5_400_000), '1h30m');
    assert.equal(formatDuration(90_000), '1m30s');
    assert.equal(formatDuration(8 * 86_400_000), '1w1d');
    assert.equal(formatDuration(0), '0s');
  });
});

describe('parseTime (time parameters)', () => {
  test('unix seconds, with decimals rounded to the millisecond', () => {
    assert.equal(parseTime('1435781451'), 1_435_781_451_000);
    assert.equal(parseTime('1435781451.781'), 1_435_781_451_781);
    assert.equal(parseTime('1435781451.7815'), 1_435_781_451_782);
    assert.equal(parseTime('-1.5'), -1500);
    assert.equal(parseTime('1e3'), 1_000_000);
  });

  test('RFC 3339 with Z or an offset, sub-millisecond digits dropped', () => {
    assert.equal(parseTime('2015-07-01T20:10:51.781Z'), 1_435_781_451_781);
    assert.equal(parseTime('2015-07-01T22:10:51.781+02:00'), 1_435_781_451_781);
    assert.equal(parseTime('2015-07-01T20:10:51.7819999Z'), 1_435_781_451_781);
    assert.equal(parseTime('2015-07-01T20:10:51Z'), 1_435_781_451_000);
    assert.equal(parseTime('1969-12-31T23:59:59Z'), -1000);
  });

  test("Prometheus's own minimum and maximum times mean all time", () => {
    assert.equal(parseTime('-292273086-05-16T16:47:06Z'), MIN_TIME_MS);
    assert.equal(parseTime('292277025-08-18T07:12:54.999999999Z'), MAX_TIME_MS);
  });

  test('rejects anything else with the Prometheus message', () => {
    for (const text of [
      'abc',
      '',
      '2015-13-01T00:00:00Z',
      '2015-02-30T00:00:00Z',
      '2015-07-01 20:10:51Z',
      'NaN',
      '0x10',
    ]) {
      assert.throws(() => parseTime(text), {
        message: `cannot parse ${JSON.stringify(text)} to a valid timestamp`,
      });
    }
  });
});

describe('parseDurationParameter (step, lookback_delta)', () => {
  test('float seconds or a duration', () => {
    assert.equal(parseDurationParameter('15'), 15_000);
    assert.equal(parseDurationParameter('0.5'), 500);
    assert.equal(parseDurationParameter('60.0'), 60_000);
    assert.equal(parseDurationParameter('1m30s'), 90_000);
  });

  test('rejects anything else with the Prometheus message', () => {
    assert.throws(() => parseDurationParameter('abc'), { message: 'cannot parse "abc" to a valid duration' });
    assert.throws(() => parseDurationParameter('1e30'), {
      message: 'cannot parse "1e30" to a valid duration. It overflows int64',
    });
  });
});
