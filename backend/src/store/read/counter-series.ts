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

/**
 * Cumulative series, one per key: each starts at its key's first minute (or the window's start when the
 * key counted before it, from `baseline`) and then has a sample every minute, flat while nothing is
 * counted, so that rate() reads 0 for a unit gone quiet instead of losing the series. `rows` are the
 * counts inside the window in minute order; `labelsOf` gives a key's labels, or null when the selector
 * leaves it out.
 */
export function cumulativeSeries(
  window: CounterWindow,
  baseline: ReadonlyMap<number, number>,
  rows: MinuteRows,
  labelsOf: (key: number) => Labels | null,
): StoredSeries[] {
  const length = window.toMinute - window.fromMinute + 1;
  const counts = new Map<number, Float64Array>();
  const firstIndex = new Map<number, number>();
  const wanted = new Map<number, Labels | null>();
  const labelsFor = (key: number) => {
    let labels = wanted.get(key);
    if (labels === undefined) wanted.set(key, (labels = labelsOf(key)));
    return labels;
  };
  for (const key of baseline.keys()) {
    if (labelsFor(key) === null) continue;
    counts.set(key, new Float64Array(length));
    firstIndex.set(key, 0);
  }
  const { minutes, keys, values } = rows;
  let lastKey = Number.NaN;
  let perMinute: Float64Array | undefined;
  for (let i = 0; i < minutes.length; i++) {
    const key = keys[i] as number;
    if (key !== lastKey) {
      lastKey = key;
      perMinute = counts.get(key);
      if (perMinute === undefined && labelsFor(key) !== null) {
        counts.set(key, (perMinute = new Float64Array(length)));
        firstIndex.set(key, (minutes[i] as number) - window.fromMinute);
      }
    }
    if (perMinute === undefined) continue;
    const index = (minutes[i] as number) - window.fromMinute;
    perMinute[index] = (perMinute[index] as number) + (values[i] as number);
  }
  const series: StoredSeries[] = [];
  for (const [key, cumulative] of counts) {
    const first = firstIndex.get(key) ?? 0;
    let running = baseline.get(key) ?? 0;
    for (let i = first; i < length; i++) {
      running += cumulative[i] as number;
      cumulative[i] = running;
    }
    series.push({
      labels: labelsFor(key) as Labels,
      timestamps: window.timestamps.subarray(first),
      values: cumulative.subarray(first),
    });
  }
  return series;
}
