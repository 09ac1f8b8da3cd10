import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { IngestPipeline } from '../../src/app/pipeline.ts';
import { Detector } from '../../src/detect/detector.ts';
import { EntryScorer } from '../../src/detect/entries/index.ts';
import type { JournalEntry } from '../../src/journal/entry.ts';
import { Store } from '../../src/store/store.ts';

const dirs: string[] = [];
after(() => dirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));
const quiet = { warn: () => {} };
const START_US = Date.UTC(2026, 0, 5, 8, 0) * 1000;

/** Two hours of a web host's routine (one entry every 2 s), in batches of 500 as a source would send. */
function* routine(): Generator<JournalEntry[]> {
  let batch: JournalEntry[] = [];
  for (let i = 0; i < 3600; i++) {
    batch.push({
      cursor: null,
      timeUs: START_US + i * 2_000_000,
      host: 'web-1',
      unit: i % 2 ? 'nginx.service' : 'sshd.service',
      priority: 6,
      message:
        i % 2
          ? `10.0.0.${i % 20} - - "GET /api/items/${i % 500} HTTP/1.1" 200 ${500 + (i % 90)}`
          : `Accepted publickey for deploy from 10.0.1.${i % 7} port ${40000 + i} ssh2`,
      pid: 100,
      flags: 0,
      extra: null,
    });
    if (batch.length === 500) {
      yield batch;
      batch = [];
    }
  }
  if (batch.length > 0) yield batch;
}

test('streaming detection stores entry scores, minute scores and events, and survives a restart', () => {
  const dir = mkdtempSync(join(tmpdir(), 'lookout-detection-'));
  dirs.push(dir);
  const store = Store.open(dir);
  // What is tested here is the path to the store; the scorer's judgement is the scenario tests' subject.
  // Contamination 0.01, because at the default 0.001 a 3,600-entry stream leaves room for only the top
  // four entries of its first day, when everything was new.
  const detector = new Detector(new EntryScorer({ minTrainingRows: 1000, seed: 3, contamination: 0.01 }));
  const pipeline = new IngestPipeline(store, { log: quiet, detector });
  for (const batch of routine())
    pipeline.write({ sourceKey: 'push:', entries: batch, errors: [], resumeFrom: null });
  const oddUs = START_US + 7200 * 1_000_000 + 5_000_000;
  pipeline.write({
    sourceKey: 'push:',
    errors: [],
    resumeFrom: null,
    entries: [
      {
        cursor: null,
        timeUs: oddUs,
        host: 'web-1',
        unit: 'kernel',
        priority: 2,
        message: 'Out of memory: Killed process 4242 (java) total-vm:8123456kB, anon-rss:6123456kB',
        pid: null,
        flags: 0,
        extra: null,
      },
    ],
  });
  pipeline.close();

  const unscored = store.db.prepare('SELECT count(*) FROM entries WHERE score IS NULL').pluck().get();
  assert.equal(unscored, 0, 'every entry has its score');
  const minutes = store.db.prepare('SELECT count(*) FROM anomaly_scores').pluck().get() as number;
  assert.ok(minutes >= 120, `a score per series minute (${minutes})`);
  const events = store.db
    .prepare(
      'SELECT s.unit, e.status, e.reasons, e.samples FROM events e JOIN series s ON s.id = e.series_id',
    )
    .all() as { unit: string; status: string; reasons: string; samples: string }[];
  const oom = events.find((event) => event.unit === 'kernel');
  assert.ok(oom, `the OOM kill made an event: ${JSON.stringify(events)}`);
  assert.equal(oom.status, 'closed', 'closed at shutdown');
  assert.match(oom.samples, /Out of memory: Killed process 4242/);
  assert.ok(events.every((event) => event.status === 'closed'));
  const entriesSeen = detector.entries.stats.entries;
  store.close();

  const reopened = Store.open(dir);
  const restored = new IngestPipeline(reopened, { log: quiet });
  assert.equal(
    restored.detector?.entries.stats.entries,
    entriesSeen,
    'the scorer continues from its snapshot',
  );
  assert.equal(restored.detector?.entries.stats.modelVersion, detector.entries.stats.modelVersion);
  reopened.close();
});
