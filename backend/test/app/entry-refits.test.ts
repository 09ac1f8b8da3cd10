import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { IngestPipeline } from '../../src/app/pipeline.ts';
import { Detector } from '../../src/detect/detector.ts';
import { EntryScorer, trainEntryModel } from '../../src/detect/entries/index.ts';
import { trainInWorker } from '../../src/detect/entries/train-in-worker.ts';
import type { JournalEntry } from '../../src/journal/entry.ts';
import { Store } from '../../src/store/store.ts';

const dirs: string[] = [];
after(() => dirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));
const quiet = { warn: (message: string) => assert.fail(message) };
const START_US = Date.UTC(2026, 0, 5, 8, 0) * 1000;

function batch(first: number, count: number): JournalEntry[] {
  return Array.from({ length: count }, (_, offset) => {
    const i = first + offset;
    return {
      cursor: null,
      timeUs: START_US + i * 1_000_000,
      host: `web-${i % 3}`,
      unit: i % 2 ? 'nginx.service' : 'sshd.service',
      priority: 6,
      message:
        i % 2 ? `GET /api/items/${i % 50} 200 ${500 + (i % 90)}` : `Accepted publickey port ${40000 + i}`,
      pid: null,
      flags: 0,
      extra: null,
    };
  });
}

function openPipeline(settings: ConstructorParameters<typeof EntryScorer>[0], inPlaceRows = 0) {
  const dir = mkdtempSync(join(tmpdir(), 'lookout-refits-'));
  dirs.push(dir);
  const store = Store.open(dir);
  const scorer = new EntryScorer({ autoRefit: false, minTrainingRows: 500, ...settings });
  const pipeline = new IngestPipeline(store, { log: quiet, detector: new Detector(scorer), inPlaceRows });
  const write = (entries: JournalEntry[]) =>
    pipeline.write({ sourceKey: 'push:', entries, errors: [], resumeFrom: null });
  return { store, scorer, pipeline, write };
}

test('ingest goes on while a worker fits the entry model, which is installed between batches', async () => {
  const { store, scorer, pipeline, write } = openPipeline({ seed: 5 });
  write(batch(0, 600));
  assert.equal(pipeline.refits?.running, true, 'the window is full enough: a fit started');
  assert.equal(scorer.refitDue, false, 'and is not handed out twice');
  write(batch(600, 200));
  assert.equal(scorer.stats.modelVersion, 0, 'until it comes back the scorer keeps its cold start');
  const fitting = Date.now();
  await pipeline.refits?.settled();
  assert.equal(scorer.stats.modelVersion, 1);
  const training = pipeline.refits?.lastTraining;
  assert.equal(training?.model, 'entries');
  assert.equal(training.version, '1');
  assert.ok(training.seconds !== null && training.seconds > 0);
  assert.ok(training.trainedAtMs >= fitting && training.trainedAtMs <= Date.now());
  write(batch(800, 10));
  const versions = store.db.prepare('SELECT DISTINCT model_version FROM anomaly_scores').pluck().all();
  assert.ok(versions.includes(0), `scores carry the version that made them: ${versions.join()}`);
  pipeline.close();
  store.close();
});

test('a fit stopped at shutdown is due again once the scorer is restored', () => {
  const { store, scorer, pipeline, write } = openPipeline({ seed: 5 });
  write(batch(0, 600));
  assert.equal(pipeline.refits?.running, true);
  pipeline.close();
  assert.equal(scorer.refitDue, true);
  const restored = EntryScorer.restore(scorer.snapshot());
  assert.equal(restored.refitDue, true);
  store.close();
});

test('the worker returns the model trainEntryModel fits in this thread', async () => {
  const { pipeline, store, scorer, write } = openPipeline({ seed: 9 });
  write(batch(0, 600));
  await pipeline.refits?.settled();
  const local = trainEntryModel(scorer.trainingJob());
  const remote = await trainInWorker(scorer.trainingJob());
  assert.deepEqual(remote.forest, local.forest);
  assert.deepEqual(remote.windowScores, local.windowScores);
  pipeline.close();
  store.close();
});

test('a window no larger than inPlaceRows is fitted in place, at once', () => {
  const { store, scorer, pipeline, write } = openPipeline({ seed: 5 }, 1_000);
  write(batch(0, 600));
  assert.equal(pipeline.refits?.running, false);
  assert.equal(scorer.stats.modelVersion, 1);
  assert.equal(pipeline.refits?.lastTraining?.version, '1', 'an in-place fit is a training too');
  pipeline.close();
  store.close();
});
