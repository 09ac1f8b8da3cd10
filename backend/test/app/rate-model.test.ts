import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { after, describe, test } from 'node:test';
import { RateModelKeeper } from '../../src/app/rate-model.ts';
import { trainRates, trainRatesInWorker } from '../../src/app/rate-training.ts';
import type { TrainOptions } from '../../src/detect/autoencoder/index.ts';
import { Detector } from '../../src/detect/detector.ts';
import { EntryScorer } from '../../src/detect/entries/index.ts';
import { countSeries } from '../../src/store/count-series.ts';
import { Store } from '../../src/store/store.ts';

const dirs: string[] = [];
after(() => dirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));
const log = { info: () => {}, warn: (message: string) => assert.fail(message) };
const START_MINUTE = Math.floor(Date.UTC(2026, 0, 5) / 60_000);
const DAYS = 2;

/** Two days of per-minute counts for three units with a daily rhythm, written as the store keeps them. */
function seed(store: Store): void {
  const insert = store.db.prepare(
    'INSERT INTO entry_counts (series_id, minute, priority, count) VALUES (?, ?, 6, ?)',
  );
  store.db.transaction(() => {
    for (const [index, unit] of ['nginx.service', 'sshd.service', 'cron.service'].entries()) {
      const seriesId = store.series.idOf('web-1', unit);
      for (let minute = 0; minute < DAYS * 1440; minute++) {
        const hour = (minute / 60) % 24;
        const count = Math.round((index + 1) * (5 + 4 * Math.sin((hour / 24) * 2 * Math.PI)));
        if (count > 0) insert.run(seriesId, START_MINUTE + minute, count);
      }
    }
  })();
}

test('count series come from the store with zeros where a minute had no entries', () => {
  const dir = mkdtempSync(join(tmpdir(), 'lookout-rates-'));
  dirs.push(dir);
  const store = Store.open(dir);
  seed(store);
  const series = countSeries(store.db, START_MINUTE - 10, START_MINUTE + 20);
  assert.equal(series.length, 3);
  for (const one of series) {
    assert.equal(one.counts.length, 31);
    assert.equal(one.counts[0], 0, 'before the data');
    assert.ok((one.counts[15] ?? 0) > 0);
  }
  store.close();
});

test('the rate model is trained in a worker from the store, used by the detector, and restored after a restart', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'lookout-rates-'));
  dirs.push(dir);
  const store = Store.open(dir);
  seed(store);
  const nowMinute = START_MINUTE + DAYS * 1440;
  const detector = new Detector(new EntryScorer());
  const training = { maxEpochs: 2, maxWindows: 256, seed: 5, maxSeconds: 120 };
  const keeper = new RateModelKeeper(store, detector, log, { training });
  assert.equal(keeper.lastTraining?.model, undefined, 'nothing trained yet');
  await keeper.retrain(nowMinute);
  const saved = store.models.get<{ version: string; trainedAt: string }>('rate-model');
  assert.ok(saved, 'the trained model is saved');
  assert.equal(detector.rateModelVersion, saved.snapshot.version, 'the new model is in use at once');
  const trainedAtMs = Date.parse(saved.snapshot.trainedAt);
  assert.equal(keeper.lastTraining?.version, saved.snapshot.version);
  assert.equal(keeper.lastTraining.trainedAtMs, trainedAtMs);
  assert.ok(keeper.lastTraining.seconds !== null && keeper.lastTraining.seconds > 0);
  await keeper.stop();

  const restartedDetector = new Detector(new EntryScorer());
  const restarted = new RateModelKeeper(store, restartedDetector, log, { training });
  await restarted.start();
  assert.equal(
    restartedDetector.rateModelVersion,
    saved.snapshot.version,
    'the saved model is in use after a restart',
  );
  assert.deepEqual(
    restarted.lastTraining,
    { model: 'rates', version: saved.snapshot.version, trainedAtMs, seconds: null },
    'a restored model keeps its training time; how long that took is not known',
  );
  await restarted.stop();
  store.close();
});

test('with less than a day of history there is nothing to learn from yet', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'lookout-rates-'));
  dirs.push(dir);
  const store = Store.open(dir);
  seed(store);
  const messages: string[] = [];
  const keeper = new RateModelKeeper(store, new Detector(new EntryScorer()), {
    info: (m) => messages.push(m),
    warn: (m) => messages.push(m),
  });
  await keeper.retrain(START_MINUTE + 600);
  assert.deepEqual(messages, ['rate model: not enough history yet to learn from']);
  assert.equal(store.models.get('rate-model'), null);
  await keeper.stop();
  store.close();
});

describe('trainRatesInWorker', () => {
  const dir = mkdtempSync(join(tmpdir(), 'lookout-rate-training-'));
  dirs.push(dir);
  const store = Store.open(dir);
  seed(store);
  after(() => store.close());
  const TINY: TrainOptions = { seed: 5, maxWindows: 192, maxEpochs: 2, batchSize: 64, calibrationWindows: 8 };
  const job = (training: TrainOptions = TINY) => ({
    databasePath: store.db.name,
    fromMinute: START_MINUTE,
    toMinute: START_MINUTE + DAYS * 1440,
    minHistoryMinutes: 1440,
    training,
  });

  test('reads the store and trains in a worker thread the same model as on this thread', async () => {
    const fromWorker = await trainRatesInWorker(job());
    const here = await trainRates(job());
    assert.ok(fromWorker && here);
    assert.equal(fromWorker.series, 3);
    assert.equal(fromWorker.snapshot.training.backend, 'wasm');
    assert.equal(fromWorker.snapshot.version, here.snapshot.version);
  });

  // Reading the counts and training on this thread would keep its event loop busy for the whole run;
  // in a worker the loop only waits for the result. A share of the time, not a duration: other load on
  // the machine slows both alike.
  test('keeps this thread responsive while it reads and trains', async () => {
    const before = performance.eventLoopUtilization();
    await trainRatesInWorker(job());
    const { utilization } = performance.eventLoopUtilization(before);
    assert.ok(
      utilization < 0.5,
      `this thread's event loop was busy ${(utilization * 100).toFixed(0)}% of the time`,
    );
  });

  test('rejects with the worker error when the store cannot be read', async () => {
    await assert.rejects(
      trainRatesInWorker({ ...job(), databasePath: join(dir, 'missing.db') }),
      (error: { message?: string }) => /SqliteError: unable to open database file/.test(error.message ?? ''),
    );
  });

  test('an abort terminates the worker and rejects with the reason', async () => {
    const controller = new AbortController();
    const training = trainRatesInWorker(job({ ...TINY, maxEpochs: 1000, patience: 1000 }), controller.signal);
    setTimeout(() => controller.abort(new Error('shutting down')), 200);
    await assert.rejects(training, /shutting down/);
  });
});
