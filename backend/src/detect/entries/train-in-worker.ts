import { runInWorker } from '../run-in-worker.ts';
import type { TrainedEntryModel, TrainingJob } from './model.ts';

/**
 * Runs {@link trainEntryModel} on a worker thread, so that ingest and scoring on this thread go on while
 * the forest is fitted; give the result to `EntryScorer.install`. The job's rows are moved to the worker,
 * not copied: the job is the caller's no more. Aborting the signal terminates the worker.
 */
export function trainInWorker(job: TrainingJob, signal?: AbortSignal): Promise<TrainedEntryModel> {
  return runInWorker(new URL('./worker.ts', import.meta.url), job, {
    transfer: [job.rows.buffer as ArrayBuffer, job.alerted.buffer as ArrayBuffer],
    signal,
  });
}
