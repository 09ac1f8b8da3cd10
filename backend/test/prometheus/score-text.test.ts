// Scores kept as response text: a raw selector's body copies each cached chunk's points instead of
// writing them again, and must be the same bytes as when they are written afresh.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import {
  queryResponseBody,
  rangeQuery,
  writtenPoints,
  type SeriesSource,
} from '../../src/api/prometheus/index.ts';
import { ByteWriter } from '../../src/api/prometheus/byte-writer.ts';
import { CHUNK_MINUTES } from '../../src/store/read/minutes.ts';
import { StoreSeriesSource } from '../../src/store/read/series-source.ts';
import { Store } from '../../src/store/store.ts';
import { MINUTE_MS, StoreRows } from '../api/store-rows.ts';

/** A chunk's first minute, so that the data below crosses chunk boundaries where it says. */
const T0 = 80_556 * CHUNK_MINUTES;
const NOW_MINUTE = T0 + 1000;
const at = (minute: number) => (T0 + minute) * MINUTE_MS;

/** The same series, never with their text: every point written afresh. */
function withoutText(source: SeriesSource): SeriesSource {
  return {
    select: (matchers, startMs, endMs) => source.select(matchers, startMs, endMs),
    labelNames: (...args) => source.labelNames(...args),
    labelValues: (...args) => source.labelValues(...args),
  };
}

function body(source: SeriesSource, query: string, startMs: number, endMs: number, stepMs: number): string {
  return queryResponseBody(rangeQuery(source, query, startMs, endMs, stepMs)).toString();
}

describe('scores kept as response text', () => {
  let dir: string;
  let store: Store;
  let rows: StoreRows;
  let nowMs = NOW_MINUTE * MINUTE_MS;
  const clock = () => nowMs;
  const fresh = () => new StoreSeriesSource(store.db, { nowMs: clock });

  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'lookout-score-text-'));
    store = Store.open(dir);
    rows = new StoreRows(store.db);
    const odd = [0, 1, 0.1 + 0.2, 1 / 3, 1e-7, 2.5e-9, 0.000001, 0.5, 2 ** -20, 123.456];
    for (let minute = -30; minute < 995; minute++) {
      rows.score('web-1', 'ssh.service', T0 + minute, odd[(minute + 30) % odd.length] as number);
      // Gaps, so stale markers, across a chunk boundary.
      if (minute < 300 || (minute >= 420 && minute < 700) || minute >= 720) {
        rows.score('web-2', 'ssh.service', T0 + minute, ((minute * 7919) % 1000) / 1001);
      }
    }
    for (let minute = 370; minute < 995; minute++)
      rows.score('db-1', 'postgresql.service', T0 + minute, 0.25);
  });
  after(() => {
    store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  test('the text is what writing each point gives, reused for the first points', () => {
    const timestamps = Float64Array.from([1e12, 1_700_000_000_500, 1_700_000_060_000, -1500, 2 ** 53 + 2]);
    const values = Float64Array.from([0.1, NaN, -Infinity, 1e-7, -0]);
    const out = new ByteWriter(0);
    for (let i = 0; i < timestamps.length; i++) {
      out.pointAt(timestamps, values, i);
      out.comma();
    }
    const expected = out.finish().toString();
    const whole = writtenPoints(timestamps, values, timestamps.length);
    assert.equal(Buffer.from(whole.bytes).toString(), expected);
    const firstTwo = writtenPoints(timestamps, values, 2);
    const extended = writtenPoints(timestamps, values, timestamps.length, firstTwo, 2);
    assert.deepEqual(extended, whole);
    assert.equal(
      Buffer.from(whole.bytes.subarray(whole.bounds[1], whole.bounds[2])).toString(),
      '[1700000000.500,"NaN"],',
    );
  });

  test('bodies are the same bytes as written afresh, at any step, offset and start', () => {
    const source = fresh();
    const before = source.cacheBytes().anomaly_scores ?? 0;
    const ranges: [string, number, number, number][] = [
      ['lookout_anomaly_score', at(0), at(990), MINUTE_MS],
      ['lookout_anomaly_score', at(0) + 30_000, at(990), MINUTE_MS],
      ['lookout_anomaly_score', at(CHUNK_MINUTES), at(2 * CHUNK_MINUTES), 2 * MINUTE_MS],
      ['lookout_anomaly_score', at(290), at(450), 15_000],
      ['lookout_anomaly_score', at(-40), at(20), 7_000],
      ['(lookout_anomaly_score{host="web-2"})', at(280), at(999), MINUTE_MS],
      ['lookout_anomaly_score offset 5m', at(0), at(990), MINUTE_MS],
      ['lookout_anomaly_score', at(980), at(1200), MINUTE_MS],
    ];
    for (const [query, startMs, endMs, stepMs] of ranges) {
      assert.equal(
        body(source, query, startMs, endMs, stepMs),
        body(withoutText(source), query, startMs, endMs, stepMs),
        `${query} from ${startMs} to ${endMs} every ${stepMs} ms`,
      );
    }
    // The points of 2,600 rows, about 30 bytes each, now counted with the cache.
    assert.ok((source.cacheBytes().anomaly_scores ?? 0) - before > 2600 * 30);
  });

  test('new and rewritten scores show in the text, in settled and settling chunks', () => {
    const source = fresh();
    const query = 'lookout_anomaly_score';
    const range = [at(0), at(999), MINUTE_MS] as const;
    assert.equal(body(source, query, ...range), body(fresh(), query, ...range));
    // Settling: the detector rewrites the last minutes and scores a new one.
    rows.score('web-1', 'ssh.service', T0 + 993, 0.875);
    rows.score('web-1', 'ssh.service', T0 + 995, 0.0625);
    nowMs += MINUTE_MS;
    assert.equal(body(source, query, ...range), body(fresh(), query, ...range));
    // Settled: entries arrive for an old minute, and its score is written again with them.
    rows.entries('web-2', 'ssh.service', T0 + 100, 3);
    rows.score('web-2', 'ssh.service', T0 + 100, 0.99);
    rows.score('web-2', 'ssh.service', T0 + 310, 0.5);
    rows.entries('web-2', 'ssh.service', T0 + 310, 1);
    assert.equal(body(source, query, ...range), body(fresh(), query, ...range));
    // Rewritten where no entry shows it: the caller says so.
    rows.score('db-1', 'postgresql.service', T0 + 400, 0.125);
    source.forgetScores();
    assert.equal(body(source, query, ...range), body(fresh(), query, ...range));
  });

  test('one budget for every table: counters read after scores take the memory of the scores', () => {
    rows.entries('web-1', 'ssh.service', T0 + 10, 2);
    rows.entries('web-1', 'ssh.service', T0 + 900, 1);
    // Rows only: the text is for raw selections.
    const scores = 'max(lookout_anomaly_score)';
    const counters = 'rate(lookout_log_entries_total[5m])';
    const range = [at(0), at(999), MINUTE_MS] as const;
    const roomy = fresh();
    body(roomy, scores, ...range);
    const scoreBytes = roomy.cacheBytes().anomaly_scores ?? 0;
    const small = new StoreSeriesSource(store.db, { nowMs: clock, maxCacheBytes: scoreBytes });
    assert.equal(body(small, scores, ...range), body(roomy, scores, ...range));
    assert.equal(small.cacheBytes().anomaly_scores, scoreBytes);
    assert.equal(body(small, counters, ...range), body(roomy, counters, ...range));
    const { anomaly_scores: left = 0, entry_counts: counts = 0 } = small.cacheBytes();
    assert.ok(counts > 0 && left < scoreBytes, `scores ${left}, counts ${counts}`);
    assert.ok(left + counts <= scoreBytes, `${left} + ${counts} over ${scoreBytes}`);
  });

  test('a cache too small for all the text keeps it where it fits and still answers the same', () => {
    const query = 'lookout_anomaly_score';
    const range = [at(0), at(999), MINUTE_MS] as const;
    const expected = body(withoutText(fresh()), query, ...range);
    const kept = [40_000, 60_000, 80_000].map((maxCacheBytes) => {
      const small = new StoreSeriesSource(store.db, { nowMs: clock, maxCacheBytes });
      // The last chunks' text first, so that where the earlier ones have none it is between runs.
      body(small, query, at(800), at(999), MINUTE_MS);
      assert.equal(body(small, query, ...range), expected);
      assert.equal(body(small, query, ...range), expected);
      const bytes = small.cacheBytes().anomaly_scores ?? 0;
      assert.ok(bytes <= maxCacheBytes, `${bytes} over ${maxCacheBytes}`);
      return bytes;
    });
    // The rows alone, then text for some chunks too, then for more.
    assert.ok(
      (kept[0] as number) < (kept[1] as number) && (kept[1] as number) < (kept[2] as number),
      `${kept}`,
    );
  });
});
