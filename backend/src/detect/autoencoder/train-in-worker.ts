import { Worker } from 'node:worker_threads';
import type { TrainOptions } from './count-autoencoder.ts';
import type { CountSeries } from './series.ts';
import type { CountAutoencoderSnapshot } from './snapshot.ts';

export interface TrainingRequest {
  series: readonly CountSeries[];
  options: TrainOptions;
}

/**
 * Trains a count autoencoder in a worker thread, so that ingest and scoring on this thread never wait for
 * it; load the result with `CountAutoencoder.fromSnapshot`. The series are copied to the worker. Aborting
 * the signal (e.g. on shutdown) terminates the worker and rejects with the signal's reason.
 */
export function trainInWorker(
  series: readonly CountSeries[],
  options: TrainOptions = {},
  signal?: AbortSignal,
): Promise<CountAutoencoderSnapshot> {
  return new Promise((resolve, reject) => {
    signal?.throwIfAborted();
    const request: TrainingRequest = { series, options };
    const worker = new Worker(new URL('./worker-entry.mjs', import.meta.url), { workerData: request });
    const abort = () => {
      reject(signal?.reason);
      void worker.terminate();
    };
    signal?.addEventListener('abort', abort, { once: true });
    let snapshot: CountAutoencoderSnapshot | undefined;
    worker.once('message', (message: CountAutoencoderSnapshot) => {
      snapshot = message;
    });
    worker.once('error', reject);
    worker.once('exit', (code) => {
      signal?.removeEventListener('abort', abort);
      if (snapshot !== undefined) resolve(snapshot);
      else reject(new Error(`the training worker exited (code ${code}) without a model`));
    });
  });
}
