import type { Aggregation } from './ast.ts';
import { kahanAdd } from './float.ts';
import { hasAnyPoint, StepSeriesBlocks, type ScratchBlocks, type StepGrid, type StepSeries } from './grid.ts';
import { Grouper, groupSeries } from './grouping.ts';
import type { Labels } from './labels.ts';
import { selectK } from './topk.ts';

/**
 * `sum`, `avg`, `max`, `min`, `count`, `topk` and `bottomk` with `by`/`without`, step by step over the
 * grid, with Prometheus's float handling (compensated sums, NaN losing to any number in max/min) and its
 * output order for instant queries. Working arrays come from `scratch`, whose scope ends with the
 * aggregation.
 */
export function evaluateAggregation(
  node: Aggregation,
  input: StepSeries[],
  param: Float64Array | undefined,
  grid: StepGrid,
  scratch: ScratchBlocks,
): StepSeries[] {
  const { op } = node;
  if (op === 'topk' || op === 'bottomk') {
    return selectK(op, input, groupSeries(node, input), param ?? new Float64Array(grid.steps), grid);
  }
  const aggregation = new ValueAggregation(node, op, grid.steps, scratch);
  for (const series of input) aggregation.add(series);
  return aggregation.finish();
}

export type ValueOp = Exclude<Aggregation['op'], 'topk' | 'bottomk'>;

export function isValueOp(op: Aggregation['op']): op is ValueOp {
  return op !== 'topk' && op !== 'bottomk';
}

/** A group's running value and presence per step, with what its operation keeps beside them. */
interface GroupTotals {
  readonly series: StepSeries;
  /** The sums' compensations (sum, avg). */
  readonly compensations: Float64Array;
  /** Series seen per step (count, avg). */
  readonly counts: Float64Array;
  /** 1 where an average's sum overflowed and `values` holds the running mean (avg). */
  readonly incremental: Uint8Array;
  /** Every step has been seen (sum): set once it is known, never unset. */
  complete: boolean;
}

const UNUSED = new Float64Array(0);
const UNUSED_FLAGS = new Uint8Array(0);

/**
 * `sum`, `avg`, `max`, `min` or `count`, fed its input series one at a time, series by series (not step
 * by step) for memory locality: every group still sees its series in input order at each step, so the
 * floating-point results are Prometheus's. A series is read only while it is added, so a caller may
 * hand over the same arrays again with other values.
 */
export class ValueAggregation {
  private readonly grouper: Grouper;
  private readonly groups: GroupTotals[] = [];
  private readonly output: StepSeriesBlocks;
  private readonly summing: StepSeriesBlocks | null;
  private readonly counting: StepSeriesBlocks | null;

  constructor(
    node: Aggregation,
    private readonly op: ValueOp,
    steps: number,
    scratch: ScratchBlocks,
  ) {
    this.grouper = new Grouper(node);
    this.output = new StepSeriesBlocks(steps, null);
    this.summing = op === 'sum' || op === 'avg' ? new StepSeriesBlocks(steps, scratch, true) : null;
    this.counting = op === 'count' || op === 'avg' ? new StepSeriesBlocks(steps, scratch, true) : null;
  }

  add(series: StepSeries): void {
    const index = this.grouper.groupOf(series.labels);
    const group = this.groups[index] ?? this.newGroup(index);
    switch (this.op) {
      case 'sum':
        addSum(group, series);
        break;
      case 'avg':
        addToAverage(group, series);
        break;
      case 'max':
        keepExtreme(group.series, series, 1);
        break;
      case 'min':
        keepExtreme(group.series, series, -1);
        break;
      case 'count':
        addCount(group.series, group.counts, series);
        break;
    }
  }

  /** The groups' series that have a point, in the order of their first input series. */
  finish(): StepSeries[] {
    for (const group of this.groups) {
      if (this.op === 'sum') addCompensations(group);
      else if (this.op === 'avg') finishAverage(group);
      else if (this.op === 'count') group.series.values.set(group.counts);
    }
    return this.groups.map((group) => group.series).filter(hasAnyPoint);
  }

  private newGroup(index: number): GroupTotals {
    const labels = this.grouper.labels[index] as Labels;
    const summing = this.summing?.empty(labels);
    const group: GroupTotals = {
      series: this.output.empty(labels),
      compensations: summing?.values ?? UNUSED,
      counts: this.counting?.empty(labels).values ?? UNUSED,
      incremental: summing?.present ?? UNUSED_FLAGS,
      complete: false,
    };
    this.groups[index] = group;
    return group;
  }
}

function addCompensations({ series: { values, present }, compensations }: GroupTotals): void {
  for (let step = 0; step < values.length; step++) {
    if (present[step] === 1) values[step] = (values[step] as number) + (compensations[step] as number);
  }
}

function finishAverage({
  series: { values, present },
  compensations,
  counts,
  incremental,
}: GroupTotals): void {
  for (let step = 0; step < values.length; step++) {
    if (present[step] !== 1) continue;
    const value = values[step] as number;
    const compensation = compensations[step] as number;
    const count = counts[step] as number;
    values[step] = incremental[step] === 1 ? value + compensation : value / count + compensation / count;
  }
}

// One loop per operation, over all the steps of one input series: a switch inside the step loop
// would be taken a million times.

/**
 * Adds a series to a group's compensated sums. A series that has every step (a rate() over counters,
 * say) added to a group that has too goes through a loop without the checks for missing points, a
 * third of the time: a sum by (host) of 2,000 such series runs it 2.9 million times.
 */
function addSum(group: GroupTotals, { values, present }: StepSeries): void {
  const { values: totals, present: seen } = group.series;
  const { compensations } = group;
  if (group.complete && present.indexOf(0) < 0) {
    for (let step = 0; step < values.length; step++) {
      kahanAdd(totals, compensations, step, values[step] as number);
    }
    return;
  }
  for (let step = 0; step < values.length; step++) {
    if (present[step] !== 1) continue;
    const increment = values[step] as number;
    if (seen[step] === 1) kahanAdd(totals, compensations, step, increment);
    else {
      seen[step] = 1;
      totals[step] = increment;
    }
  }
  group.complete = seen.indexOf(0) < 0;
}

/** Max (`sign` 1) or min (-1); a NaN so far loses to any number, as in Prometheus. */
function keepExtreme(
  { values: totals, present: seen }: StepSeries,
  { values, present }: StepSeries,
  sign: 1 | -1,
): void {
  for (let step = 0; step < values.length; step++) {
    if (present[step] !== 1) continue;
    const value = values[step] as number;
    const current = totals[step] as number;
    if (seen[step] !== 1) {
      seen[step] = 1;
      totals[step] = value;
    } else if (sign * current < sign * value || Number.isNaN(current)) totals[step] = value;
  }
}

function addCount({ present: seen }: StepSeries, counts: Float64Array, { present }: StepSeries): void {
  for (let step = 0; step < present.length; step++) {
    if (present[step] !== 1) continue;
    seen[step] = 1;
    counts[step] = (counts[step] as number) + 1;
  }
}

function addToAverage(
  { series: { values: totals, present: seen }, compensations, counts, incremental }: GroupTotals,
  { values, present }: StepSeries,
): void {
  for (let step = 0; step < values.length; step++) {
    if (present[step] !== 1) continue;
    const value = values[step] as number;
    const count = (counts[step] as number) + 1;
    counts[step] = count;
    if (seen[step] === 1) addToMean(totals, compensations, incremental, step, value, count);
    else {
      seen[step] = 1;
      totals[step] = value;
    }
  }
}

/**
 * Prometheus's mean: a compensated sum divided at the end, unless the sum would overflow, after which
 * `values` holds the running (incremental) mean instead.
 */
function addToMean(
  values: Float64Array,
  compensations: Float64Array,
  incremental: Uint8Array,
  index: number,
  value: number,
  count: number,
): void {
  if (incremental[index] !== 1) {
    const sum = values[index] ?? 0;
    const compensation = compensations[index] ?? 0;
    kahanAdd(values, compensations, index, value);
    const newSum = values[index] ?? 0;
    if (newSum !== Infinity && newSum !== -Infinity) return;
    incremental[index] = 1;
    values[index] = sum / (count - 1);
    compensations[index] = compensation / (count - 1);
  }
  const keep = (count - 1) / count;
  values[index] = (values[index] ?? 0) * keep;
  compensations[index] = (compensations[index] ?? 0) * keep;
  kahanAdd(values, compensations, index, value / count);
}
