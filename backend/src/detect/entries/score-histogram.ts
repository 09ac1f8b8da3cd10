import { restored, saved } from './typed-snapshot.ts';

/** Bins over [0, 1]. */
const BINS = 256;
/** When the next entry's weight reaches this, every weight is scaled back down. */
const RESCALE_AT = 2 ** 500;

export interface ScoreHistogramSnapshot {
  tree: Float64Array;
  weight: number;
}

/**
 * Values in [0, 1] with exponentially fading weights, in a Fenwick tree over fixed bins: what share of a
 * series' recent values lies below one, in O(log bins) and 2 KB whatever the series' volume. Each new
 * value weighs 2^(1/halfLife) times the one before, so a value counts half after `halfLife` more.
 */
export class ScoreHistogram {
  readonly #tree: Float64Array;
  readonly #growth: number;
  /** The weight of the next score. */
  #weight: number;

  constructor(halfLife: number, snapshot?: ScoreHistogramSnapshot) {
    this.#growth = 2 ** (1 / halfLife);
    this.#tree = snapshot
      ? restored(Float64Array, snapshot.tree, BINS + 1, 'score histogram')
      : new Float64Array(BINS + 1);
    this.#weight = snapshot?.weight ?? 1;
  }

  /** How many scores the histogram is worth, counting each by its faded weight. */
  get effectiveCount(): number {
    return this.#prefix(BINS) / this.#weight;
  }

  add(value: number): void {
    for (let index = binOf(value) + 1; index <= BINS; index += index & -index) {
      this.#tree[index] = (this.#tree[index] ?? 0) + this.#weight;
    }
    this.#weight *= this.#growth;
    if (this.#weight < RESCALE_AT) return;
    for (let index = 0; index <= BINS; index++) this.#tree[index] = (this.#tree[index] ?? 0) / this.#weight;
    this.#weight = 1;
  }

  /** Share (by weight) of the scores below `value`; within its bin, scores are taken as evenly spread. */
  shareBelow(value: number): number {
    const total = this.#prefix(BINS);
    if (total === 0) return 0.5;
    const bin = binOf(value);
    const below = this.#prefix(bin);
    const inBin = this.#prefix(bin + 1) - below;
    const within = Math.min(1, Math.max(0, value * BINS - bin));
    return (below + within * inBin) / total;
  }

  snapshot(): ScoreHistogramSnapshot {
    return { tree: saved(this.#tree), weight: this.#weight };
  }

  /** Sum of the weights in bins [0, bins). */
  #prefix(bins: number): number {
    let sum = 0;
    for (let index = bins; index > 0; index -= index & -index) sum += this.#tree[index] ?? 0;
    return sum;
  }
}

function binOf(value: number): number {
  return Math.min(BINS - 1, Math.max(0, Math.floor(value * BINS)));
}
