import type { Labels, StoredSeries } from '../../api/prometheus/index.ts';
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
 * counted, so that rate() reads 0 for a unit gone quiet instead of losing the series. `labelsOf` gives
 * a key's labels, or null when the selector leaves it out.
 */
export function cumulativeSeries(
  window: CounterWindow,
  baseline: ReadonlyMap<number, number>,
  readRows: (visit: RowVisitor) => void,
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
  readRows((minute, key, value) => {
    let perMinute = counts.get(key);
    if (perMinute === undefined) {
      if (labelsFor(key) === null) return;
      counts.set(key, (perMinute = new Float64Array(length)));
      firstIndex.set(key, minute - window.fromMinute);
    }
    const index = minute - window.fromMinute;
    perMinute[index] = (perMinute[index] as number) + value;
  });
  const series: StoredSeries[] = [];
  for (const [key, perMinute] of counts) {
    const first = firstIndex.get(key) ?? 0;
    let running = baseline.get(key) ?? 0;
    for (let i = first; i < length; i++) {
      running += perMinute[i] as number;
      perMinute[i] = running;
    }
    series.push({
      labels: labelsFor(key) as Labels,
      timestamps: window.timestamps.subarray(first),
      values: perMinute.subarray(first),
    });
  }
  return series;
}
