// Counters cumulated from cached chunks grouped by key: the same samples as summing the rows afresh,
// across chunk boundaries and after new entries in old and new chunks.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import {
  InMemorySeriesSource,
  instantQuery,
  newLabelMatcher,
  rangeQuery,
  type MatrixResult,
} from '../../src/api/prometheus/index.ts';
import { counterWindow, countsByKey, cumulativeSeries } from '../../src/store/read/counter-series.ts';
import { CHUNK_MINUTES } from '../../src/store/read/minutes.ts';
import { StoreSeriesSource } from '../../src/store/read/series-source.ts';
import { Store } from '../../src/store/store.ts';
import { MINUTE_MS, StoreRows } from '../api/store-rows.ts';

/** A chunk's first minute. */
const T0 = 80_556 * CHUNK_MINUTES;
const at = (minute: number) => (T0 + minute) * MINUTE_MS;

interface Written {
  host: string;
  minute: number;
  priority: number | null;
  count: number;
}

/** Each series' samples by its labels, as `minute: value` from the samples' times. */
function samples(result: MatrixResult): Record<string, Record<number, number>> {
  return Object.fromEntries(
    result.series.map((series) => [
      `${series.labels.host}/${series.labels.priority ?? '-'}`,
      Object.fromEntries(
        [...series.timestamps].map((ms, i) => [ms / MINUTE_MS - T0, series.values[i] as number]),
      ),
    ]),
  );
}

/**
 * What the counters should read from minute `from` to `to`: per (host, priority), the sum of every
 * count up to the end of each minute, from the key's first minute (or `from`).
 */
function expected(
  written: readonly Written[],
  from: number,
  to: number,
): Record<string, Record<number, number>> {
  const keys = new Set(written.map(({ host, priority }) => `${host}/${priority ?? '-'}`));
  const answer: Record<string, Record<number, number>> = {};
  for (const key of keys) {
    const rows = written.filter(({ host, priority }) => `${host}/${priority ?? '-'}` === key);
    const firstMinute = Math.min(...rows.map(({ minute }) => minute));
    if (firstMinute > to) continue;
    const points: Record<number, number> = {};
    for (let minute = Math.max(from, firstMinute); minute <= to; minute++) {
      // The sample at the end of the minute, stamped with the next minute's start.
      points[minute + 1] = rows
        .filter((row) => row.minute <= minute)
        .reduce((sum, row) => sum + row.count, 0);
    }
    answer[key] = points;
  }
  return answer;
}

describe('counters from chunks grouped by key', () => {
  let dir: string;
  let store: Store;
  let rows: StoreRows;
  const written: Written[] = [];
  const nowMs = at(3 * CHUNK_MINUTES + 100);
  const fresh = () => new StoreSeriesSource(store.db, { nowMs: () => nowMs });
  const write = (host: string, minute: number, count: number, priority: number | null) => {
    rows.entries(host, 'app.service', T0 + minute, count, { priority });
    written.push({ host, minute, priority, count });
  };

  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'lookout-counter-chunks-'));
    store = Store.open(dir);
    rows = new StoreRows(store.db);
    for (let minute = -400; minute < 3 * CHUNK_MINUTES + 90; minute += 7) write('a', minute, 2, 6);
    // Starts in the window's second chunk, ends before the last.
    for (let minute = CHUNK_MINUTES + 20; minute < 2 * CHUNK_MINUTES + 5; minute += 11)
      write('a', minute, 1, 3);
    // One row on each side of a chunk boundary, and one without a priority.
    write('b', CHUNK_MINUTES - 1, 4, 6);
    write('b', CHUNK_MINUTES, 5, 6);
    write('b', 2 * CHUNK_MINUTES + 17, 1, null);
    // Only after the windows below end.
    write('c', 3 * CHUNK_MINUTES + 80, 3, 6);
    // A row every minute, from before a window's start in its chunk to after another's end in its.
    for (let minute = CHUNK_MINUTES - 40; minute < 2 * CHUNK_MINUTES + 60; minute++)
      write('e', minute, 1 + (minute % 5), 6);
  });
  after(() => {
    store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const windows: [number, number][] = [
    [0, 3 * CHUNK_MINUTES + 50],
    [CHUNK_MINUTES - 30, 2 * CHUNK_MINUTES + 30],
    [CHUNK_MINUTES, CHUNK_MINUTES + 2],
    [2 * CHUNK_MINUTES + 300, 3 * CHUNK_MINUTES + 10],
  ];

  test('samples are the counts summed up to each minute, across chunk boundaries', () => {
    const source = fresh();
    for (const [from, to] of windows) {
      // A window's first sample is at the end of its first minute.
      const result = rangeQuery(source, 'lookout_log_entries_total', at(from + 1), at(to + 1), MINUTE_MS);
      assert.deepEqual(samples(result), expected(written, from, to), `minutes ${from} to ${to}`);
    }
    const narrow = rangeQuery(source, 'lookout_log_entries_total{priority="3"}', at(1), at(800), MINUTE_MS);
    assert.deepEqual(Object.keys(samples(narrow)), ['a/3']);
  });

  test('new entries in old and new chunks show in the next query', () => {
    const source = fresh();
    const query = 'lookout_log_entries_total';
    const [from, to] = windows[0] as [number, number];
    const range = [at(from + 1), at(to + 1), MINUTE_MS] as const;
    assert.deepEqual(samples(rangeQuery(source, query, ...range)), expected(written, from, to));
    write('a', CHUNK_MINUTES + 3, 10, 6);
    write('a', 3 * CHUNK_MINUTES + 40, 1, 6);
    write('b', 2 * CHUNK_MINUTES + 1, 2, 2);
    write('b', -50, 7, 6);
    assert.deepEqual(samples(rangeQuery(source, query, ...range)), expected(written, from, to));
    const rate = 'sum by (host) (rate(lookout_log_entries_total[5m]))';
    assert.deepEqual(rangeQuery(source, rate, ...range), rangeQuery(fresh(), rate, ...range));
  });

  test('a series with a negative count is not promised to never decrease, and its resets count', () => {
    const source = fresh();
    rows.db
      .prepare('INSERT INTO entry_counts (series_id, minute, priority, count) VALUES (?, ?, 6, -3)')
      .run(rows.series('d', 'app.service'), T0 + 2 * CHUNK_MINUTES + 3);
    write('d', 2 * CHUNK_MINUTES + 1, 5, 6);
    write('d', 2 * CHUNK_MINUTES + 6, 1, 6);
    const promised = (host: string) => {
      const matchers = [
        newLabelMatcher('=', 'host', host),
        newLabelMatcher('=', '__name__', 'lookout_log_entries_total'),
      ];
      return [...source.select(matchers, at(2 * CHUNK_MINUTES), at(2 * CHUNK_MINUTES + 20))].map(
        (series) => series.neverDecreases,
      );
    };
    assert.deepEqual(promised('d'), [false]);
    assert.ok(promised('a').every((flag) => flag === true));
    const timeMs = at(2 * CHUNK_MINUTES + 10);
    const raw = instantQuery(source, 'lookout_log_entries_total{host="d"}[10m]', timeMs);
    assert.equal(raw.resultType, 'matrix');
    const [counter] = raw.series;
    assert.deepEqual([...(counter?.values ?? [])], [5, 5, 2, 2, 2, 3, 3, 3, 3]);
    const scraped = new InMemorySeriesSource().add(
      counter?.labels ?? {},
      counter?.timestamps ?? [],
      counter?.values ?? [],
    );
    const query = 'increase(lookout_log_entries_total{host="d"}[10m])';
    const increase = (from: InMemorySeriesSource | StoreSeriesSource) => {
      const result = instantQuery(from, query, timeMs);
      assert.equal(result.resultType, 'vector');
      return result.samples.map((sample) => sample.value);
    };
    assert.deepEqual(increase(source), increase(scraped));
  });
});

describe('counts grouped by key', () => {
  // Key 6 counts every minute from 10 on, key 3 with gaps, key 2 a fraction and -0.
  const rows = [
    [10, 6, 2],
    [11, 3, 1],
    [11, 6, 1],
    [12, 6, 4],
    [13, 2, 0.5],
    [13, 6, 1],
    [14, 3, 3],
    [15, 2, -0],
  ] as const;
  const grouped = (only: readonly (readonly [number, number, number])[]) =>
    countsByKey({
      minutes: Int32Array.from(only, ([minute]) => minute),
      keys: Int32Array.from(only, ([, key]) => key),
      values: Float64Array.from(only, ([, , count]) => count),
    });

  test('keep the minutes of keys with gaps only, and whole counts as integers', () => {
    const counts = grouped(rows);
    assert.deepEqual([...counts.keys], [6, 3, 2]);
    assert.deepEqual([...counts.firstMinutes], [10, 11, 13]);
    assert.deepEqual([...counts.minuteStarts], [-1, 0, 2]);
    assert.deepEqual([...counts.minutes], [11, 14, 13, 15]);
    assert.ok(counts.counts instanceof Float64Array);
    assert.ok(Object.is(counts.counts[7], -0));
    assert.ok(grouped(rows.filter(([, key]) => key !== 2)).counts instanceof Int32Array);
  });

  test('cumulate to the running sums of each key from the window on', () => {
    for (const [from, to] of [
      [0, 20],
      [12, 13],
      [11, 20],
    ] as const) {
      const window = counterWindow((from + 1) * MINUTE_MS, (to + 1) * MINUTE_MS, Infinity);
      assert.ok(window !== null);
      const series = cumulativeSeries(window, new Map(), [grouped(rows)], (key) => ({ key: String(key) }));
      const found = Object.fromEntries(series.map(({ labels, values }) => [labels.key, [...values]]));
      const expected: Record<string, number[]> = {};
      for (const key of [6, 3, 2]) {
        const own = rows.filter((row) => row[1] === key);
        const first = Math.max(from, own[0]?.[0] ?? 0);
        if (first > to) continue;
        expected[String(key)] = Array.from({ length: to - first + 1 }, (_, i) =>
          own.filter(([minute]) => minute <= first + i).reduce((sum, [, , count]) => sum + count, 0),
        );
      }
      assert.deepEqual(found, expected, `minutes ${from} to ${to}`);
    }
  });
});
