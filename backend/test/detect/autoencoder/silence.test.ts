import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { SilenceHistory } from '../../../src/detect/autoencoder/silence.ts';
import {
  silenceHistory,
  silenceThreshold,
  SilenceWatch,
  TALKING_WINDOW,
} from '../../../src/detect/autoencoder/silence.ts';
import { countFromZ, fitNormalisation } from '../../../src/detect/autoencoder/normalisation.ts';
import type { SeriesNormalisation } from '../../../src/detect/autoencoder/normalisation.ts';
import type { CountSeries } from '../../../src/detect/autoencoder/series.ts';
import { MONDAY } from './synthetic.ts';

/** Feeds `counts` minute by minute from MONDAY; returns the evidence after each minute. */
function follow(watch: SilenceWatch, counts: number[], usual: number, hostLogged = () => true): number[] {
  return counts.map((count, offset) => watch.observe('a', MONDAY + offset, count, usual, hostLogged()));
}

const talking = (minutes: number, count = 5) => Array.from({ length: minutes }, () => count);
const silent = (minutes: number) => Array.from({ length: minutes }, () => 0);

describe('SilenceWatch', () => {
  test('a unit that was talking and goes quiet gathers what it usually logs, until it speaks again', () => {
    const evidence = follow(new SilenceWatch(), [...talking(TALKING_WINDOW), ...silent(4), 3, 0], 5);
    assert.deepEqual(evidence.slice(TALKING_WINDOW), [5, 10, 15, 20, 0, 5]);
  });

  test('a job that has not started yet is not silent: nothing was said before', () => {
    const evidence = follow(new SilenceWatch(), [...silent(TALKING_WINDOW), ...silent(10)], 90);
    assert.ok(evidence.every((value) => value === 0));
  });

  test('a unit that talks now and then (under 24 of 30 minutes) does not qualify', () => {
    const sometimes = Array.from({ length: TALKING_WINDOW }, (_, minute) => (minute % 2 === 0 ? 2 : 0));
    const evidence = follow(new SilenceWatch(), [...sometimes, ...silent(20)], 1);
    assert.ok(evidence.every((value) => value === 0));
  });

  test('a silence counts once its host is heard since it began (not while the whole host is quiet)', () => {
    // The host is quiet for the first 4 silent minutes (a network cut, a source lagging behind), then heard.
    let minute = 0;
    const hostLogged = () => minute++ - TALKING_WINDOW >= 4;
    const evidence = follow(new SilenceWatch(), [...talking(TALKING_WINDOW), ...silent(6)], 5, hostLogged);
    assert.deepEqual(evidence.slice(TALKING_WINDOW), [0, 0, 0, 0, 25, 30]);
    const neverHeard = follow(
      new SilenceWatch(),
      [...talking(TALKING_WINDOW), ...silent(20)],
      5,
      () => false,
    );
    assert.ok(neverHeard.every((value) => value === 0));
  });

  test('a boot of its host ends the silence: every unit is quiet while a host reboots', () => {
    const watch = new SilenceWatch();
    const counts = [...talking(TALKING_WINDOW), ...silent(3)];
    const before = counts.map((count, offset) => watch.observe('a', MONDAY + offset, count, 5, true));
    assert.deepEqual(before.slice(TALKING_WINDOW), [5, 10, 15]);
    const booting = watch.observe('a', MONDAY + counts.length, 0, 5, true, true);
    assert.equal(booting, 0);
  });
});

describe('silenceHistory and silenceThreshold', () => {
  /** Two days of a steady unit at 6 a minute, with the given silent stretches, on a host whose other unit logs throughout. */
  function host(silences: { at: number; minutes: number }[]): CountSeries[] {
    const counts = new Float32Array(2 * 1440).fill(6);
    for (const { at, minutes } of silences) counts.fill(0, at, at + minutes);
    return [
      { key: 'web|api', group: 'web', startMinute: MONDAY, counts },
      { key: 'web|cron', group: 'web', startMinute: MONDAY, counts: new Float32Array(2 * 1440).fill(1) },
    ];
  }

  test('keeps the silent runs of the history, heaviest first, each weighed by its usual counts', () => {
    const series = host([
      { at: 600, minutes: 2 },
      { at: 1200, minutes: 5 },
    ]);
    const normalisations = series.map(fitNormalisation);
    const history = silenceHistory(series, normalisations);
    assert.equal(history.days, 2);
    assert.equal(history.series, 2);
    const usual = (from: number, minutes: number) =>
      Array.from({ length: minutes }, (_, offset) =>
        countFromZ(normalisations[0] as SeriesNormalisation, MONDAY + from + offset, 0),
      ).reduce((sum, count) => sum + count, 0);
    assert.deepEqual(
      history.runs,
      [usual(1200, 5), usual(600, 2)].sort((a, b) => b - a),
    );
  });

  test('a silence of the whole host is left out', () => {
    const series = host([{ at: 600, minutes: 5 }]);
    (series[1] as CountSeries).counts.fill(0, 600, 605);
    assert.deepEqual(silenceHistory(series, series.map(fitNormalisation)).runs, []);
  });

  test('the threshold is the stricter of counting noise and what the history would have raised', () => {
    const quiet: SilenceHistory = { days: 7, series: 100, runs: [] };
    assert.equal(silenceThreshold(quiet, 1), Math.log(100 * 1440));
    const runs = [400, 300, 200, 100, 50, 20];
    const pausing: SilenceHistory = { days: 2, series: 100, runs };
    assert.equal(
      silenceThreshold(pausing, 1),
      200,
      'two alerts allowed in two days: the third run sets the bar',
    );
    assert.equal(silenceThreshold(pausing, 0.5), 300);
    assert.equal(silenceThreshold(pausing, 3), Math.log((100 * 1440) / 3), 'past every run: counting noise');
    assert.equal(silenceThreshold(pausing, 0), Infinity, 'no budget, no alerts');
  });
});
