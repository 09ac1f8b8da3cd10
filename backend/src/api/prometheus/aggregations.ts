import type { Aggregation } from './ast.ts';
import { kahanAdd } from './float.ts';
import { emptyStepSeries, hasAnyPoint, type StepGrid, type StepSeries } from './grid.ts';
import { groupSeries, type Grouping } from './grouping.ts';
import { selectK } from './topk.ts';

/**
 * `sum`, `avg`, `max`, `min`, `count`, `topk` and `bottomk` with `by`/`without`, step by step over the
 * grid, with Prometheus's float handling (compensated sums, NaN losing to any number in max/min) and its
 * output order for instant queries.
 */
export function evaluateAggregation(
  node: Aggregation,
  input: StepSeries[],
  param: Float64Array | undefined,
  grid: StepGrid,
): StepSeries[] {
  const grouping = groupSeries(node, input);
  if (node.op === 'topk' || node.op === 'bottomk') {
    return selectK(node.op, input, grouping, param ?? new Float64Array(grid.steps), grid);
  }
  return aggregateValues(node.op, input, grouping, grid);
}

type ValueOp = 'sum' | 'avg' | 'max' | 'min' | 'count';

/**
 * Series by series (not step by step) for memory locality; every group still sees its series in input
 * order at each step, so the floating-point results are Prometheus's. The group's output arrays hold the
 * running value and whether the group has been seen at that step.
 */
function aggregateValues(
  op: ValueOp,
  input: StepSeries[],
  { groupOf, labels }: Grouping,
  grid: StepGrid,
): StepSeries[] {
  const output = labels.map((groupLabels) => emptyStepSeries(groupLabels, grid.steps));
  const compensations = labels.map(() => new Float64Array(grid.steps));
  const counts = labels.map(() => new Float64Array(grid.steps));
  const incremental = labels.map(() => new Uint8Array(grid.steps));

  input.forEach((series, index) => {
    const group = groupOf[index] as number;
    const totals = output[group] as StepSeries;
    const compensation = compensations[group] as Float64Array;
    const count = counts[group] as Float64Array;
    switch (op) {
      case 'sum':
        addSum(totals, compensation, series);
        break;
      case 'avg':
        addToAverage(totals, compensation, count, incremental[group] as Uint8Array, series);
        break;
      case 'max':
        keepExtreme(totals, series, 1);
        break;
      case 'min':
        keepExtreme(totals, series, -1);
        break;
      case 'count':
        addCount(totals, count, series);
        break;
    }
  });

  output.forEach((series, group) =>
    finish(op, series, compensations[group], counts[group], incremental[group]),
  );
  return output.filter(hasAnyPoint);
}

function finish(
  op: ValueOp,
  { values, present }: StepSeries,
  compensations: Float64Array | undefined,
  counts: Float64Array | undefined,
  incremental: Uint8Array | undefined,
): void {
  if (op === 'max' || op === 'min') return;
  for (let step = 0; step < values.length; step++) {
    if (present[step] !== 1) continue;
    const compensation = compensations?.[step] ?? 0;
    const count = counts?.[step] ?? 1;
    const value = values[step] ?? 0;
    if (op === 'sum') values[step] = value + compensation;
    else if (op === 'count') values[step] = count;
    else if (incremental?.[step] === 1) values[step] = value + compensation;
    else values[step] = value / count + compensation / count;
  }
}

// One loop per operation, over all the steps of one input series: a switch inside the step loop
// would be taken a million times.

function addSum(
  { values: totals, present: seen }: StepSeries,
  compensations: Float64Array,
  { values, present }: StepSeries,
): void {
  // kahanAdd written out, its sum and compensation kept in locals: this runs for every point of a query.
  for (let step = 0; step < values.length; step++) {
    if (present[step] !== 1) continue;
    const increment = values[step] as number;
    if (seen[step] !== 1) {
      seen[step] = 1;
      totals[step] = increment;
      continue;
    }
    const sum = totals[step] as number;
    const total = sum + increment;
    let compensation = compensations[step] as number;
    if (total === Infinity || total === -Infinity) compensation = 0;
    else if (Math.abs(sum) >= Math.abs(increment)) compensation += sum - total + increment;
    else compensation += increment - total + sum;
    totals[step] = total;
    compensations[step] = compensation;
  }
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
  { values: totals, present: seen }: StepSeries,
  compensation: Float64Array,
  counts: Float64Array,
  incremental: Uint8Array,
  { values, present }: StepSeries,
): void {
  for (let step = 0; step < values.length; step++) {
    if (present[step] !== 1) continue;
    const value = values[step] as number;
    const count = (counts[step] as number) + 1;
    counts[step] = count;
    if (seen[step] === 1) addToMean(totals, compensation, incremental, step, value, count);
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
