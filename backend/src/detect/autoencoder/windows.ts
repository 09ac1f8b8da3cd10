import { MINUTES_PER_DAY, MINUTES_PER_WEEK, minuteOfWeek } from './series.ts';

/**
 * Fixed-length windows of normalised counts, the model's unit of input.
 *
 * A window is the WINDOW_STEPS one-minute steps that end at the minute being scored. One-minute steps keep
 * a one-minute burst or gap undiluted (a 5-minute bucket would average it away) and let every minute be
 * scored on its own; thirty of them cover several cycles of a crash loop and give a sustained drift thirty
 * samples to stand out from noise. Longer context is not needed from the window, because what is normal for
 * the hour and the weekday is already in the normalisation (see normalisation.ts). The LSTM runs step by
 * step, so cost grows linearly with the window: 30 steps is half the price of 60 for 1,000 series.
 *
 * Each step carries the normalised count and the time of that minute as sin/cos of the hour of day and of
 * the day of week (continuous, so 23:59 sits next to 00:00 and Sunday next to Monday).
 */
export const WINDOW_STEPS = 30;
export const TIME_FEATURES = 4;

/** Normalised counts of one series, and where its minute 0 is. */
export interface NormalisedSeries {
  startMinute: number;
  z: Float32Array;
}

/** Windows laid out row-major, ready to become tensors of shape [size, WINDOW_STEPS, 1 | TIME_FEATURES]. */
export interface WindowBatch {
  size: number;
  /** size × WINDOW_STEPS normalised counts. */
  z: Float32Array;
  /** size × WINDOW_STEPS × TIME_FEATURES. */
  time: Float32Array;
}

/** A window is named by its series and the index (into that series) of its last minute. */
export interface WindowEnd {
  series: NormalisedSeries;
  endIndex: number;
}

export function writeTimeFeatures(minute: number, out: Float32Array, offset: number): void {
  const dayAngle = (2 * Math.PI * (minuteOfWeek(minute) % MINUTES_PER_DAY)) / MINUTES_PER_DAY;
  const weekAngle = (2 * Math.PI * minuteOfWeek(minute)) / MINUTES_PER_WEEK;
  out[offset] = Math.sin(dayAngle);
  out[offset + 1] = Math.cos(dayAngle);
  out[offset + 2] = Math.sin(weekAngle);
  out[offset + 3] = Math.cos(weekAngle);
}

/**
 * Builds the windows that end at the given minutes. Steps before a series' first minute are filled with
 * z = 0 ("as usual"), so that a series with less than a window of history can still be scored.
 */
export function buildWindows(ends: readonly WindowEnd[]): WindowBatch {
  const size = ends.length;
  const z = new Float32Array(size * WINDOW_STEPS);
  const time = new Float32Array(size * WINDOW_STEPS * TIME_FEATURES);
  ends.forEach(({ series, endIndex }, row) => {
    const firstIndex = endIndex - WINDOW_STEPS + 1;
    for (let step = 0; step < WINDOW_STEPS; step++) {
      const index = firstIndex + step;
      const cell = row * WINDOW_STEPS + step;
      z[cell] = index >= 0 ? (series.z[index] ?? 0) : 0;
      writeTimeFeatures(series.startMinute + index, time, cell * TIME_FEATURES);
    }
  });
  return { size, z, time };
}
