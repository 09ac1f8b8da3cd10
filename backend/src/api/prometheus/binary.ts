import { isComparison, type ArithmeticOp, type BinaryExpr, type ComparisonOp } from './ast.ts';
import { executionError } from './errors.ts';
import { goPow } from './float.ts';
import {
  emptyStepSeries,
  hasAnyPoint,
  mergeSameLabelsets,
  type StepGrid,
  type StepSeries,
  type StepValue,
} from './grid.ts';
import {
  dropLabels,
  formatLabels,
  keepLabels,
  labelsKey,
  METRIC_NAME,
  withoutMetricName,
  type Labels,
} from './labels.ts';

/** Binary operators between scalars and instant vectors, with Prometheus's one-to-one vector matching. */
export function evaluateBinary(node: BinaryExpr, lhs: StepValue, rhs: StepValue, grid: StepGrid): StepValue {
  if (lhs.type === 'scalar' && rhs.type === 'scalar') {
    const operation = elementOperation(node);
    const values = lhs.values.map((left, step) => operation(left, rhs.values[step] ?? 0) ?? NaN);
    return { type: 'scalar', values };
  }
  if (lhs.type === 'vector' && rhs.type === 'scalar') {
    return { type: 'vector', series: vectorScalar(node, lhs.series, rhs.values, false) };
  }
  if (lhs.type === 'scalar' && rhs.type === 'vector') {
    return { type: 'vector', series: vectorScalar(node, rhs.series, lhs.values, true) };
  }
  if (lhs.type === 'vector' && rhs.type === 'vector') {
    return { type: 'vector', series: vectorVector(node, lhs.series, rhs.series, grid) };
  }
  throw executionError('binary expression must contain only scalar and instant vector types');
}

const ARITHMETIC: Readonly<Record<ArithmeticOp, (lhs: number, rhs: number) => number>> = {
  '+': (lhs, rhs) => lhs + rhs,
  '-': (lhs, rhs) => lhs - rhs,
  '*': (lhs, rhs) => lhs * rhs,
  '/': (lhs, rhs) => lhs / rhs,
  '%': (lhs, rhs) => lhs % rhs,
  '^': goPow,
  atan2: Math.atan2,
};

const COMPARISON: Readonly<Record<ComparisonOp, (lhs: number, rhs: number) => boolean>> = {
  '==': (lhs, rhs) => lhs === rhs,
  '!=': (lhs, rhs) => lhs !== rhs,
  '>': (lhs, rhs) => lhs > rhs,
  '<': (lhs, rhs) => lhs < rhs,
  '>=': (lhs, rhs) => lhs >= rhs,
  '<=': (lhs, rhs) => lhs <= rhs,
};

/**
 * Prometheus's `vectorElemBinop` as a function giving the output value or `undefined` when a filtering
 * comparison drops the element: arithmetic yields the result, a comparison the left value, `bool` 1 or 0.
 */
function elementOperation(node: BinaryExpr): (lhs: number, rhs: number) => number | undefined {
  const { op, returnBool } = node;
  if (!isComparison(op)) return ARITHMETIC[op];
  const holds = COMPARISON[op];
  if (returnBool) return (lhs, rhs) => (holds(lhs, rhs) ? 1 : 0);
  return (lhs, rhs) => (holds(lhs, rhs) ? lhs : undefined);
}

/**
 * A vector and a scalar, step by step. The vector's series are rewritten in place (every value the
 * evaluator makes is read by one parent only): a new pair of arrays per series cost more than the
 * arithmetic. Filtering comparisons, a dashboard's usual threshold, take a loop of their own.
 */
function vectorScalar(
  node: BinaryExpr,
  vector: StepSeries[],
  scalar: Float64Array,
  scalarOnLeft: boolean,
): StepSeries[] {
  if (isComparison(node.op) && !node.returnBool) {
    const test = FILTER_TEST[scalarOnLeft ? MIRRORED[node.op] : node.op];
    return vector.filter(({ values, present }) => keepWhere(values, present, scalar, test));
  }
  const operation = elementOperation(node);
  const result: StepSeries[] = [];
  for (const { labels, values, present } of vector) {
    for (let step = 0; step < values.length; step++) {
      if (present[step] !== 1) continue;
      const vectorValue = values[step] ?? 0;
      const scalarValue = scalar[step] ?? 0;
      values[step] =
        (scalarOnLeft ? operation(scalarValue, vectorValue) : operation(vectorValue, scalarValue)) ?? NaN;
    }
    // Arithmetic and `bool` comparisons change what the value means, so the metric name goes.
    if (hasAnyPoint({ labels, values, present }))
      result.push({ labels: withoutMetricName(labels), values, present });
  }
  return mergeSameLabelsets(result);
}

/** `scalar op vector` is `vector op' scalar`. */
const MIRRORED: Readonly<Record<ComparisonOp, ComparisonOp>> = {
  '==': '==',
  '!=': '!=',
  '>': '<',
  '<': '>',
  '>=': '<=',
  '<=': '>=',
};

const FILTER_TEST: Readonly<Record<ComparisonOp, number>> = {
  '==': 0,
  '!=': 1,
  '>': 2,
  '<': 3,
  '>=': 4,
  '<=': 5,
};

/** Clears `present` where `value test scalar` fails (a switch on a number, not a call per step); false when no step is left. */
function keepWhere(values: Float64Array, present: Uint8Array, scalar: Float64Array, test: number): boolean {
  let any = false;
  for (let step = 0; step < values.length; step++) {
    if (present[step] !== 1) continue;
    const value = values[step] as number;
    const bound = scalar[step] as number;
    let holds: boolean;
    switch (test) {
      case 0:
        holds = value === bound;
        break;
      case 1:
        holds = value !== bound;
        break;
      case 2:
        holds = value > bound;
        break;
      case 3:
        holds = value < bound;
        break;
      case 4:
        holds = value >= bound;
        break;
      default:
        holds = value <= bound;
    }
    if (holds) any = true;
    else present[step] = 0;
  }
  return any;
}

/**
 * One-to-one matching: a left series pairs with the right series whose labels agree on the `on` labels
 * (or on all but the `ignoring` labels and the metric name). At every step the right side must be unique
 * per match group and each group may match once, else Prometheus's errors. Those are checked first, so
 * that the arithmetic can then run series by series.
 */
function vectorVector(node: BinaryExpr, lhs: StepSeries[], rhs: StepSeries[], grid: StepGrid): StepSeries[] {
  const signature = signatureFunction(node);
  const ordinals = new Map<string, number>();
  const ordinalOf = (series: StepSeries) => {
    const key = signature(series.labels);
    let ordinal = ordinals.get(key);
    if (ordinal === undefined) {
      ordinal = ordinals.size;
      ordinals.set(key, ordinal);
    }
    return ordinal;
  };
  const lhsByOrdinal = groupBy(lhs, ordinalOf);
  const rhsByOrdinal = groupBy(rhs, ordinalOf);
  let lhsPresent: Uint8Array | undefined;
  for (const [ordinal, group] of rhsByOrdinal) {
    if (group.length > 1) rejectDuplicates(node, group, (lhsPresent ??= anyPresent(lhs, grid.steps)));
    const matching = lhsByOrdinal.get(ordinal);
    if (matching && matching.length > 1) rejectMultipleMatches(matching, group, grid.steps);
  }

  const resultLabels = (labels: Labels) => {
    let result = !isComparison(node.op) ? withoutMetricName(labels) : labels;
    result = node.matching.on
      ? keepLabels(result, node.matching.labels)
      : dropLabels(result, new Set(node.matching.labels));
    return node.returnBool ? withoutMetricName(result) : result;
  };
  const operation = elementOperation(node);
  const result: StepSeries[] = [];
  for (const left of lhs) {
    const partners = rhsByOrdinal.get(ordinalOf(left));
    if (!partners) continue;
    const output = emptyStepSeries(resultLabels(left.labels), grid.steps);
    for (let step = 0; step < grid.steps; step++) {
      if (left.present[step] !== 1) continue;
      const right = presentAt(partners, step);
      if (!right) continue;
      const value = operation(left.values[step] ?? 0, right.values[step] ?? 0);
      if (value === undefined) continue;
      output.present[step] = 1;
      output.values[step] = value;
    }
    if (hasAnyPoint(output)) result.push(output);
  }
  return mergeSameLabelsets(result);
}

function groupBy(vector: StepSeries[], ordinalOf: (series: StepSeries) => number): Map<number, StepSeries[]> {
  const groups = new Map<number, StepSeries[]>();
  for (const series of vector) {
    const ordinal = ordinalOf(series);
    const group = groups.get(ordinal);
    if (group) group.push(series);
    else groups.set(ordinal, [series]);
  }
  return groups;
}

function presentAt(candidates: StepSeries[] | undefined, step: number): StepSeries | undefined {
  if (!candidates) return undefined;
  for (const candidate of candidates) if (candidate.present[step] === 1) return candidate;
  return undefined;
}

function signatureFunction(node: BinaryExpr): (labels: Labels) => string {
  if (node.matching.on) {
    const names = [...node.matching.labels].sort();
    return (labels) => labelsKey(keepLabels(labels, names));
  }
  const ignored = new Set([METRIC_NAME, ...node.matching.labels]);
  return (labels) => labelsKey(dropLabels(labels, ignored));
}

function rejectMultipleMatches(lefts: StepSeries[], rights: StepSeries[], steps: number): void {
  for (let step = 0; step < steps; step++) {
    if (!presentAt(rights, step)) continue;
    if (lefts.filter((left) => left.present[step] === 1).length > 1) {
      throw executionError(
        'multiple matches for labels: many-to-one matching must be explicit (group_left/group_right)',
      );
    }
  }
}

function anyPresent(vector: StepSeries[], steps: number): Uint8Array {
  const present = new Uint8Array(steps);
  for (const series of vector) {
    for (let step = 0; step < steps; step++) if (series.present[step] === 1) present[step] = 1;
  }
  return present;
}

function rejectDuplicates(node: BinaryExpr, group: StepSeries[], lhsPresent: Uint8Array): void {
  for (let step = 0; step < lhsPresent.length; step++) {
    if (lhsPresent[step] !== 1) continue;
    const present = group.filter((series) => series.present[step] === 1);
    if (present.length < 2) continue;
    const [first, second] = present as [StepSeries, StepSeries];
    const matchGroup = node.matching.on
      ? keepLabels(second.labels, node.matching.labels)
      : dropLabels(second.labels, new Set([METRIC_NAME, ...node.matching.labels]));
    throw executionError(
      `found duplicate series for the match group ${formatLabels(matchGroup)} on the right hand-side of the operation: ` +
        `[${formatLabels(second.labels)}, ${formatLabels(first.labels)}];` +
        'many-to-many matching not allowed: matching labels must be unique on one side',
    );
  }
}
