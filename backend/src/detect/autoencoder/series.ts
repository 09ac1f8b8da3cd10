/** Entries per minute for one (host, unit), as the store keeps them in `entry_counts`. */
export interface CountSeries {
  /** Identifies the (host, unit) across retrains, e.g. the store's series id. */
  key: string;
  /** Minutes since the Unix epoch (UTC) of `counts[0]`. */
  startMinute: number;
  /** One finite, non-negative count per minute from `startMinute`; minutes without entries are 0. */
  counts: Float32Array | Float64Array;
  /** Series of one host share a group: a silence of the whole host is not one unit's (see silence.ts). */
  group?: string;
}

export const MINUTES_PER_DAY = 1440;
export const MINUTES_PER_WEEK = 7 * MINUTES_PER_DAY;
/** The Unix epoch fell on a Thursday; weeks here start on Monday 00:00 UTC. */
const EPOCH_MINUTE_OF_WEEK = 3 * MINUTES_PER_DAY;

/** 0 at Monday 00:00 UTC, up to MINUTES_PER_WEEK - 1 at Sunday 23:59. */
export function minuteOfWeek(minute: number): number {
  return (((minute + EPOCH_MINUTE_OF_WEEK) % MINUTES_PER_WEEK) + MINUTES_PER_WEEK) % MINUTES_PER_WEEK;
}

export function lastMinute(series: CountSeries): number {
  return series.startMinute + series.counts.length - 1;
}

export function checkStartMinute(series: CountSeries): void {
  if (!Number.isSafeInteger(series.startMinute)) {
    throw new RangeError(`series ${series.key}: startMinute must be an integer, got ${series.startMinute}`);
  }
}

/** Negative or non-finite counts would silently poison a model. */
export function checkCount(series: CountSeries, index: number, count: number): void {
  if (!(count >= 0 && count < Infinity)) {
    throw new RangeError(`series ${series.key}: count at minute ${series.startMinute + index} is ${count}`);
  }
}
