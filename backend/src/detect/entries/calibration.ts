import { thresholdForContamination } from '../isolation-forest.ts';
import { LruMap } from './lru.ts';
import type { LruValue } from './lru.ts';
import { ScoreHistogram } from './score-histogram.ts';
import type { ScoreHistogramSnapshot } from './score-histogram.ts';
import { restored, saved } from './typed-snapshot.ts';

/**
 * A series' raw scores fade to half weight after this many more of its entries (its memory is worth
 * about 2,900): long enough to rank an entry among a series' top thousandth, short enough that the odd
 * entries of a deployment's first day (everything is new then) soon stop setting the bar.
 */
export const SERIES_HALF_LIFE = 2_000;
/**
 * The fleet-wide gate lets through the top `contamination` × this of the window's raw scores: the very
 * top is mostly errors that are rare but routine (a 500 now and then), which their own series know
 * well, and an entry odd for a quiet series must not have to outrank them.
 */
const FLEET_MARGIN = 3;
/**
 * How many raw scores the global distribution counts as when blended with a series': a series worth 32
 * scores of its own is calibrated half by them, one worth thousands almost only by them.
 */
const GLOBAL_WEIGHT = 32;

class SeriesScores extends ScoreHistogram implements LruValue<string, SeriesScores> {
  older: SeriesScores | null = null;
  newer: SeriesScores | null = null;
  constructor(
    readonly key: string,
    snapshot?: ScoreHistogramSnapshot,
  ) {
    super(SERIES_HALF_LIFE, snapshot);
  }
}

export interface CalibrationSnapshot {
  contamination: number;
  /** Raw scores of the last model's window rows, ascending. */
  reference: Float64Array;
  /** Least recently scored first. */
  series: ({ key: string } & ScoreHistogramSnapshot)[];
}

/**
 * Raw forest scores to 0..1: the share of the (host, unit)'s recent scores that are lower (recent ones
 * weighing more), blended with the share of the window rows' scores that are lower while the series
 * has little history. For ordinary traffic that is spread evenly over 0..1, whatever the series' own
 * level of oddness.
 *
 * The calibrated score ranks an entry in its series for the score series and events; whether it alerts
 * is the fleet gate's ({@link Calibration.oddForFleet}: raw score among the window's top contamination ×
 * {@link FLEET_MARGIN}) together with the novelty rules of alert-policy.ts.
 */
export class Calibration {
  readonly contamination: number;
  #reference: Float64Array = new Float64Array(0);
  #threshold = Infinity;
  readonly #series: LruMap<string, SeriesScores>;

  constructor(contamination: number, seriesCapacity: number) {
    if (!(contamination > 0 && contamination < 1)) {
      throw new RangeError(`contamination must be in (0, 1), got ${contamination}`);
    }
    this.contamination = contamination;
    this.#series = new LruMap(seriesCapacity);
  }

  /** The raw score an entry must exceed to alert; Infinity before the first model. */
  get threshold(): number {
    return this.#threshold;
  }

  get seriesCount(): number {
    return this.#series.size;
  }

  /** Takes a new model's scores of the window rows (ascending) as the global distribution. */
  setReference(sortedScores: Float64Array): void {
    if (sortedScores.length === 0) throw new RangeError('no window scores to calibrate with');
    this.#reference = sortedScores;
    this.#threshold = thresholdForContamination(
      sortedScores,
      Math.min(0.5, this.contamination * FLEET_MARGIN),
    );
  }

  /**
   * The calibrated score of a raw score in its series, from the scores before it; then counts it. A
   * series' memory spans refits: forests fitted on overlapping windows score on the same scale, nearly.
   */
  calibrate(raw: number, seriesKey: string): number {
    const global = this.#globalShareBelow(raw);
    let series = this.#series.get(seriesKey);
    if (!series) {
      series = new SeriesScores(seriesKey);
      this.#series.add(series);
    }
    const own = series.effectiveCount;
    const score =
      own === 0 ? global : (own * series.shareBelow(raw) + GLOBAL_WEIGHT * global) / (own + GLOBAL_WEIGHT);
    series.add(raw);
    return score;
  }

  /**
   * The calibrated score of a raw score against the other scores of its series (`seriesScores`, all of
   * them ascending, this one included), as offline analysis of a whole log knows them: the same blend
   * as {@link calibrate}, without the fading.
   */
  calibrateAgainst(raw: number, seriesScores: Float64Array): number {
    const others = seriesScores.length - 1;
    const global = this.#globalShareBelow(raw);
    if (others <= 0) return global;
    // This score is among them as a tie, which counts half: take it back out.
    const own = (rankBelow(seriesScores, raw) - 0.5) / others;
    return (others * own + GLOBAL_WEIGHT * global) / (others + GLOBAL_WEIGHT);
  }

  /** Among the window's top `contamination` × {@link FLEET_MARGIN} raw scores. */
  oddForFleet(raw: number): boolean {
    return raw > this.#threshold;
  }

  snapshot(): CalibrationSnapshot {
    return {
      contamination: this.contamination,
      reference: saved(this.#reference),
      series: this.#series.values().map((series) => ({ key: series.key, ...series.snapshot() })),
    };
  }

  static restore(snapshot: CalibrationSnapshot, seriesCapacity: number): Calibration {
    const calibration = new Calibration(snapshot.contamination, seriesCapacity);
    const reference = restored(Float64Array, snapshot.reference, undefined, 'calibration reference');
    if (reference.length > 0) calibration.setReference(reference);
    for (const saved of snapshot.series) calibration.#series.add(new SeriesScores(saved.key, saved));
    return calibration;
  }

  #globalShareBelow(raw: number): number {
    return this.#reference.length === 0 ? 0.5 : shareBelow(this.#reference, raw);
  }
}

/** The share of an ascending array below `raw`, ties counting half. */
function shareBelow(sorted: Float64Array, raw: number): number {
  return sorted.length === 0 ? 0 : rankBelow(sorted, raw) / sorted.length;
}

/** How many values of an ascending array are below `raw`, ties counting half. */
function rankBelow(sorted: Float64Array, raw: number): number {
  const below = countBelow(sorted, raw);
  return below + (countNotAbove(sorted, raw, below) - below) / 2;
}

// Two binary searches written out rather than one taking a predicate: a closure per call, twice per
// entry, was garbage on the ingest path.

/** How many values of an ascending array are below `raw`. */
function countBelow(sorted: Float64Array, raw: number): number {
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if ((sorted[middle] ?? 0) < raw) low = middle + 1;
    else high = middle;
  }
  return low;
}

/** How many values of an ascending array are at most `raw`; `from` of them are known to be. */
function countNotAbove(sorted: Float64Array, raw: number, from: number): number {
  let low = from;
  let high = sorted.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if ((sorted[middle] ?? 0) <= raw) low = middle + 1;
    else high = middle;
  }
  return low;
}
