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
import { withoutMetricName, type Labels } from './labels.ts';
import { convertSelected, visitSelected, withoutStaleMarkers } from './selectors.ts';
import type { SeriesSource, StoredSeries } from './series-source.ts';
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
  const steps = new RangeFunctionSteps(call, grid);
  const blocks = new StepSeriesBlocks(grid.steps, scratch);
  const series = convertSelected(
    source,
    call.arg.selector,
    steps.firstMs,
    steps.lastMs,
    grid.steps,
    (stored) => {
      const output = blocks.empty(withoutMetricName(stored.labels));
      return steps.write(stored, output) ? output : null;
    },
  );
  return mergeSameLabelsets(series);
}

/**
 * evaluateRangeFunction for a consumer that reads each series once, before the next (an aggregation):
 * the series are handed to `visit` as the source yields them, all in the same arrays, so that a day of
 * 2,000 rate()s is written to and read from a few kilobytes rather than 26 MB. False, once some series
 * were visited, when the source's series are not in ascending label order; the caller then evaluates
 * the function as above. Its selector must name one metric: without the name, series of two metrics
 * could be one (see mergeSameLabelsets).
 */
export function visitRangeFunction(
  source: SeriesSource,
  call: FunctionCall,
  grid: StepGrid,
  visit: (series: StepSeries) => void,
): boolean {
  const steps = new RangeFunctionSteps(call, grid);
  const output: { labels: Labels; readonly values: Float64Array; readonly present: Uint8Array } = {
    labels: {},
    values: new Float64Array(grid.steps),
    present: new Uint8Array(grid.steps),
  };
  return visitSelected(source, call.arg.selector, steps.firstMs, steps.lastMs, grid.steps, (stored) => {
    output.present.fill(0);
    output.labels = withoutMetricName(stored.labels);
    if (steps.write(stored, output)) visit(output);
  });
}

/** One function over a range selector, applied to one series after another. */
class RangeFunctionSteps {
  /** The samples the steps' windows can hold. */
  readonly firstMs: number;
  readonly lastMs: number;
  private readonly kind: number;
  private readonly rangeMs: number;
  private readonly divisor: number;
  private readonly finder: StepWindowFinder;
  private readonly geometries = new Map<StepWindows, RateGeometry>();

  constructor(
    call: FunctionCall,
    private readonly grid: StepGrid,
  ) {
    const { selector, rangeMs } = call.arg;
    this.firstMs = grid.startMs - selector.offsetMs - rangeMs;
    this.lastMs = stepTimeMs(grid, grid.steps - 1) - selector.offsetMs;
    this.kind = FUNCTION_NUMBER[call.func];
    this.rangeMs = rangeMs;
    this.divisor = this.kind === RATE ? rangeMs / 1000 : 1;
    this.finder = new StepWindowFinder(grid, selector.offsetMs, rangeMs);
  }

  /** Writes the function's value at every step that has one into `output`; false when none has. */
  write(stored: StoredSeries, output: StepSeries): boolean {
    const { kind, finder } = this;
    const { timestamps, values } = withoutStaleMarkers(stored);
    const windows = finder.windowsOf(timestamps);
    if (kind !== RATE && kind !== INCREASE) return overTime(kind, windows, values, output);
    let geometry = this.geometries.get(windows);
    if (geometry === undefined) {
      geometry = emptyRateGeometry(this.grid.steps);
      this.geometries.set(windows, geometry);
    }
    if (geometry.version !== windows.version) {
      findRateGeometry(geometry, windows, timestamps, finder, this.rangeMs, this.divisor);
    }
    const monotonic = stored.neverDecreases === true || neverDecreases(values);
    return extrapolatedRates(geometry, windows, values, monotonic, this.divisor, output);
  }
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
  /**
   * When every step's window holds the samples from `step + firstOffset` to `step + lastOffset`, two
   * or more (a series sampled once a step), lastOffset; else 0.
   */
  lastOffset: number;
  firstOffset: number;
}

function emptyRateGeometry(steps: number): RateGeometry {
  return {
    version: -1,
    sampledInterval: new Float64Array(steps),
    durationToStart: new Float64Array(steps),
    durationToEnd: new Float64Array(steps),
    factor: new Float64Array(steps),
    lastOffset: 0,
    firstOffset: 0,
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
  const firstOffset = windows.from[0] as number;
  const lastOffset = (windows.to[0] as number) - 1;
  let regular = lastOffset - firstOffset >= 1;
  for (let step = 0; step < windows.from.length; step++) {
    const first = windows.from[step] as number;
    const last = (windows.to[step] as number) - 1;
    regular &&= first === step + firstOffset && last === step + lastOffset;
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
  geometry.firstOffset = firstOffset;
  geometry.lastOffset = regular ? lastOffset : 0;
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
  windows: StepWindows,
  values: Float64Array,
  monotonic: boolean,
  divisor: number,
  output: StepSeries,
): boolean {
  if (monotonic && geometry.lastOffset > 0) {
    regularRates(geometry, values, divisor, output);
    return true;
  }
  const { from, to } = windows;
  const { factor } = geometry;
  const { values: outputValues, present } = output;
  let any = false;
  for (let step = 0; step < from.length; step++) {
    const first = from[step] as number;
    const last = (to[step] as number) - 1;
    if (last - first < 1) continue;
    const firstValue = values[first] as number;
    let increase = (values[last] as number) - firstValue;
    if (!monotonic) increase = withResets(increase, values, first, last);
    // At twice the increase or more, the zero point lies at least two sampled intervals back, beyond
    // the window's start (at most 1.1 intervals): it could not change the factor. That test first: it
    // is false for nearly every window of a long-running counter, while whether the increase is 0
    // varies from window to window of a quiet one, which the CPU cannot predict.
    outputValues[step] =
      firstValue < 2 * increase && increase > 0 && firstValue >= 0
        ? increase * factorToZero(geometry, step, firstValue, increase, divisor)
        : increase * (factor[step] as number);
    present[step] = 1;
    any = true;
  }
  return any;
}

/**
 * extrapolatedRates for a monotonic series sampled once a step (see RateGeometry): each window's
 * samples are found without reading the windows, a third of the time for 2,000 counters over a day.
 */
function regularRates(
  geometry: RateGeometry,
  values: Float64Array,
  divisor: number,
  output: StepSeries,
): void {
  const { factor, firstOffset, lastOffset } = geometry;
  const { values: outputValues, present } = output;
  for (let step = 0; step < outputValues.length; step++) {
    const firstValue = values[step + firstOffset] as number;
    const increase = (values[step + lastOffset] as number) - firstValue;
    outputValues[step] =
      firstValue < 2 * increase && increase > 0 && firstValue >= 0
        ? increase * factorToZero(geometry, step, firstValue, increase, divisor)
        : increase * (factor[step] as number);
  }
  present.fill(1);
}

/** The step's factor when the counter's zero point may lie nearer than the window's extrapolated start. */
function factorToZero(
  { sampledInterval, durationToStart, durationToEnd, factor }: RateGeometry,
  step: number,
  firstValue: number,
  increase: number,
  divisor: number,
): number {
  const interval = sampledInterval[step] as number;
  const durationToZero = interval * (firstValue / increase);
  if (durationToZero >= (durationToStart[step] as number)) return factor[step] as number;
  return (interval + durationToZero + (durationToEnd[step] as number)) / interval / divisor;
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
