import type { FunctionCall, RangeFunctionName } from './ast.ts';
import { kahanAdd } from './float.ts';
import {
  mergeSameLabelsets,
  stepTimeMs,
  StepSeriesBlocks,
  type ScratchBlocks,
  type StepGrid,
  type StepSeries,
} from './grid.ts';
import { withoutMetricName } from './labels.ts';
import { convertSelected, withoutStaleMarkers } from './selectors.ts';
import type { SeriesSource } from './series-source.ts';
import { StepWindowFinder, type StepWindows } from './step-windows.ts';

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
 * metric name is dropped from the result, as Prometheus does for all of these functions. The series'
 * arrays come from `scratch` when given.
 */
export function evaluateRangeFunction(
  source: SeriesSource,
  call: FunctionCall,
  grid: StepGrid,
  scratch: ScratchBlocks | null,
): StepSeries[] {
  const { selector, rangeMs } = call.arg;
  const firstMs = grid.startMs - selector.offsetMs - rangeMs;
  const lastMs = stepTimeMs(grid, grid.steps - 1) - selector.offsetMs;
  const kind = FUNCTION_NUMBER[call.func];
  const finder = new StepWindowFinder(grid, selector.offsetMs, rangeMs);
  const blocks = new StepSeriesBlocks(grid.steps, scratch);
  const divisor = kind === RATE ? rangeMs / 1000 : 1;
  const geometries = new Map<StepWindows, RateGeometry>();
  const series = convertSelected(source, selector, firstMs, lastMs, grid.steps, (stored) => {
    const { timestamps, values } = withoutStaleMarkers(stored);
    const windows = finder.windowsOf(timestamps);
    const output = blocks.empty(withoutMetricName(stored.labels));
    let any: boolean;
    if (kind === RATE || kind === INCREASE) {
      let geometry = geometries.get(windows);
      if (geometry === undefined) {
        geometry = emptyRateGeometry(grid.steps);
        geometries.set(windows, geometry);
      }
      if (geometry.version !== windows.version) {
        findRateGeometry(geometry, windows, timestamps, finder, rangeMs, divisor);
      }
      const monotonic = stored.neverDecreases === true || neverDecreases(values);
      any = extrapolatedRates(geometry, windows, values, monotonic, divisor, output);
    } else any = overTime(kind, windows, values, output);
    return any ? output : null;
  });
  return mergeSameLabelsets(series);
}

/** The `*_over_time` functions at every step whose window has a sample; false when none has. */
function overTime(
  kind: number,
  { from, to }: StepWindows,
  values: Float64Array,
  output: StepSeries,
): boolean {
  let any = false;
  for (let step = 0; step < from.length; step++) {
    const first = from[step] as number;
    const end = to[step] as number;
    if (end === first) continue;
    let value: number;
    switch (kind) {
      case AVG_OVER_TIME:
        value = averageOverTime(values, first, end);
        break;
      case MAX_OVER_TIME:
        value = extremeOverTime(values, first, end, 1);
        break;
      case MIN_OVER_TIME:
        value = extremeOverTime(values, first, end, -1);
        break;
      case SUM_OVER_TIME:
        value = sumOverTime(values, first, end);
        break;
      case COUNT_OVER_TIME:
      default:
        value = end - first;
        break;
    }
    output.values[step] = value;
    output.present[step] = 1;
    any = true;
  }
  return any;
}

/**
 * What Prometheus's `extrapolatedRate` computes from the sample times alone, per step: the same for
 * every series with the same timestamps, which is most of them.
 */
interface RateGeometry {
  /** The version of the windows this was found for. */
  version: number;
  readonly sampledInterval: Float64Array;
  /** Towards the window's start: all the way within 110% of the average interval, else half of one. */
  readonly durationToStart: Float64Array;
  readonly durationToEnd: Float64Array;
  /** The extrapolation factor (divided by the range for rate()), unless the counter's zero point is nearer. */
  readonly factor: Float64Array;
}

function emptyRateGeometry(steps: number): RateGeometry {
  return {
    version: -1,
    sampledInterval: new Float64Array(steps),
    durationToStart: new Float64Array(steps),
    durationToEnd: new Float64Array(steps),
    factor: new Float64Array(steps),
  };
}

function findRateGeometry(
  geometry: RateGeometry,
  windows: StepWindows,
  timestamps: Float64Array,
  finder: StepWindowFinder,
  rangeMs: number,
  divisor: number,
): void {
  geometry.version = windows.version;
  for (let step = 0; step < windows.from.length; step++) {
    const first = windows.from[step] as number;
    const last = (windows.to[step] as number) - 1;
    if (last - first < 1) continue;
    const firstT = timestamps[first] as number;
    const lastT = timestamps[last] as number;
    const lastMs = finder.lastMs(step);
    let durationToStart = (firstT - (lastMs - rangeMs)) / 1000;
    let durationToEnd = (lastMs - lastT) / 1000;
    const sampledInterval = (lastT - firstT) / 1000;
    const averageInterval = sampledInterval / (last - first);
    const threshold = averageInterval * 1.1;
    if (durationToStart >= threshold) durationToStart = averageInterval / 2;
    if (durationToEnd >= threshold) durationToEnd = averageInterval / 2;
    geometry.sampledInterval[step] = sampledInterval;
    geometry.durationToStart[step] = durationToStart;
    geometry.durationToEnd[step] = durationToEnd;
    geometry.factor[step] = (sampledInterval + durationToStart + durationToEnd) / sampledInterval / divisor;
  }
}

/**
 * Prometheus's `extrapolatedRate` for counters at every step with two samples in its window: the
 * increase between the first and last sample, corrected for resets, extrapolated towards the window
 * edges (see RateGeometry), never below the counter's zero point. False when no step has two samples.
 * Resets are looked for only where the values are not `monotonic`, which is known once per series
 * rather than per window: a long range at a fine step revisits each sample many times.
 */
function extrapolatedRates(
  geometry: RateGeometry,
  { from, to }: StepWindows,
  values: Float64Array,
  monotonic: boolean,
  divisor: number,
  output: StepSeries,
): boolean {
  const { sampledInterval, durationToStart, durationToEnd, factor } = geometry;
  const { values: outputValues, present } = output;
  let any = false;
  for (let step = 0; step < from.length; step++) {
    const first = from[step] as number;
    const last = (to[step] as number) - 1;
    if (last - first < 1) continue;
    const firstValue = values[first] as number;
    let increase = (values[last] as number) - firstValue;
    if (!monotonic) increase = withResets(increase, values, first, last);
    let stepFactor = factor[step] as number;
    // At twice the increase or more, the zero point lies at least two sampled intervals back, beyond
    // the window's start (at most 1.1 intervals): the division below could not change the factor.
    // That test first: it is false for nearly every window of a long-running counter, while whether
    // the increase is 0 varies from window to window of a quiet one, which the CPU cannot predict.
    if (firstValue < 2 * increase && increase > 0 && firstValue >= 0) {
      const interval = sampledInterval[step] as number;
      const durationToZero = interval * (firstValue / increase);
      if (durationToZero < (durationToStart[step] as number)) {
        stepFactor = (interval + durationToZero + (durationToEnd[step] as number)) / interval / divisor;
      }
    }
    outputValues[step] = increase * stepFactor;
    present[step] = 1;
    any = true;
  }
  return any;
}

/** The increase plus the value before each counter reset between samples `first` and `last`, added in order. */
function withResets(increase: number, values: Float64Array, first: number, last: number): number {
  let corrected = increase;
  let previous = values[first] as number;
  for (let i = first + 1; i <= last; i++) {
    const current = values[i] as number;
    if (current < previous) corrected += previous;
    previous = current;
  }
  return corrected;
}

function neverDecreases(values: Float64Array): boolean {
  for (let i = 1; i < values.length; i++) if ((values[i] as number) < (values[i - 1] as number)) return false;
  return true;
}

const accumulator = { sums: new Float64Array(1), compensations: new Float64Array(1) };

function sumOverTime(values: Float64Array, from: number, to: number): number {
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
function averageOverTime(values: Float64Array, from: number, to: number): number {
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
function extremeOverTime(values: Float64Array, from: number, to: number, sign: 1 | -1): number {
  let best = values[from] as number;
  for (let i = from; i < to; i++) {
    const value = values[i] as number;
    if (sign * value > sign * best || Number.isNaN(best)) best = value;
  }
  return best;
}
