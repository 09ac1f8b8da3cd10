import type { ModelTraining } from '../api/routes/metrics.ts';
import type { EntryScorer } from '../detect/entries/index.ts';
import { trainInWorker } from '../detect/entries/train-in-worker.ts';

/**
 * A window this small is fitted in place: about a tenth of a second, less than starting the worker
 * costs (0.4–0.6 CPU-s: a V8 isolate and tsx). It is the first model's size on a new deployment.
 */
export const IN_PLACE_ROWS = 20_000;

export interface EntryRefitLog {
  info?(message: string): void;
  warn(message: string): void;
}

/**
 * Fits the entry scorer's next model on a worker thread when its schedule calls for one, so that ingest
 * never waits for a fit: the scorer goes on with its current model (or its cold start) until the new
 * one is installed, between two batches. One fit at a time; a small window's in place.
 */
export class EntryRefits {
  readonly #scorer: EntryScorer;
  readonly #log: EntryRefitLog;
  readonly #inPlaceRows: number;
  readonly #abort = new AbortController();
  #running: Promise<void> | null = null;
  #lastTraining: ModelTraining | null = null;

  constructor(scorer: EntryScorer, log: EntryRefitLog, inPlaceRows = IN_PLACE_ROWS) {
    this.#scorer = scorer;
    this.#log = log;
    this.#inPlaceRows = inPlaceRows;
  }

  get running(): boolean {
    return this.#running !== null;
  }

  /** The model in use, when this process fitted it (a restored model's time is not known). */
  get lastTraining(): ModelTraining | null {
    return this.#lastTraining;
  }

  /** Starts a fit when one is due and none is running; call after each batch. */
  startIfDue(): void {
    if (this.#running !== null || this.#abort.signal.aborted || !this.#scorer.refitDue) return;
    const started = performance.now();
    if (this.#scorer.stats.windowRows <= this.#inPlaceRows) {
      this.#scorer.refit();
      this.#trained(started);
      return;
    }
    const job = this.#scorer.trainingJob();
    const rows = job.alerted.length;
    this.#running = trainInWorker(job, this.#abort.signal)
      .then((model) => {
        if (this.#abort.signal.aborted) return;
        this.#scorer.install(model);
        const { seconds } = this.#trained(started);
        this.#log.info?.(
          `entry model ${this.#scorer.stats.modelVersion} fitted on ${rows} rows in ${seconds.toFixed(1)} s`,
        );
      })
      // Caught here, install's errors too: an unhandled rejection would end the process.
      .catch((error: Error) => {
        if (!this.#abort.signal.aborted) this.#log.warn(`entry model fit failed: ${error.message}`);
      })
      .finally(() => (this.#running = null));
  }

  #trained(started: number): { seconds: number } {
    const seconds = (performance.now() - started) / 1000;
    this.#lastTraining = {
      model: 'entries',
      version: String(this.#scorer.stats.modelVersion),
      trainedAtMs: Date.now(),
      seconds,
    };
    return { seconds };
  }

  /** Resolves once the fit in progress, if any, is installed (or has failed). */
  async settled(): Promise<void> {
    await this.#running;
  }

  /**
   * Stops the fit in progress, if any, and starts no more: at shutdown, before the scorer is saved, so
   * that the stopped fit is due again at the next start. (A fit that failed waits for its period.)
   */
  stop(): void {
    if (this.#running !== null) this.#scorer.trainingAbandoned();
    this.#abort.abort(new Error('Lookout is shutting down'));
  }
}
