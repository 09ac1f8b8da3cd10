import { runInWorker } from '../run-in-worker.ts';
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
  const request: TrainingRequest = { series, options };
  return runInWorker(new URL('./worker.ts', import.meta.url), request, { signal });
}
