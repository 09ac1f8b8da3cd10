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
    const group = groupOf[index] ?? 0;
    const { values: totals, present: seen } = output[group] as StepSeries;
    const { values, present } = series;
    const compensation = compensations[group] ?? new Float64Array(0);
    const count = counts[group] ?? new Float64Array(0);
    const overflowed = incremental[group] ?? new Uint8Array(0);
    for (let step = 0; step < values.length; step++) {
      if (present[step] !== 1) continue;
      const value = values[step] ?? 0;
      if (seen[step] !== 1) {
        seen[step] = 1;
        totals[step] = value;
        count[step] = 1;
        continue;
      }
      switch (op) {
        case 'sum':
          kahanAdd(totals, compensation, step, value);
          break;
        case 'avg':
          count[step] = (count[step] ?? 0) + 1;
          addToMean(totals, compensation, overflowed, step, value, count[step] ?? 1);
          break;
        case 'max': {
          const current = totals[step] ?? 0;
          if (current < value || Number.isNaN(current)) totals[step] = value;
          break;
        }
        case 'min': {
          const current = totals[step] ?? 0;
          if (current > value || Number.isNaN(current)) totals[step] = value;
          break;
        }
        case 'count':
          count[step] = (count[step] ?? 0) + 1;
          break;
      }
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
