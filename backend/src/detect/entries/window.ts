import { restored, saved } from './typed-snapshot.ts';

const HOUR_US = 3_600_000_000;

export interface TrainingWindowSnapshot {
  capacity: number;
  featureCount: number;
  horizonHours: number;
  seed: number;
  /** Rows oldest first. */
  rows: Float64Array;
  /** Per row, 1 when it alerted. */
  alerted: Uint8Array;
  offered: number;
  /** Null before the first entry. */
  latestHour: number | null;
  hourCounts: Float64Array;
}

/**
 * A sample of recent traffic for the next model: a ring of `capacity` rows, each entry kept with
 * probability capacity / (entries in the last `horizonHours`), so that however busy the fleet is, the
 * window spans about the horizon and holds each hour's traffic in proportion (a quiet night stays
 * quiet, as the model should learn it). Rows that alerted are marked: the forest is fitted without
 * them, so that an attack does not teach it that it is normal, but the alert threshold is taken over
 * all of them, or it would sink a little with every refit. The draw for an entry is a hash of the seed
 * and the entry's index rather than a generator's state, which keeps the window reproducible and its
 * snapshot small.
 */
export class TrainingWindow {
  readonly capacity: number;
  readonly featureCount: number;
  readonly horizonHours: number;
  readonly seed: number;
  readonly #data: Float64Array;
  readonly #alerted: Uint8Array;
  #size = 0;
  /** Where the next row goes once the ring is full. */
  #next = 0;
  #offered = 0;
  /** Entries per hour over the horizon, by hour since the epoch modulo the horizon. */
  readonly #hourCounts: Float64Array;
  #latestHour = -Infinity;
  #entriesInHorizon = 0;

  constructor(capacity: number, featureCount: number, horizonHours: number, seed: number) {
    for (const [name, value] of Object.entries({ capacity, featureCount, horizonHours })) {
      if (!Number.isInteger(value) || value < 1)
        throw new RangeError(`${name} must be a whole number above 0`);
    }
    this.capacity = capacity;
    this.featureCount = featureCount;
    this.horizonHours = horizonHours;
    this.seed = seed;
    this.#data = new Float64Array(capacity * featureCount);
    this.#alerted = new Uint8Array(capacity);
    this.#hourCounts = new Float64Array(horizonHours);
  }

  get size(): number {
    return this.#size;
  }

  /**
   * Counts an entry as traffic and perhaps keeps its row (`featureCount` values of `rows` from
   * `offset`, so that a batch's rows need no view each); true when kept.
   */
  offer(rows: Float64Array, timeUs: number, alerted: boolean, offset = 0): boolean {
    const traffic = this.#count(timeUs);
    const draw = uniform(this.seed, this.#offered++);
    if (draw * traffic >= this.capacity) return false;
    const slot = this.#size < this.capacity ? this.#size++ : this.#next;
    this.#next = (slot + 1) % this.capacity;
    const width = this.featureCount;
    const data = this.#data;
    for (let column = 0, at = slot * width; column < width; column++, at++) {
      data[at] = rows[offset + column] ?? 0;
    }
    this.#alerted[slot] = alerted ? 1 : 0;
    return true;
  }

  /** A copy of every row, oldest first. */
  rows(): Float64Array {
    return oldestFirst(this.#data, this.featureCount, this.#size, this.#next);
  }

  /** Per row of {@link rows}, 1 when it alerted. */
  alerted(): Uint8Array {
    return oldestFirst(this.#alerted, 1, this.#size, this.#next);
  }

  /** The rows that did not alert, oldest first: what the forest is fitted on. */
  trainingRows(): Float64Array {
    return withoutAlerted(this.rows(), this.alerted(), this.featureCount);
  }

  snapshot(): TrainingWindowSnapshot {
    return {
      capacity: this.capacity,
      featureCount: this.featureCount,
      horizonHours: this.horizonHours,
      seed: this.seed,
      rows: this.rows(),
      alerted: this.alerted(),
      offered: this.#offered,
      latestHour: Number.isFinite(this.#latestHour) ? this.#latestHour : null,
      hourCounts: saved(this.#hourCounts),
    };
  }

  static restore(snapshot: TrainingWindowSnapshot): TrainingWindow {
    const { capacity, featureCount, horizonHours, seed } = snapshot;
    const window = new TrainingWindow(capacity, featureCount, horizonHours, seed);
    const rows = restored(Float64Array, snapshot.rows, undefined, 'training window');
    if (rows.length % featureCount !== 0 || rows.length > window.#data.length) {
      throw new Error('entry scorer snapshot: training window does not fit its capacity');
    }
    window.#data.set(rows);
    window.#size = rows.length / featureCount;
    window.#alerted.set(restored(Uint8Array, snapshot.alerted, window.#size, 'training window marks'));
    window.#next = window.#size % capacity;
    window.#offered = snapshot.offered;
    window.#latestHour = snapshot.latestHour ?? -Infinity;
    window.#hourCounts.set(restored(Float64Array, snapshot.hourCounts, horizonHours, 'hour counts'));
    window.#entriesInHorizon = window.#hourCounts.reduce((sum, count) => sum + count, 0);
    return window;
  }

  /** Counts an entry in its hour (a late one, beyond the horizon, in the latest); returns the horizon's total. */
  #count(timeUs: number): number {
    const hour = Math.floor(timeUs / HOUR_US);
    const horizon = this.horizonHours;
    if (hour > this.#latestHour) {
      const first = Math.max(this.#latestHour + 1, hour - horizon + 1);
      for (let stale = first; stale <= hour; stale++) {
        const slot = ((stale % horizon) + horizon) % horizon;
        this.#entriesInHorizon -= this.#hourCounts[slot] ?? 0;
        this.#hourCounts[slot] = 0;
      }
      this.#latestHour = hour;
    }
    const counted = hour > this.#latestHour - horizon ? hour : this.#latestHour;
    const slot = ((counted % horizon) + horizon) % horizon;
    this.#hourCounts[slot] = (this.#hourCounts[slot] ?? 0) + 1;
    return ++this.#entriesInHorizon;
  }
}

function oldestFirst<T extends Float64Array | Uint8Array>(
  ring: T,
  width: number,
  size: number,
  next: number,
): T {
  if (size * width < ring.length) return ring.slice(0, size * width) as T;
  const copy = ring.slice() as T;
  copy.set(ring.subarray(next * width));
  copy.set(ring.subarray(0, next * width), ring.length - next * width);
  return copy;
}

/** The rows whose mark is 0. */
export function withoutAlerted(rows: Float64Array, alerted: Uint8Array, width: number): Float64Array {
  let kept = 0;
  for (const mark of alerted) if (mark === 0) kept++;
  const training = new Float64Array(kept * width);
  let at = 0;
  for (let row = 0; row < alerted.length; row++) {
    if (alerted[row] !== 0) continue;
    training.set(rows.subarray(row * width, (row + 1) * width), at);
    at += width;
  }
  return training;
}

/** A uniform draw in [0, 1) fixed by (seed, index): murmur3's finaliser over both words of the index. */
function uniform(seed: number, index: number): number {
  let hash = (Math.floor(index / 2 ** 32) ^ Math.imul(seed | 0, 0x9e3779b1)) >>> 0;
  hash = finalise(hash);
  hash = finalise((hash ^ index) >>> 0);
  return hash / 2 ** 32;
}

function finalise(value: number): number {
  let h = value;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}
