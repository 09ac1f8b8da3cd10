import type { FunctionCall, RangeFunctionName } from './ast.ts';
import { kahanAdd } from './float.ts';
import { emptyStepSeries, mergeSameLabelsets, stepTimeMs, type StepGrid, type StepSeries } from './grid.ts';
import { withoutMetricName } from './labels.ts';
import { convertSelected, withoutStaleMarkers } from './selectors.ts';
import type { SeriesSource, StoredSeries } from './series-source.ts';

/**
 * The samples of one series inside one window (firstMs, lastMs] of a range selector: indices [from, to).
 * One object per series, moved along step by step, so that a million windows allocate nothing.
 */
interface Window {
  readonly timestamps: Float64Array;
  readonly values: Float64Array;
  /** The series never decreases: no counter resets to look for in any of its windows. */
  readonly monotonic: boolean;
  from: number;
  to: number;
  firstMs: number;
  lastMs: number;
}

// The step loop switches on these numbers: a switch on the function's name would compare strings (the
// parser's are not interned) for each of a million windows.
const RATE = 0;
const INCREASE = 1;
const AVG_OVER_TIME = 2;
const MAX_OVER_TIME = 3;
const MIN_OVER_TIME = 4;
const SUM_OVER_TIME = 5;
const COUNT_OVER_TIME = 6;

const FUNCTION_NUMBER: Readonly<Record<RangeFunctionName, number>> = {
  rate: RATE,
  increase: INCREASE,
  avg_over_time: AVG_OVER_TIME,
  max_over_time: MAX_OVER_TIME,
  min_over_time: MIN_OVER_TIME,
  sum_over_time: SUM_OVER_TIME,
  count_over_time: COUNT_OVER_TIME,
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
  const { selector, rangeMs } = call.arg;
  const firstMs = grid.startMs - selector.offsetMs - rangeMs;
  const lastMs = stepTimeMs(grid, grid.steps - 1) - selector.offsetMs;
  const series = convertSelected(source, selector, firstMs, lastMs, grid.steps, (stored) => {
    const output = emptyStepSeries(withoutMetricName(stored.labels), grid.steps);
    const any = applyAtSteps(
      call.func,
      withoutStaleMarkers(stored),
      output,
      grid,
      selector.offsetMs,
      rangeMs,
    );
    return any ? output : null;
  });
  return mergeSameLabelsets(series);
}

/**
 * Slides the window along the samples step by step and fills `output`; false when no step had enough
 * samples. One loop for every function, which it picks per window with a switch: a call through a
 * table of functions would not be inlined.
 */
function applyAtSteps(
  func: RangeFunctionName,
  { timestamps, values }: StoredSeries,
  output: StepSeries,
  { startMs, stepMs, steps }: StepGrid,
  offsetMs: number,
  rangeMs: number,
): boolean {
  const kind = FUNCTION_NUMBER[func];
  // Windows with fewer samples give no output point.
  const minSamples = kind === RATE || kind === INCREASE ? 2 : 1;
  const samples = timestamps.length;
  const window: Window = {
    timestamps,
    values,
    monotonic: neverDecreases(values),
    from: 0,
    to: 0,
    firstMs: 0,
    lastMs: 0,
  };
  let from = 0;
  let to = 0;
  let any = false;
  for (let step = 0; step < steps; step++) {
    const lastMs = startMs + step * stepMs - offsetMs;
    const firstMs = lastMs - rangeMs;
    while (from < samples && (timestamps[from] as number) <= firstMs) from++;
    if (to < from) to = from;
    while (to < samples && (timestamps[to] as number) <= lastMs) to++;
    if (to - from < minSamples) continue;
    window.from = from;
    window.to = to;
    window.firstMs = firstMs;
    window.lastMs = lastMs;
    let value: number;
    switch (kind) {
      case RATE:
        value = extrapolatedRate(window, rangeMs / 1000);
        break;
      case INCREASE:
        value = extrapolatedRate(window, 1);
        break;
      case AVG_OVER_TIME:
        value = averageOverTime(window);
        break;
      case MAX_OVER_TIME:
        value = extremeOverTime(window, 1);
        break;
      case MIN_OVER_TIME:
        value = extremeOverTime(window, -1);
        break;
      case SUM_OVER_TIME:
        value = sumOverTime(window);
        break;
      case COUNT_OVER_TIME:
      default:
        value = to - from;
        break;
    }
    output.values[step] = value;
    output.present[step] = 1;
    any = true;
  }
  return any;
}

/**
 * Prometheus's `extrapolatedRate` for counters: the increase between the first and last sample,
 * corrected for resets, extrapolated towards the window edges (all the way when the edge is within 110% of
 * the average sample interval, else half an interval, and never below the counter's zero point).
 */
function extrapolatedRate(window: Window, divisor: number): number {
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

  // rate() divides by the range in seconds, increase() by 1, which leaves the factor exactly as it is.
  const factor = (sampledInterval + durationToStart + durationToEnd) / sampledInterval / divisor;
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

/** The largest value (`sign` 1) or the smallest (-1); NaN loses to any number. */
function extremeOverTime({ values, from, to }: Window, sign: 1 | -1): number {
  let best = values[from] as number;
  for (let i = from; i < to; i++) {
    const value = values[i] as number;
    if (sign * value > sign * best || Number.isNaN(best)) best = value;
  }
  return best;
}
