import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { LruMap } from '../../../src/detect/entries/lru.ts';
import type { LruValue } from '../../../src/detect/entries/lru.ts';
import type { MinedEntry } from '../../../src/mining/mined-entry.ts';
import { TemplateMiner } from '../../../src/mining/miner.ts';
import { EntryScorer } from '../../../src/detect/entries/scorer.ts';
import { encodeSnapshot } from '../../../src/store/snapshot-codec.ts';
import { FeatureBench, entry } from './helpers.ts';
import { word } from './load.ts';

class Item implements LruValue<number, Item> {
  older: Item | null = null;
  newer: Item | null = null;
  constructor(readonly key: number) {}
}

describe('bounded memory', () => {
  test('an LRU map forgets the least recently used value', () => {
    const map = new LruMap<number, Item>(3);
    for (const key of [1, 2, 3]) map.add(new Item(key));
    map.get(1);
    assert.equal(map.add(new Item(4))?.key, 2);
    assert.deepEqual(
      map.values().map((item) => item.key),
      [3, 1, 4],
    );
    assert.equal(map.size, 3);
  });

  test('200,000 distinct parameter values keep one template in fixed memory', () => {
    const bench = new FeatureBench();
    const feed = (from: number, to: number) => {
      for (let index = from; index < to; index++) {
        bench.feed(`the office network saw user ${word(index)} log in`);
      }
    };
    feed(0, 100_000);
    const half = encodeSnapshot(bench.extractor.history.snapshot());
    feed(100_000, 200_000);
    const full = encodeSnapshot(bench.extractor.history.snapshot());
    assert.equal(bench.miner.stats.templates, 1);
    assert.equal(bench.extractor.history.templates.size, 1);
    assert.ok(Math.abs(full.length - half.length) < 64, `${half.length} → ${full.length} bytes`);
    const last = bench.feed(`the office network saw user ${word(200_001)} log in`);
    assert.ok(!last.reasons.includes('new-parameter'), 'a position whose values are always new is no news');
  });

  test('200,000 distinct templates, hosts and units stay within every limit', () => {
    const limits = { templates: 500, series: 40, hosts: 15, templatesPerSeries: 25, templatesPerHost: 60 };
    const miner = new TemplateMiner({ maxTemplates: 1_000 });
    const once = { refitEveryEntries: Number.MAX_SAFE_INTEGER, refitEveryMinutes: Number.MAX_SAFE_INTEGER };
    const scorer = new EntryScorer({ limits, minTrainingRows: 2_000, ...once });
    const sizes: number[] = [];
    for (let index = 0; index < 200_000; index++) {
      const message = `${word(index % 97)} ${word(Math.floor(index / 97))} happened`;
      const mined = entry(message, { host: `h${index % 101}`, unit: `u${index % 13}` }) as MinedEntry;
      mined.templateId = miner.add(mined.message, mined.timeUs + index).templateId;
      scorer.score(mined, miner);
      if (index === 99_999 || index === 199_999) sizes.push(encodeSnapshot(scorer.snapshot().history).length);
    }
    const history = scorer.snapshot().history;
    assert.ok(miner.counters().nextId > 150_000, 'the miner really made that many templates');
    assert.equal(history.templates.length, limits.templates);
    assert.equal(history.series.length, limits.series);
    assert.equal(history.hosts.length, limits.hosts);
    for (const series of history.series) assert.ok(series.templates.length <= limits.templatesPerSeries);
    for (const host of history.hosts) assert.ok(host.templates.length <= limits.templatesPerHost);
    assert.ok(scorer.snapshot().calibration.series.length <= limits.series);
    const [half = 0, full = 0] = sizes;
    assert.ok(Math.abs(full - half) / half < 0.05, `history snapshot ${half} → ${full} characters`);
  });
});
