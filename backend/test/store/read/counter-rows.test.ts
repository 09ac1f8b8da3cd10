// A counter chunk keeps only its counts by key: its rows, when read or patched, are made from them.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';

import { rangeQuery } from '../../../src/api/prometheus/evaluate.ts';
import { countRows, countsByKey } from '../../../src/store/read/counter-series.ts';
import type { MinuteRows } from '../../../src/store/read/minute-cache.ts';
import { StoreSeriesSource } from '../../../src/store/read/series-source.ts';
import { Store } from '../../../src/store/store.ts';
import { MINUTE_MS, StoreRows } from '../../api/store-rows.ts';

function plain({ minutes, keys, values }: MinuteRows): [number, number, number][] {
  return Array.from(minutes, (minute, i) => [minute, keys[i] as number, values[i] as number]);
}

describe('countRows', () => {
  test('gives back the rows countsByKey grouped: gaps, keys that come and go, fractions, -0, negatives', () => {
    const rows: [number, number, number][] = [];
    for (let minute = 100; minute < 160; minute++) {
      rows.push([minute, -1, 1 + (minute % 4)]);
      if (minute % 3 === 0) rows.push([minute, 3, 2]);
      if (minute > 120 && minute < 130) rows.push([minute, 6, minute === 125 ? -0 : 7]);
      if (minute === 150) rows.push([minute, 9, 0.5]);
      if (minute === 151) rows.push([minute, 10, -4]);
    }
    const minuteRows = {
      minutes: Int32Array.from(rows, ([minute]) => minute),
      keys: Int32Array.from(rows, ([, key]) => key),
      values: Float64Array.from(rows, ([, , value]) => value),
    };
    const back = plain(countRows(countsByKey(minuteRows)));
    assert.deepEqual(back, rows);
    assert.ok(Object.is(back.find(([minute, key]) => minute === 125 && key === 6)?.[2], -0));
    assert.deepEqual(
      plain(
        countRows(
          countsByKey({ minutes: new Int32Array(0), keys: new Int32Array(0), values: new Float64Array(0) }),
        ),
      ),
      [],
    );
  });
});

describe('StoreSeriesSource counter chunks', () => {
  const T0 = 29_000_000;
  const at = (minute: number) => (T0 + minute) * MINUTE_MS;
  let dir: string;
  let store: Store;
  let rows: StoreRows;
  let nowMs = at(100);
  let source: StoreSeriesSource;

  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'lookout-counter-rows-'));
    store = Store.open(dir);
    rows = new StoreRows(store.db);
    source = new StoreSeriesSource(store.db, { nowMs: () => nowMs });
    for (let minute = 0; minute < 90; minute++) {
      rows.entries('web-1', 'ssh.service', T0 + minute, 1 + (minute % 3));
      if (minute % 10 === 0) rows.entries('web-1', 'ssh.service', T0 + minute, 2, { priority: 3 });
      if (minute % 25 === 0) rows.entries('web-1', 'ssh.service', T0 + minute, 1, { priority: null });
    }
  });
  after(() => {
    store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const visited = () => {
    const seen: [number, number, number][] = [];
    const seriesId = source.catalog.find('web-1', 'ssh.service')?.id ?? -1;
    source.visitEntryCounts(seriesId, T0, T0 + 200, (minute, key, value) => seen.push([minute, key, value]));
    return seen;
  };
  /** sum(lookout_log_entries_total) over minutes 0-99 against the sums of `counts` up to each sample. */
  const assertTotals = (counts: readonly (readonly [number, number, number])[]) => {
    const [series] = rangeQuery(source, 'sum(lookout_log_entries_total)', at(0), at(99), MINUTE_MS).series;
    const expected = [...(series?.timestamps ?? [])].map((ms) =>
      counts.reduce((sum, [minute, , count]) => ((minute + 1) * MINUTE_MS <= ms ? sum + count : sum), 0),
    );
    assert.ok(expected.length > 90);
    assert.deepEqual([...(series?.values ?? [])], expected);
  };

  test('read the same, and take less memory, once a query has grouped them by key', () => {
    const before = visited();
    const bytesBefore = source.cacheBytes().entry_counts ?? 0;
    assertTotals(before);
    assert.ok((source.cacheBytes().entry_counts ?? 0) < bytesBefore);
    assert.deepEqual(visited(), before);
  });

  test('new entries in a chunk kept only as counts by key show in its rows and in queries', () => {
    const before = visited();
    nowMs = at(120);
    rows.entries('web-1', 'ssh.service', T0 + 40, 5, { priority: 2 });
    rows.entries('web-1', 'ssh.service', T0 + 95, 4, { priority: 2 });
    const expected: [number, number, number][] = [...before, [T0 + 40, 2, 5], [T0 + 95, 2, 4]];
    expected.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
    assert.deepEqual(visited(), expected);
    assertTotals(visited());
  });
});
