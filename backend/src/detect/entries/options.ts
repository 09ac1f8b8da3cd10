import { DEFAULT_HISTORY_LIMITS } from './history.ts';
import type { HistoryLimits } from './history.ts';

export interface EntryScorerOptions {
  seed: number;
  /** Expected share of anomalous entries: at most this share of ordinary traffic alerts. */
  contamination: number;
  /** Rows the model is fitted on, sampled evenly over the last `windowHours` of entries. */
  windowRows: number;
  windowHours: number;
  refitEveryEntries: number;
  /** Of entry time. */
  refitEveryMinutes: number;
  /** The first model is fitted once the window holds this many rows; until then reasons alone score. */
  minTrainingRows: number;
  trees: number;
  sampleSize: number;
  /** Refit in place when due; false when the caller refits elsewhere (see `EntryScorer.trainingJob`). */
  autoRefit: boolean;
  limits: HistoryLimits;
}

/** What the constructor takes: any option, and any of the history's limits. */
export type EntryScorerSettings = Partial<Omit<EntryScorerOptions, 'limits'>> & {
  limits?: Partial<HistoryLimits>;
};

export const DEFAULT_ENTRY_SCORER_OPTIONS: Readonly<EntryScorerOptions> = Object.freeze({
  seed: 1,
  contamination: 0.001,
  windowRows: 100_000,
  windowHours: 7 * 24,
  refitEveryEntries: 1_000_000,
  refitEveryMinutes: 60,
  minTrainingRows: 10_000,
  trees: 100,
  sampleSize: 1024,
  autoRefit: true,
  limits: DEFAULT_HISTORY_LIMITS,
});

/** Fails at construction rather than at the first refit, an hour into production. */
export function validate(settings: EntryScorerOptions): EntryScorerOptions {
  const { trees, sampleSize, minTrainingRows } = settings;
  for (const [name, value, least] of [
    ['trees', trees, 1],
    ['sampleSize', sampleSize, 2],
    ['minTrainingRows', minTrainingRows, 2],
  ] as const) {
    if (!Number.isInteger(value) || value < least) {
      throw new RangeError(`${name} must be a whole number of at least ${least}, got ${value}`);
    }
  }
  return settings;
}
