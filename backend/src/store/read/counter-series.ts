import type { Labels, StoredSeries } from '../../api/prometheus/index.ts';
import type { MinuteRows } from './minute-cache.ts';
import { MS_PER_MINUTE } from './minutes.ts';

/**
 * The minutes whose counter samples fall in a selection: the sample of minute m sits at the end of the
 * minute, (m + 1) · 60 s, and holds every entry before that instant, as a scrape at that moment would.
 * Only whole minutes that have passed are sampled.
 */
export interface CounterWindow {
  readonly fromMinute: number;
  readonly toMinute: number;
  /** One per minute of the window: (m + 1) · 60 s, in ms. */
  readonly timestamps: Float64Array;
}

export function counterWindow(startMs: number, endMs: number, nowMs: number): CounterWindow | null {
  const fromMinute = Math.ceil(startMs / MS_PER_MINUTE) - 1;
  const toMinute = lastCounterMinute(endMs, nowMs);
  if (toMinute < fromMinute) return null;
  const timestamps = new Float64Array(toMinute - fromMinute + 1);
  for (let i = 0; i < timestamps.length; i++) timestamps[i] = (fromMinute + i + 1) * MS_PER_MINUTE;
  return { fromMinute, toMinute, timestamps };
}

/** The last minute sampled at or before `endMs`. */
export function lastCounterMinute(endMs: number, nowMs: number): number {
  return Math.min(Math.floor(endMs / MS_PER_MINUTE), Math.floor(nowMs / MS_PER_MINUTE)) - 1;
}

export type RowVisitor = (minute: number, key: number, value: number) => void;

/** Arrays reused from one series to the next (a source's series are read before the next is asked for). */
export interface CounterScratch {
  /** One per key of the current series: per-minute counts, then the running sums. */
  readonly sums: Float64Array[];
  readonly slots: KeySlots;
}

export function counterScratch(): CounterScratch {
  return { sums: [], slots: new KeySlots() };
}

/** The keys of one series being cumulated, by slot. */
interface KeyColumns {
  readonly labels: (Labels | null)[];
  /** NOTHING for keys the selector leaves out. */
  readonly sums: Float64Array[];
  /** The running sums where the window starts. */
  readonly before: number[];
  /** Index of each key's first minute in the window, or 0 when it counted before it. */
  readonly first: number[];
}

const NOTHING = new Float64Array(0);

/**
 * Cumulative series, one per key: each starts at its key's first minute (or the window's start when the
 * key counted before it) and then has a sample every minute, flat while nothing is counted, so that
 * rate() reads 0 for a unit gone quiet instead of losing the series. `baseline` holds the sums before
 * `rows`, whose rows before the window only add to where it starts; `labelsOf` gives a key's labels, or
 * null when the selector leaves it out. The series' arrays are `scratch`'s, valid until its next use.
 */
export function cumulativeSeries(
  window: CounterWindow,
  baseline: ReadonlyMap<number, number>,
  rows: MinuteRows,
  labelsOf: (key: number) => Labels | null,
  scratch: CounterScratch = counterScratch(),
): StoredSeries[] {
  const length = window.toMinute - window.fromMinute + 1;
  const { slots } = scratch;
  const columns: KeyColumns = { labels: [], sums: [], before: [], first: [] };
  const addKey = (key: number, first: number): number => {
    const slot = columns.labels.length;
    slots.set(key, slot);
    const labels = labelsOf(key);
    columns.labels.push(labels);
    columns.sums.push(labels === null ? NOTHING : zeroed(scratch.sums, slot, length));
    columns.before.push(0);
    columns.first.push(first);
    return slot;
  };

  const { minutes, keys, values } = rows;
  slots.prepare(keys, baseline.keys());
  for (const [key, total] of baseline) columns.before[addKey(key, 0)] = total;
  const { sums, before } = columns;
  for (let i = 0; i < minutes.length; i++) {
    const key = keys[i] as number;
    const index = (minutes[i] as number) - window.fromMinute;
    let slot = slots.get(key);
    if (slot < 0) slot = addKey(key, index < 0 ? 0 : index);
    const perMinute = sums[slot] as Float64Array;
    if (perMinute === NOTHING) continue;
    if (index < 0) before[slot] = (before[slot] as number) + (values[i] as number);
    else perMinute[index] = (perMinute[index] as number) + (values[i] as number);
  }
  slots.clear();

  const cumulative: StoredSeries[] = [];
  columns.labels.forEach((labels, slot) => {
    if (labels === null) return;
    const running = sums[slot] as Float64Array;
    const first = columns.first[slot] as number;
    let sum = before[slot] as number;
    for (let i = first; i < length; i++) {
      sum += running[i] as number;
      running[i] = sum;
    }
    cumulative.push({
      labels,
      timestamps: window.timestamps.subarray(first),
      values: running.subarray(first, length),
    });
  });
  return cumulative;
}

/** `arrays[index]` with `length` zeros, grown when too short. */
function zeroed(arrays: Float64Array[], index: number, length: number): Float64Array {
  const existing = arrays[index];
  if (existing !== undefined && existing.length >= length) return existing.fill(0, 0, length);
  const created = new Float64Array(length);
  arrays[index] = created;
  return created;
}

/** Keys within this many of the smallest are looked up in an array, others in a Map. */
const DENSE_KEY_RANGE = 4096;

/**
 * Key → slot for the keys of one series: an array lookup while the keys are close together (priorities
 * are; rows alternate between them every minute), a Map otherwise (template ids).
 */
class KeySlots {
  private readonly dense = new Int32Array(DENSE_KEY_RANGE).fill(-1);
  private readonly sparse = new Map<number, number>();
  private smallest: number | null = null;
  private readonly used: number[] = [];

  /** Chooses the lookup for these keys. */
  prepare(keys: Int32Array, more: Iterable<number>): void {
    let smallest = Number.POSITIVE_INFINITY;
    let largest = Number.NEGATIVE_INFINITY;
    for (let i = 0; i < keys.length; i++) {
      const key = keys[i] as number;
      if (key < smallest) smallest = key;
      if (key > largest) largest = key;
    }
    for (const key of more) {
      smallest = Math.min(smallest, key);
      largest = Math.max(largest, key);
    }
    this.smallest = largest - smallest < DENSE_KEY_RANGE ? smallest : null;
  }

  /** The key's slot, or -1. */
  get(key: number): number {
    return this.smallest === null
      ? (this.sparse.get(key) ?? -1)
      : (this.dense[key - this.smallest] as number);
  }

  set(key: number, slot: number): void {
    if (this.smallest === null) this.sparse.set(key, slot);
    else {
      this.dense[key - this.smallest] = slot;
      this.used.push(key - this.smallest);
    }
  }

  clear(): void {
    for (const index of this.used) this.dense[index] = -1;
    this.used.length = 0;
    this.sparse.clear();
  }
}
