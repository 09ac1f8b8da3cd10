// An aggregation of a range function over one metric adds each series as the source yields it (when the
// source keeps to label order) instead of waiting for them all: the answers must be the same to the bit.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';

import { instantQuery, rangeQuery } from '../../src/api/prometheus/evaluate.ts';
import { formatLabels, sortByLabels } from '../../src/api/prometheus/labels.ts';
import { InMemorySeriesSource } from '../../src/api/prometheus/memory-source.ts';
import { parseSeriesSelector } from '../../src/api/prometheus/parse.ts';
import type { MatrixResult, QueryResult } from '../../src/api/prometheus/results.ts';
import type { SeriesSource, StoredSeries } from '../../src/api/prometheus/series-source.ts';
import { SeededRandom } from '../../src/detect/random.ts';
import { StoreSeriesSource } from '../../src/store/read/series-source.ts';
import { Store } from '../../src/store/store.ts';
import { MINUTE_MS, StoreRows } from '../api/store-rows.ts';

/** A source's series in reverse label order, with how often it was asked: the engine's unfused answer. */
class Wrapped implements SeriesSource {
  selects = 0;

  constructor(
    private readonly source: SeriesSource,
    private readonly reversed: boolean,
  ) {}

  *select(...args: Parameters<SeriesSource['select']>): Iterable<StoredSeries> {
    this.selects++;
    if (!this.reversed) {
      yield* this.source.select(...args);
      return;
    }
    // Copies: the source may reuse a series' arrays for the next.
    const all: StoredSeries[] = [];
    for (const stored of this.source.select(...args)) {
      all.push({
        ...stored,
        values: stored.values.slice(),
        ...(stored.stale && { stale: stored.stale.slice() }),
      });
    }
    yield* all.reverse();
  }

  labelNames(...args: Parameters<SeriesSource['labelNames']>): string[] {
    return this.source.labelNames(...args);
  }

  labelValues(...args: Parameters<SeriesSource['labelValues']>): string[] {
    return this.source.labelValues(...args);
  }
}

/** A result with every value spelled out, so that deepEqual compares the bits (NaN, -0, Inf). */
function spelled(result: QueryResult): unknown {
  if (result.resultType === 'vector') {
    return result.samples.map((sample) => [
      formatLabels(sample.labels),
      Object.is(sample.value, -0) ? '-0' : sample.value,
    ]);
  }
  assert.equal(result.resultType, 'matrix');
  return (result as MatrixResult).series.map((series) => [
    formatLabels(series.labels),
    [...series.timestamps],
    [...series.values].map((value) => (Object.is(value, -0) ? '-0' : value)),
  ]);
}

/**
 * Asserts that `query` gives the same answer when the source keeps to label order (fused: one
 * select) as when it does not (one select that stops at the second series, then the unfused path).
 */
function assertFusedAsUnfused(
  source: SeriesSource,
  query: string,
  startMs: number,
  endMs: number,
  stepMs: number,
  fused = true,
): void {
  const ordered = new Wrapped(source, false);
  const reversed = new Wrapped(source, true);
  const range = spelled(rangeQuery(ordered, query, startMs, endMs, stepMs));
  assert.deepEqual(range, spelled(rangeQuery(reversed, query, startMs, endMs, stepMs)), query);
  assert.ok((range as unknown[]).length > 0, `${query} should have series`);
  assert.equal(ordered.selects, 1, query);
  assert.equal(reversed.selects, fused ? 2 : 1, query);
  assert.deepEqual(
    spelled(instantQuery(ordered, query, endMs)),
    spelled(instantQuery(reversed, query, endMs)),
    `${query} at ${endMs}`,
  );
}

const AGGREGATIONS = ['sum', 'avg', 'max', 'min', 'count'];
const GROUPINGS = ['', ' by (host)', ' without (unit)', ' by (host, unit)'];

describe('aggregations of range functions, series added as they come', () => {
  // Counters with gaps, resets, NaN and infinities, values far apart in size (so that the order of
  // addition shows in the bits), stale markers, and series that start late or end early.
  const random = new SeededRandom(11);
  const source = new InMemorySeriesSource();
  const MINUTES = 240;
  const hosts = ['b', 'a', 'c'];
  for (const host of hosts) {
    for (const unit of ['z', 'x', 'y', 'w']) {
      const timestamps: number[] = [];
      const values: number[] = [];
      const stale: boolean[] = [];
      let value = random.next() < 0.5 ? 1e17 : 3;
      const start = Math.floor(random.next() * 30);
      const end = MINUTES - Math.floor(random.next() * 30);
      for (let minute = start; minute < end; minute++) {
        if (random.next() < 0.15) continue;
        const roll = random.next();
        if (roll < 0.03) value = 0;
        else if (roll < 0.04) value = NaN;
        else if (roll < 0.05) value = Infinity;
        else if (Number.isNaN(value) || value === Infinity) value = random.next() * 10;
        else value += Math.floor(random.next() * 7) + random.next() * 1e-3;
        timestamps.push(minute * MINUTE_MS + Math.floor(random.next() * 1000));
        values.push(value);
        stale.push(random.next() < 0.02);
      }
      source.add(
        { __name__: 'c', host, unit, kind: random.next() < 0.5 ? 'one' : 'two' },
        timestamps,
        values,
        stale,
      );
    }
  }
  source.add({ __name__: 'c', host: 'd', unit: 'v', extra: '' }, [0, MINUTE_MS, 2 * MINUTE_MS], [1, 2, 3]);
  source.add({ __name__: 'other', host: 'a', unit: 'x', kind: 'one' }, [0, MINUTE_MS], [5, 7]);

  test('every aggregation of rate, increase and the *_over_time functions, by range and instant query', () => {
    const functions = ['rate(c[5m])', 'increase(c[10m])', 'sum_over_time(c[3m])', 'avg_over_time(c[7m])'];
    for (const op of AGGREGATIONS) {
      for (const grouping of GROUPINGS) {
        for (const call of functions) {
          assertFusedAsUnfused(
            source,
            `${op}${grouping} (${call})`,
            30 * MINUTE_MS,
            200 * MINUTE_MS,
            MINUTE_MS,
          );
        }
      }
    }
    assertFusedAsUnfused(
      source,
      'sum by (kind) (max_over_time(c{host!="a"}[90s] offset 1m))',
      0,
      240 * MINUTE_MS,
      17_000,
    );
    assertFusedAsUnfused(source, 'count(count_over_time(c[1m]))', 0, 240 * MINUTE_MS, 45_000);
    assertFusedAsUnfused(source, 'sum((rate(c{unit=~"x|y"}[2m])))', 0, 240 * MINUTE_MS, 2 * MINUTE_MS);
  });

  test('without one metric name the series are collected first (two metrics may be one series then)', () => {
    assertFusedAsUnfused(
      source,
      'sum by (host) (rate({__name__=~"c|other"}[5m]))',
      0,
      10 * MINUTE_MS,
      MINUTE_MS,
      false,
    );
    assertFusedAsUnfused(source, 'topk(2, rate(c[5m]))', 30 * MINUTE_MS, 60 * MINUTE_MS, MINUTE_MS, false);
  });
});

describe('StoreSeriesSource', () => {
  const T0 = 29_000_000;
  const at = (minute: number) => (T0 + minute) * MINUTE_MS;
  let dir: string;
  let store: Store;
  let source: StoreSeriesSource;

  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'lookout-fused-'));
    store = Store.open(dir);
    const rows = new StoreRows(store.db);
    const random = new SeededRandom(5);
    // Hosts and units whose byte order (SQLite's) is not their order as JavaScript strings.
    const hosts = ['web-2', 'web-10', '\uE000db', '\u{1F600}db'];
    const units = ['ssh.service', 'cron.service', '\uE000a.service', '\u{1F600}a.service'];
    for (const host of hosts) {
      for (const unit of units) {
        for (let minute = 0; minute < 180; minute++) {
          if (random.next() < 0.7)
            rows.counts(host, unit, T0 + minute, 6, 1 + Math.floor(random.next() * 9), 10);
          if (random.next() < 0.1) rows.counts(host, unit, T0 + minute, 3, 1, 9);
          // A negative count: the counter decreases, as after a reset.
          if (unit === 'cron.service' && minute % 37 === 5) rows.counts(host, unit, T0 + minute, 3, -2, 9);
          if (random.next() < 0.05) rows.counts(host, unit, T0 + minute, -1, 2, 100);
        }
        rows.score(host, unit, T0 + 10, 0.5);
      }
      rows.event(host, 'ssh.service', T0 + 20, 3, 0.9, ['burst']);
      rows.event(host, 'ssh.service', T0 + 90, 2, 0.8, ['new-template']);
      rows.event(host, 'cron.service', T0 + 50, 1, 0.7, ['burst']);
    }
    source = new StoreSeriesSource(store.db, { nowMs: () => at(200), maxTemplateSeries: 100 });
  });
  after(() => {
    store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  test('yields every metric in label order', () => {
    for (const selector of [
      '{__name__=~"lookout_.+"}',
      'lookout_log_entries_total',
      'lookout_template_entries_total',
      'lookout_anomaly_events_total',
      'lookout_anomaly_score',
      '{unit!="ssh.service",host=~"web.*"}',
    ]) {
      const labels = [...source.select(parseSeriesSelector(selector), at(0), at(180))].map(
        (stored) => stored.labels,
      );
      assert.ok(labels.length > 0, selector);
      assert.deepEqual(
        labels.map(formatLabels),
        sortByLabels(labels.map((l) => ({ labels: l }))).map((l) => formatLabels(l.labels)),
        selector,
      );
    }
  });

  test('aggregated counters are the same added as they come', () => {
    for (const op of AGGREGATIONS) {
      for (const grouping of GROUPINGS) {
        for (const call of [
          'rate(lookout_log_entries_total[5m])',
          'increase(lookout_template_entries_total[1h])',
          'increase(lookout_anomaly_events_total[30m])',
        ]) {
          assertFusedAsUnfused(source, `${op}${grouping} (${call})`, at(60), at(180), MINUTE_MS);
        }
      }
    }
    assertFusedAsUnfused(
      source,
      'sum by (priority) (rate(lookout_log_entries_total{priority=~"3|6"}[2m]))',
      at(0),
      at(179),
      30_000,
    );
  });
});
