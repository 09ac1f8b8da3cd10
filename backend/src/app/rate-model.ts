import type { ModelTraining } from '../api/routes/metrics.ts';
import { CountAutoencoder } from '../detect/autoencoder/index.ts';
import type { CountAutoencoderSnapshot, TrainOptions } from '../detect/autoencoder/index.ts';
import type { Detector } from '../detect/detector.ts';
import type { Store } from '../store/store.ts';
import { trainRatesInWorker } from './rate-training.ts';

const RATE_MODEL = 'rate-model';
const MINUTES_PER_DAY = 1440;

export interface RateModelOptions {
  /** How often the model learns again from the latest history. */
  retrainEveryMs: number;
  /** Days of per-minute counts it learns from. */
  historyDays: number;
  /** It is first trained once the store holds this many minutes of counts. */
  minHistoryMinutes: number;
  /** How the network is trained (epochs, windows, seed…); a run is cut off after `maxSeconds`. */
  training: TrainOptions;
}

export const DEFAULT_RATE_MODEL_OPTIONS: Readonly<RateModelOptions> = Object.freeze({
  retrainEveryMs: 6 * 3_600_000,
  historyDays: 7,
  minHistoryMinutes: MINUTES_PER_DAY,
  training: { maxSeconds: 600 },
});

export interface RateModelLog {
  info(message: string): void;
  warn(message: string): void;
}

/**
 * Keeps the detector's rate model (the LSTM autoencoder on per-minute counts) current: restores the
 * saved one at start, and retrains it from the store's latest history on a schedule, in a worker
 * thread so ingest does not wait, then swaps it in and saves it.
 */
export class RateModelKeeper {
  private timer: NodeJS.Timeout | null = null;
  private readonly abort = new AbortController();
  private training: Promise<void> | null = null;
  private readonly options: RateModelOptions;
  private inUse: ModelTraining | null = null;

  constructor(
    private readonly store: Store,
    private readonly detector: Detector,
    private readonly log: RateModelLog,
    options: Partial<RateModelOptions> = {},
  ) {
    this.options = { ...DEFAULT_RATE_MODEL_OPTIONS, ...options };
  }

  /** The model in use: trained by this process, or restored with the time it was trained. */
  get lastTraining(): ModelTraining | null {
    return this.inUse;
  }

  async start(): Promise<void> {
    const saved = this.store.models.get<CountAutoencoderSnapshot>(RATE_MODEL);
    if (saved) {
      try {
        const model = await CountAutoencoder.fromSnapshot(saved.snapshot);
        this.detector.useRateModel(model);
        this.inUse = training(model, null);
      } catch (error) {
        this.log.warn(
          `the saved rate model could not be loaded (${(error as Error).message}); it will be retrained`,
        );
      }
    }
    const firstDelay = this.detector.rateModelVersion === null ? 60_000 : this.options.retrainEveryMs;
    this.timer = setTimeout(() => this.scheduled(), firstDelay).unref();
  }

  /** Learns from the latest history now; resolves when the new model is in use (or there is too little history). */
  retrain(nowMinute = Math.floor(Date.now() / 60_000)): Promise<void> {
    this.training ??= this.train(nowMinute).finally(() => (this.training = null));
    return this.training;
  }

  async stop(): Promise<void> {
    if (this.timer !== null) clearTimeout(this.timer);
    this.abort.abort(new Error('Lookout is shutting down'));
    await this.training?.catch(() => {});
  }

  private scheduled(): void {
    this.retrain().then(
      () => (this.timer = setTimeout(() => this.scheduled(), this.options.retrainEveryMs).unref()),
      (error: Error) => {
        if (this.abort.signal.aborted) return;
        this.log.warn(`rate model training failed: ${error.message}`);
        this.timer = setTimeout(() => this.scheduled(), this.options.retrainEveryMs).unref();
      },
    );
  }

  private async train(nowMinute: number): Promise<void> {
    const started = performance.now();
    const trained = await trainRatesInWorker(
      {
        databasePath: this.store.db.name,
        fromMinute: nowMinute - this.options.historyDays * MINUTES_PER_DAY,
        toMinute: nowMinute,
        minHistoryMinutes: this.options.minHistoryMinutes,
        training: this.options.training,
      },
      this.abort.signal,
    );
    if (trained === null) {
      this.log.info('rate model: not enough history yet to learn from');
      return;
    }
    const model = await CountAutoencoder.fromSnapshot(trained.snapshot);
    this.detector.useRateModel(model);
    this.store.models.put(RATE_MODEL, Date.parse(model.trainedAt), trained.snapshot);
    const seconds = (performance.now() - started) / 1000;
    this.inUse = training(model, seconds);
    this.log.info(
      `rate model ${model.version} trained on ${trained.series} series in ${seconds.toFixed(1)} s`,
    );
  }
}

function training(model: CountAutoencoder, seconds: number | null): ModelTraining {
  return { model: 'rates', version: model.version, trainedAtMs: Date.parse(model.trainedAt), seconds };
}
