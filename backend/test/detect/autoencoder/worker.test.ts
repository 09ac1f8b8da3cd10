import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { performance } from 'node:perf_hooks';
import { CountAutoencoder } from '../../../src/detect/autoencoder/count-autoencoder.ts';
import type { TrainOptions } from '../../../src/detect/autoencoder/count-autoencoder.ts';
import type { CountAutoencoderSnapshot } from '../../../src/detect/autoencoder/snapshot.ts';
import { trainInWorker } from '../../../src/detect/autoencoder/train-in-worker.ts';
import { generateSeries, MONDAY, unitProfiles } from './synthetic.ts';

const history = generateSeries(unitProfiles(3, 1), MONDAY, 2 * 1440, 2);
const TINY: TrainOptions = { seed: 5, maxWindows: 192, maxEpochs: 2, batchSize: 64, calibrationWindows: 8 };

describe('trainInWorker', () => {
  test('trains in a worker thread the same model as on this thread, and the snapshot scores', async () => {
    const snapshot: CountAutoencoderSnapshot = await trainInWorker(history, TINY);
    const fromWorker = await CountAutoencoder.fromSnapshot(snapshot);
    const here = await CountAutoencoder.train(history, TINY);
    assert.equal(snapshot.training.backend, 'wasm');
    assert.equal(fromWorker.version, here.version);
    const scores = fromWorker.scoreLatest(history);
    assert.equal(scores.length, history.length);
    assert.deepEqual(scores, here.scoreLatest(history));
    for (const { score } of scores) assert.ok(score >= 0 && score <= 1);
  });

  // Training on this thread would keep its event loop busy for the whole run (utilisation 1.0 measured);
  // in a worker the loop only waits for the result (0.002–0.01). A share of the time, not a duration:
  // other load on the machine slows both the training and the loop's turns alike.
  test('keeps this thread responsive while it trains', async () => {
    const before = performance.eventLoopUtilization();
    await trainInWorker(history, TINY);
    const { utilization } = performance.eventLoopUtilization(before);
    assert.ok(
      utilization < 0.5,
      `this thread's event loop was busy ${(utilization * 100).toFixed(0)}% of the time`,
    );
  });

  test('rejects with the worker error when training fails', async () => {
    await assert.rejects(trainInWorker([], TINY), /no series with counts/);
  });

  test('an abort terminates the worker and rejects with the reason', async () => {
    const controller = new AbortController();
    const training = trainInWorker(history, { ...TINY, maxEpochs: 1000, patience: 1000 }, controller.signal);
    setTimeout(() => controller.abort(new Error('shutting down')), 200);
    await assert.rejects(training, /shutting down/);
  });
});
