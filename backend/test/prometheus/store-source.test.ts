// The PromQL engine over the real SQLite store: rows written as ingest and detection write them, read
// back as lookout_* series.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import {
  InMemorySeriesSource,
  instantQuery,
  rangeQuery,
  type QueryResult,
} from '../../src/api/prometheus/index.ts';
import { StoreSeriesSource } from '../../src/store/read/series-source.ts';
import { Store } from '../../src/store/store.ts';
import { MINUTE_MS, StoreRows } from '../api/store-rows.ts';

const T0 = 29_000_000; // a minute since the epoch (2025)
const NOW_MS = (T0 + 200) * MINUTE_MS;

function vector(result: QueryResult): Record<string, number> {
  assert.equal(result.resultType, 'vector');
  return Object.fromEntries(
    result.samples.map((sample) => [
      Object.entries(sample.labels)
        .filter(([name]) => name !== '__name__')
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([name, value]) => `${name}=${value}`)
        .join(','),
      sample.value,
    ]),
  );
}

describe('StoreSeriesSource', () => {
  let dir: string;
  let store: Store;
  let rows: StoreRows;
  let source: StoreSeriesSource;
  const at = (minute: number) => (T0 + minute) * MINUTE_MS;

  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'lookout-source-'));
    store = Store.open(dir);
    rows = new StoreRows(store.db);
    source = new StoreSeriesSource(store.db, { nowMs: () => NOW_MS, maxTemplateSeries: 2 });
    for (let minute = 0; minute < 10; minute++) rows.score('web-1', 'ssh.service', T0 + minute, minute / 10);
    for (let minute = 0; minute < 30; minute++) rows.score('web-2', 'ssh.service', T0 + minute, 0.5);
    rows.entries('web-1', 'ssh.service', T0, 5);
    rows.entries('web-1', 'ssh.service', T0 + 3, 2, { priority: 3, templateId: 7 });
    rows.entries('web-1', 'ssh.service', T0 + 5, 4);
    rows.entries('web-1', 'cron.service', T0 + 1, 1, { priority: null });
    rows.event('web-1', 'ssh.service', T0 + 2, 3, 0.9, ['burst', 'new-template']);
    rows.event('web-1', 'ssh.service', T0 + 8, 1, 0.7, ['burst']);
  });
  after(() => {
    store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  test('scores are gauges stamped at the minute start, stale once the detector has moved past', () => {
    const result = rangeQuery(source, 'lookout_anomaly_score{host="web-1"}', at(0), at(12), MINUTE_MS);
    assert.equal(result.series.length, 1);
    const [series] = result.series;
    assert.deepEqual([...(series?.values ?? [])], [0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9]);
    assert.equal(series?.timestamps[0], at(0));
    // Without the marker the last score would be looked back on until minute 14.
    assert.deepEqual(vector(instantQuery(source, 'lookout_anomaly_score', at(11))), {
      'host=web-2,unit=ssh.service': 0.5,
    });
  });

  test('entry counters are cumulative since the first minute, one sample at the end of each minute', () => {
    const result = rangeQuery(
      source,
      'lookout_log_entries_total{unit="ssh.service"}',
      at(2),
      at(7),
      MINUTE_MS,
    );
    const byPriority = Object.fromEntries(
      result.series.map((series) => [series.labels.priority, [...series.values]]),
    );
    // Samples at the ends of minutes 2..6: 5 entries in minute 0 and 4 in minute 5 (priority 6), 2 in minute 3 (priority 3).
    assert.deepEqual(byPriority, { '6': [5, 5, 5, 5, 9, 9], '3': [2, 2, 2, 2] });
    // rate() and increase() see the same samples as from a scraped counter.
    const samples = instantQuery(source, 'lookout_log_entries_total{priority="6"}[10m]', at(10));
    assert.equal(samples.resultType, 'matrix');
    const [counter] = samples.series;
    assert.deepEqual([...(counter?.values ?? [])], [5, 5, 5, 5, 5, 9, 9, 9, 9, 9]);
    assert.deepEqual([...(counter?.timestamps ?? [])], [1, 2, 3, 4, 5, 6, 7, 8, 9, 10].map(at));
    const scraped = new InMemorySeriesSource().add(
      counter?.labels ?? {},
      counter?.timestamps ?? [],
      counter?.values ?? [],
    );
    const query = 'increase(lookout_log_entries_total{priority="6"}[10m])';
    assert.deepEqual(
      vector(instantQuery(source, query, at(10))),
      vector(instantQuery(scraped, query, at(10))),
    );
  });

  test('new entries show at once, in cached windows too', () => {
    const query = 'sum(lookout_log_entries_total{host="web-1",unit="ssh.service"})';
    assert.deepEqual(vector(instantQuery(source, query, at(30))), { '': 11 });
    rows.entries('web-1', 'ssh.service', T0 + 4, 10);
    rows.entries('web-1', 'ssh.service', T0 - 100, 1);
    assert.deepEqual(vector(instantQuery(source, query, at(30))), { '': 22 });
    const range = rangeQuery(source, query, at(3), at(6), MINUTE_MS);
    assert.deepEqual([...(range.series[0]?.values ?? [])], [6, 8, 18, 22]);
  });

  test('scores the detector writes for a silent series near new entries show in cached windows', () => {
    const query = 'lookout_anomaly_score{host="db-1"}';
    rows.score('db-1', 'postgresql.service', T0 + 50, 0.25);
    assert.deepEqual(vector(instantQuery(source, query, at(50))), {
      'host=db-1,unit=postgresql.service': 0.25,
    });
    // Entries of another series at minute 53 close minute 51, which is scored for the silent db-1 too.
    rows.entries('web-2', 'ssh.service', T0 + 53, 1);
    rows.score('db-1', 'postgresql.service', T0 + 51, 0.75);
    assert.deepEqual(vector(instantQuery(source, query, at(51))), {
      'host=db-1,unit=postgresql.service': 0.75,
    });
  });

  test('events count under their main reason from the minute they start', () => {
    assert.deepEqual(vector(instantQuery(source, 'lookout_anomaly_events_total', at(20))), {
      'host=web-1,reason=burst,unit=ssh.service': 2,
    });
    assert.deepEqual(vector(instantQuery(source, 'lookout_anomaly_events_total', at(5))), {
      'host=web-1,reason=burst,unit=ssh.service': 1,
    });
  });

  test('template counters need a narrow selector', () => {
    assert.throws(
      () => instantQuery(source, 'lookout_template_entries_total', at(20)),
      /lookout_template_entries_total selects 4 \(host, unit\) series, more than the 2.*narrow the selector/,
    );
    assert.deepEqual(
      vector(instantQuery(source, 'lookout_template_entries_total{host="web-1",unit="ssh.service"}', at(20))),
      { 'host=web-1,template_id=1,unit=ssh.service': 20, 'host=web-1,template_id=7,unit=ssh.service': 2 },
    );
  });

  test('label look-ups without reading samples', () => {
    assert.deepEqual(source.labelValues('priority', [], at(0), at(20)), ['3', '6']);
    assert.deepEqual(source.labelValues('host', [], at(20), at(25)), ['web-1', 'web-2']);
    assert.deepEqual(source.labelNames([], at(0), at(20)), [
      '__name__',
      'host',
      'priority',
      'reason',
      'unit',
    ]);
    assert.deepEqual(source.labelValues('__name__', [], NOW_MS + MINUTE_MS, NOW_MS + 2 * MINUTE_MS), []);
  });

  test('counters of keys far apart, counted before the window and in it', () => {
    rows.entries('web-3', 'nginx.service', T0 + 2, 3, { templateId: 5 });
    rows.entries('web-3', 'nginx.service', T0 + 4, 1, { templateId: 900_000 });
    rows.entries('web-3', 'nginx.service', T0 + 6, 2, { templateId: 900_000 });
    const result = rangeQuery(
      source,
      'lookout_template_entries_total{host="web-3"}',
      at(5),
      at(7),
      MINUTE_MS,
    );
    assert.deepEqual(
      Object.fromEntries(result.series.map((series) => [series.labels.template_id, [...series.values]])),
      { '5': [3, 3, 3], '900000': [1, 1, 3] },
    );
  });

  test('label sets are made once per series and key, and handed out again', () => {
    const query = 'lookout_log_entries_total';
    const first = rangeQuery(source, query, at(0), at(10), MINUTE_MS).series;
    const again = rangeQuery(source, query, at(5), at(20), MINUTE_MS).series;
    assert.ok(first.length > 1);
    assert.deepEqual(
      again.map((series) => series.labels),
      first.map((series) => series.labels),
    );
    first.forEach((series, i) => assert.equal(again[i]?.labels, series.labels));
  });

  test('warming up reads the recent rows into the cache; the answers stay those of a cold source', () => {
    const warmed = new StoreSeriesSource(store.db, { nowMs: () => NOW_MS, maxTemplateSeries: 2 });
    const step = warmed.warmUp(3 * 3600_000);
    let steps = 0;
    while (step()) steps++;
    assert.equal(steps + 1, source.catalog.all().length);
    assert.ok((warmed.cacheBytes().anomaly_scores ?? 0) > 0);
    assert.ok((warmed.cacheBytes().entry_counts ?? 0) > 0);
    const queries = [
      'lookout_anomaly_score',
      'sum by (host) (rate(lookout_log_entries_total[5m]))',
      'increase(lookout_log_entries_total[1h])',
    ];
    const answers = (from: StoreSeriesSource) =>
      queries.map((query) => rangeQuery(from, query, at(0), at(60), MINUTE_MS));
    assert.deepEqual(answers(warmed), answers(new StoreSeriesSource(store.db, { nowMs: () => NOW_MS })));
    rows.entries('web-2', 'ssh.service', T0 + 40, 6);
    rows.score('web-2', 'ssh.service', T0 + 40, 0.125);
    assert.deepEqual(answers(warmed), answers(new StoreSeriesSource(store.db, { nowMs: () => NOW_MS })));
  });
});
