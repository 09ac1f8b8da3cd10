import type { FunctionCall, RangeFunctionName } from './ast.ts';
import { kahanAdd } from './float.ts';
import {
  checkSampleLimit,
  emptyStepSeries,
  hasAnyPoint,
  mergeSameLabelsets,
  stepTimeMs,
  type StepGrid,
  type StepSeries,
} from './grid.ts';
import { withoutMetricName } from './labels.ts';
import { selectSeries, withoutStaleMarkers } from './selectors.ts';
import type { SeriesSource } from './series-source.ts';

/**
 * The samples of one series inside one window (firstMs, lastMs] of a range selector: indices [from, to).
 * One object per series, moved along step by step, so that a million windows allocate nothing.
 */
interface Window {
  readonly timestamps: Float64Array;
  readonly values: Float64Array;
  readonly rangeMs: number;
  /** The series never decreases: no counter resets to look for in any of its windows. */
  readonly monotonic: boolean;
  from: number;
  to: number;
  firstMs: number;
  lastMs: number;
}

interface RangeFunction {
  /** Windows with fewer samples give no output point. */
  readonly minSamples: number;
  compute(window: Window): number;
}

const RANGE_FUNCTIONS: Readonly<Record<RangeFunctionName, RangeFunction>> = {
  rate: { minSamples: 2, compute: (window) => extrapolatedRate(window, true) },
  increase: { minSamples: 2, compute: (window) => extrapolatedRate(window, false) },
  avg_over_time: { minSamples: 1, compute: averageOverTime },
  max_over_time: { minSamples: 1, compute: (window) => extremeOverTime(window, (a, b) => a > b) },
  min_over_time: { minSamples: 1, compute: (window) => extremeOverTime(window, (a, b) => a < b) },
  sum_over_time: { minSamples: 1, compute: sumOverTime },
  count_over_time: { minSamples: 1, compute: (window) => window.to - window.from },
};

/**
 * A function over a range selector at every step: per series, the samples in
 * (t - offset - range, t - offset] (open on the left, as in Prometheus 3), stale markers left out. The
 * metric name is dropped from the result, as Prometheus does for all of these functions.
 */
export function evaluateRangeFunction(
  source: SeriesSource,
  call: FunctionCall,
  grid: StepGrid,
): StepSeries[] {
  const fn = RANGE_FUNCTIONS[call.func];
  const { selector, rangeMs } = call.arg;
  const firstMs = grid.startMs - selector.offsetMs - rangeMs;
  const lastMs = stepTimeMs(grid, grid.steps - 1) - selector.offsetMs;
  const selected = selectSeries(source, selector, firstMs, lastMs);
  checkSampleLimit(selected.length, grid.steps);
  const result: StepSeries[] = [];
  for (const stored of selected) {
    const { timestamps, values } = withoutStaleMarkers(stored);
    const series = emptyStepSeries(withoutMetricName(stored.labels), grid.steps);
    const monotonic = neverDecreases(values);
    const window: Window = { timestamps, values, rangeMs, monotonic, from: 0, to: 0, firstMs: 0, lastMs: 0 };
    for (let step = 0; step < grid.steps; step++) {
      window.lastMs = stepTimeMs(grid, step) - selector.offsetMs;
      window.firstMs = window.lastMs - rangeMs;
      while (window.from < timestamps.length && (timestamps[window.from] ?? 0) <= window.firstMs)
        window.from++;
      if (window.to < window.from) window.to = window.from;
      while (window.to < timestamps.length && (timestamps[window.to] ?? 0) <= window.lastMs) window.to++;
      if (window.to - window.from < fn.minSamples) continue;
      series.values[step] = fn.compute(window);
      series.present[step] = 1;
    }
    if (hasAnyPoint(series)) result.push(series);
  }
  return mergeSameLabelsets(result);
}

/**
 * Prometheus's `extrapolatedRate` for counters: the increase between the first and last sample,
 * corrected for resets, extrapolated towards the window edges (all the way when the edge is within 110% of
 * the average sample interval, else half an interval, and never below the counter's zero point).
 */
function extrapolatedRate(window: Window, perSecond: boolean): number {
  const { timestamps, values, from, to } = window;
  const last = to - 1;
  const firstValue = values[from] ?? 0;
  let increase = (values[last] ?? 0) - firstValue;
  // Once per series rather than per window: a long range at a fine step revisits each sample many times.
  if (!window.monotonic) {
    let previous = firstValue;
    for (let i = from + 1; i <= last; i++) {
      const current = values[i] ?? 0;
      if (current < previous) increase += previous;
      previous = current;
    }
  }

  const firstT = timestamps[from] ?? 0;
  const lastT = timestamps[last] ?? 0;
  let durationToStart = (firstT - window.firstMs) / 1000;
  let durationToEnd = (window.lastMs - lastT) / 1000;
  const sampledInterval = (lastT - firstT) / 1000;
  const averageInterval = sampledInterval / (last - from);
  const threshold = averageInterval * 1.1;

  if (durationToStart >= threshold) durationToStart = averageInterval / 2;
  if (increase > 0 && firstValue >= 0) {
    const durationToZero = sampledInterval * (firstValue / increase);
    if (durationToZero < durationToStart) durationToStart = durationToZero;
  }
  if (durationToEnd >= threshold) durationToEnd = averageInterval / 2;

  let factor = (sampledInterval + durationToStart + durationToEnd) / sampledInterval;
  if (perSecond) factor /= window.rangeMs / 1000;
  return increase * factor;
}

function neverDecreases(values: Float64Array): boolean {
  for (let i = 1; i < values.length; i++) if ((values[i] as number) < (values[i - 1] as number)) return false;
  return true;
}

const accumulator = { sums: new Float64Array(1), compensations: new Float64Array(1) };

function sumOverTime({ values, from, to }: Window): number {
  const { sums, compensations } = accumulator;
  sums[0] = 0;
  compensations[0] = 0;
  for (let i = from; i < to; i++) kahanAdd(sums, compensations, 0, values[i] ?? 0);
  const sum = sums[0] ?? 0;
  return sum === Infinity || sum === -Infinity ? sum : sum + (compensations[0] ?? 0);
}

/**
 * The mean with compensated summation, switching to an incremental mean only if the running sum
 * overflows, as Prometheus does.
 */
function averageOverTime({ values, from, to }: Window): number {
  const { sums, compensations } = accumulator;
  sums[0] = values[from] ?? 0;
  compensations[0] = 0;
  let count = 1;
  let incremental = false;
  for (let i = from + 1; i < to; i++) {
    const value = values[i] ?? 0;
    count = i - from + 1;
    if (!incremental) {
      const previousSum: number = sums[0] ?? 0;
      const previousCompensation: number = compensations[0] ?? 0;
      kahanAdd(sums, compensations, 0, value);
      const sum = sums[0] ?? 0;
      if (sum !== Infinity && sum !== -Infinity) continue;
      incremental = true;
      sums[0] = previousSum / (count - 1);
      compensations[0] = previousCompensation / (count - 1);
    }
    const keep = (count - 1) / count;
    const mean: number = (sums[0] ?? 0) * keep;
    sums[0] = mean;
    compensations[0] = (compensations[0] ?? 0) * keep;
    kahanAdd(sums, compensations, 0, value / count);
  }
  const total = sums[0] ?? 0;
  const compensation = compensations[0] ?? 0;
  return incremental ? total + compensation : total / count + compensation / count;
}

function extremeOverTime(
  { values, from, to }: Window,
  beats: (candidate: number, best: number) => boolean,
): number {
  let best = values[from] ?? 0;
  for (let i = from; i < to; i++) {
    const value = values[i] ?? 0;
    if (beats(value, best) || Number.isNaN(best)) best = value;
  }
  return best;
}
