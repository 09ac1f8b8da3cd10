import Database from 'better-sqlite3';
import { CountAutoencoder } from '../detect/autoencoder/index.ts';
import type { CountAutoencoderSnapshot, CountSeries, TrainOptions } from '../detect/autoencoder/index.ts';
import { runInWorker } from '../detect/run-in-worker.ts';
import { seriesKey } from '../detect/series-key.ts';
import { countSeries } from '../store/count-series.ts';

export interface RateTrainingJob {
  /** The store's SQLite file, which the worker reads on a connection of its own. */
  databasePath: string;
  fromMinute: number;
  toMinute: number;
  /** Minutes from a series' first count to `toMinute` that the longest-running series must span. */
  minHistoryMinutes: number;
  training: TrainOptions;
}

export interface RateTraining {
  snapshot: CountAutoencoderSnapshot;
  series: number;
}

/**
 * Reads the per-minute counts from the store and trains the rate model on them, both on a worker thread:
 * reading a week of a thousand series' minutes takes seconds, which the serving thread (ingest and
 * queries) must not wait for. Null when the store holds too little history yet.
 */
export function trainRatesInWorker(job: RateTrainingJob, signal?: AbortSignal): Promise<RateTraining | null> {
  return runInWorker(new URL('./rate-training-worker.ts', import.meta.url), job, { signal });
}

/** What {@link trainRatesInWorker} runs, on the calling thread. */
export async function trainRates(job: RateTrainingJob): Promise<RateTraining | null> {
  const series = readCounts(job);
  if (series === null) return null;
  const model = await CountAutoencoder.train(series, job.training);
  return { snapshot: model.toSnapshot(), series: series.length };
}

function readCounts({
  databasePath,
  fromMinute,
  toMinute,
  minHistoryMinutes,
}: RateTrainingJob): CountSeries[] | null {
  const db = new Database(databasePath, { readonly: true, fileMustExist: true });
  try {
    const active = countSeries(db, fromMinute, toMinute).filter((one) =>
      one.counts.some((count) => count > 0),
    );
    const firstActive = Math.min(
      ...active.map((one) => one.startMinute + one.counts.findIndex((count) => count > 0)),
    );
    if (active.length === 0 || toMinute - firstActive < minHistoryMinutes) return null;
    return active.map((one) => ({
      key: seriesKey(one.host, one.unit),
      group: one.host,
      startMinute: one.startMinute,
      counts: one.counts,
    }));
  } finally {
    db.close();
  }
}
