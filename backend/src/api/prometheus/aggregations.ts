import type { Aggregation } from './ast.ts';
import { executionError } from './errors.ts';
import { kahanAdd } from './float.ts';
import { emptyStepSeries, hasAnyPoint, type StepGrid, type StepSeries } from './grid.ts';
import { dropLabels, keepLabels, labelsKey, labelValue, METRIC_NAME, type Labels } from './labels.ts';

/** Which output group each input series belongs to, and each group's labels. */
interface Grouping {
  readonly groupOf: Int32Array;
  readonly labels: Labels[];
}

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

function groupSeries(node: Aggregation, input: StepSeries[]): Grouping {
  const dropped = new Set([...node.grouping, METRIC_NAME]);
  const indexByKey = new Map<string, number>();
  const groupOf = new Int32Array(input.length);
  const labels: Labels[] = [];
  input.forEach((series, index) => {
    const groupLabels = node.without
      ? dropLabels(series.labels, dropped)
      : keepLabels(series.labels, node.grouping);
    const key = node.without
      ? labelsKey(groupLabels)
      : JSON.stringify(node.grouping.map((name) => labelValue(series.labels, name)));
    let group = indexByKey.get(key);
    if (group === undefined) {
      group = labels.length;
      indexByKey.set(key, group);
      labels.push(groupLabels);
    }
    groupOf[index] = group;
  });
  return { groupOf, labels };
}

function aggregateValues(
  op: 'sum' | 'avg' | 'max' | 'min' | 'count',
  input: StepSeries[],
  { groupOf, labels }: Grouping,
  grid: StepGrid,
): StepSeries[] {
  const groups = labels.length;
  const output = labels.map((groupLabels) => emptyStepSeries(groupLabels, grid.steps));
  const seen = new Uint8Array(groups);
  const values = new Float64Array(groups);
  const compensations = new Float64Array(groups);
  const counts = new Float64Array(groups);
  const incremental = new Uint8Array(groups);

  for (let step = 0; step < grid.steps; step++) {
    seen.fill(0);
    for (let index = 0; index < input.length; index++) {
      const series = input[index] as StepSeries;
      if (series.present[step] !== 1) continue;
      const value = series.values[step] ?? 0;
      const group = groupOf[index] ?? 0;
      if (seen[group] !== 1) {
        seen[group] = 1;
        values[group] = value;
        compensations[group] = 0;
        counts[group] = 1;
        incremental[group] = 0;
        continue;
      }
      counts[group] = (counts[group] ?? 0) + 1;
      const current = values[group] ?? 0;
      switch (op) {
        case 'sum':
          kahanAdd(values, compensations, group, value);
          break;
        case 'avg':
          addToMean(values, compensations, incremental, group, value, counts[group] ?? 1);
          break;
        case 'max':
          if (current < value || Number.isNaN(current)) values[group] = value;
          break;
        case 'min':
          if (current > value || Number.isNaN(current)) values[group] = value;
          break;
        case 'count':
          break;
      }
    }
    for (let group = 0; group < groups; group++) {
      if (seen[group] !== 1) continue;
      const target = output[group] as StepSeries;
      target.present[step] = 1;
      target.values[step] = finalValue(
        op,
        values[group] ?? 0,
        compensations[group] ?? 0,
        counts[group] ?? 1,
        incremental[group] === 1,
      );
    }
  }
  return output.filter(hasAnyPoint);
}

/**
 * Prometheus's mean: a compensated sum divided at the end, unless the sum would overflow, after which
 * `values` holds the running (incremental) mean instead.
 */
function addToMean(
  values: Float64Array,
  compensations: Float64Array,
  incremental: Uint8Array,
  group: number,
  value: number,
  count: number,
): void {
  if (incremental[group] !== 1) {
    const sum = values[group] ?? 0;
    const compensation = compensations[group] ?? 0;
    kahanAdd(values, compensations, group, value);
    const newSum = values[group] ?? 0;
    if (newSum !== Infinity && newSum !== -Infinity) return;
    incremental[group] = 1;
    values[group] = sum / (count - 1);
    compensations[group] = compensation / (count - 1);
  }
  const keep = (count - 1) / count;
  values[group] = (values[group] ?? 0) * keep;
  compensations[group] = (compensations[group] ?? 0) * keep;
  kahanAdd(values, compensations, group, value / count);
}

function finalValue(
  op: 'sum' | 'avg' | 'max' | 'min' | 'count',
  value: number,
  compensation: number,
  count: number,
  incremental: boolean,
): number {
  switch (op) {
    case 'sum':
      return value + compensation;
    case 'avg':
      return incremental ? value + compensation : value / count + compensation / count;
    case 'count':
      return count;
    default:
      return value;
  }
}

const MAX_INT64 = 2 ** 63;

/**
 * topk/bottomk: per step and group, the k series with the largest (smallest) values, NaN ranking last,
 * chosen with the same heap as Prometheus so that ties go the same way. Output series keep all their
 * labels. For a single step the output is in Prometheus's order: group by group, best first.
 */
function selectK(
  op: 'topk' | 'bottomk',
  input: StepSeries[],
  { groupOf, labels }: Grouping,
  param: Float64Array,
  grid: StepGrid,
): StepSeries[] {
  let largestK = -Infinity;
  for (const k of param) {
    if (Number.isNaN(k)) throw executionError('Parameter value is NaN');
    largestK = Math.max(largestK, k);
  }
  if (largestK < 1) return [];
  for (const k of param) {
    if (k <= -MAX_INT64) throw executionError(`Scalar value ${goFloat(k)} underflows int64`);
    if (k >= MAX_INT64) throw executionError(`Scalar value ${goFloat(k)} overflows int64`);
  }

  const worseThan = op === 'topk' ? (a: number, b: number) => a < b : (a: number, b: number) => a > b;
  const ranksBelow = (a: number, b: number) => Number.isNaN(a) || worseThan(a, b);
  const heaps: number[][] = labels.map(() => []);
  const output: (StepSeries | undefined)[] = new Array(input.length);
  const orderedForInstant: StepSeries[] = [];

  for (let step = 0; step < grid.steps; step++) {
    const k = Math.min(Math.trunc(param[step] ?? 0), input.length);
    if (k < 1) continue;
    for (const heap of heaps) heap.length = 0;
    const valueOf = (index: number) => (input[index] as StepSeries).values[step] ?? 0;
    const less = (heap: number[], i: number, j: number) =>
      ranksBelow(valueOf(heap[i] ?? 0), valueOf(heap[j] ?? 0));
    for (let index = 0; index < input.length; index++) {
      if ((input[index] as StepSeries).present[step] !== 1) continue;
      const heap = heaps[groupOf[index] ?? 0] as number[];
      if (heap.length < k) {
        heap.push(index);
        siftUp(heap, heap.length - 1, less);
        continue;
      }
      const weakest = valueOf(heap[0] ?? 0);
      const value = valueOf(index);
      if (worseThan(weakest, value) || (Number.isNaN(weakest) && !Number.isNaN(value))) {
        heap[0] = index;
        if (k > 1) siftDown(heap, 0, less);
      }
    }
    for (const heap of heaps) {
      sortBestFirst(heap, less);
      for (const index of heap) {
        const source = input[index] as StepSeries;
        let target = output[index];
        if (!target) {
          target = emptyStepSeries(source.labels, grid.steps);
          output[index] = target;
        }
        target.present[step] = 1;
        target.values[step] = source.values[step] ?? 0;
        if (grid.steps === 1) orderedForInstant.push(target);
      }
    }
  }
  if (grid.steps === 1) return orderedForInstant;
  return output.filter((series): series is StepSeries => series !== undefined);
}

/** Go's `%v` of a float beyond int64, which is always written with an exponent. */
function goFloat(value: number): string {
  if (value === Infinity) return '+Inf';
  if (value === -Infinity) return '-Inf';
  return value.toExponential();
}

type HeapLess = (heap: number[], i: number, j: number) => boolean;

/** Go's container/heap `up`. */
function siftUp(heap: number[], start: number, less: HeapLess): void {
  let child = start;
  while (child > 0) {
    const parent = Math.trunc((child - 1) / 2);
    if (!less(heap, child, parent)) break;
    swap(heap, parent, child);
    child = parent;
  }
}

/** Go's container/heap `down`. */
function siftDown(heap: number[], start: number, less: HeapLess): void {
  let parent = start;
  for (;;) {
    const left = 2 * parent + 1;
    if (left >= heap.length) break;
    let child = left;
    if (left + 1 < heap.length && less(heap, left + 1, left)) child = left + 1;
    if (!less(heap, child, parent)) break;
    swap(heap, parent, child);
    parent = child;
  }
}

/**
 * `sort.Sort(sort.Reverse(heap))` in Go, which for the small k of dashboards is an insertion sort; doing
 * the same keeps equal values in Prometheus's order.
 */
function sortBestFirst(heap: number[], less: HeapLess): void {
  for (let i = 1; i < heap.length; i++) {
    for (let j = i; j > 0 && less(heap, j - 1, j); j--) swap(heap, j, j - 1);
  }
}

function swap(heap: number[], i: number, j: number): void {
  const held = heap[i] ?? 0;
  heap[i] = heap[j] ?? 0;
  heap[j] = held;
}
