import type { JournalEntry } from '../../journal/entry.ts';
import { IsolationForest, thresholdForContamination } from '../isolation-forest.ts';
import { ENGLISH_STOP_WORDS } from './stop-words.ts';
import { TfidfVectorizer } from './tfidf.ts';

/**
 * The seed baseline: the pipeline of the articles Lookout grew from, kept runnable so that every quality
 * figure can be reported beside it. TF-IDF of the message (100 terms, English stop words) + one-hot unit +
 * hour of day, then an Isolation Forest of 200 trees with contamination 0.1, fitted and scored on the same
 * entries, as the articles do.
 */

export type SeedBaselineEntry = Pick<JournalEntry, 'message' | 'unit' | 'timeUs'>;

export interface SeedBaselineOptions {
  /** Default 100. */
  maxFeatures?: number;
  /** Default 200. */
  trees?: number;
  /** Share of entries flagged; default 0.1. */
  contamination?: number;
  seed?: number;
}

export interface SeedBaselineFeatures {
  /** Row-major, one row per entry. */
  matrix: Float64Array;
  /** `term:<word>`, `unit:<name>`, then `hour`. */
  names: string[];
}

export interface SeedBaselineResult {
  /** Isolation Forest score per entry, in (0, 1]; higher is more anomalous. */
  scores: Float64Array;
  /** 1 where the score is above the contamination threshold. */
  anomalous: Uint8Array;
  threshold: number;
  featureNames: string[];
}

const MICROSECONDS_PER_HOUR = 3_600_000_000;

export function seedBaselineFeatures(
  entries: readonly SeedBaselineEntry[],
  maxFeatures = 100,
): SeedBaselineFeatures {
  const messages = entries.map((entry) => entry.message);
  const tfidf = TfidfVectorizer.fit(messages, { maxFeatures, stopWords: ENGLISH_STOP_WORDS });
  const termMatrix = tfidf.transform(messages);
  // pandas.get_dummies orders the unit columns by value.
  const units = [...new Set(entries.map((entry) => entry.unit))].sort();
  const unitColumn = new Map(units.map((unit, index) => [unit, index]));
  const termCount = tfidf.vocabulary.length;
  const width = termCount + units.length + 1;
  const matrix = new Float64Array(entries.length * width);
  entries.forEach((entry, row) => {
    const base = row * width;
    matrix.set(termMatrix.subarray(row * termCount, (row + 1) * termCount), base);
    matrix[base + termCount + (unitColumn.get(entry.unit) ?? 0)] = 1;
    // UTC, as pandas reads __REALTIME_TIMESTAMP without a time zone.
    const hour = Math.floor(entry.timeUs / MICROSECONDS_PER_HOUR) % 24;
    matrix[base + width - 1] = hour < 0 ? hour + 24 : hour;
  });
  const names = [
    ...tfidf.vocabulary.map((term) => `term:${term}`),
    ...units.map((unit) => `unit:${unit}`),
    'hour',
  ];
  return { matrix, names };
}

export function runSeedBaseline(
  entries: readonly SeedBaselineEntry[],
  options: SeedBaselineOptions = {},
): SeedBaselineResult {
  const features = seedBaselineFeatures(entries, options.maxFeatures ?? 100);
  const forest = IsolationForest.fit(features.matrix, features.names.length, {
    trees: options.trees ?? 200,
    seed: options.seed,
    // scikit-learn's rule, which the articles ran.
    splitRange: 'sample',
  });
  const scores = forest.score(features.matrix);
  const threshold = thresholdForContamination(scores, options.contamination ?? 0.1);
  const anomalous = Uint8Array.from(scores, (score) => (score > threshold ? 1 : 0));
  return { scores, anomalous, threshold, featureNames: features.names };
}
