import { isComparison, type BinaryExpr, type BinaryOp } from './ast.ts';
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
    const values = new Float64Array(grid.steps);
    for (let step = 0; step < grid.steps; step++) {
      values[step] = scalarOperation(node.op, lhs.values[step] ?? 0, rhs.values[step] ?? 0);
    }
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

/** The result of `lhs op rhs` and whether a comparison holds (arithmetic always "keeps"). */
interface Outcome {
  value: number;
  keep: boolean;
}

const outcome: Outcome = { value: 0, keep: true };

/** Prometheus's `vectorElemBinop`: comparisons keep the left value when they hold. */
function elementOperation(op: BinaryOp, lhs: number, rhs: number): Outcome {
  outcome.keep = true;
  switch (op) {
    case '+':
      outcome.value = lhs + rhs;
      break;
    case '-':
      outcome.value = lhs - rhs;
      break;
    case '*':
      outcome.value = lhs * rhs;
      break;
    case '/':
      outcome.value = lhs / rhs;
      break;
    case '%':
      outcome.value = lhs % rhs;
      break;
    case '^':
      outcome.value = goPow(lhs, rhs);
      break;
    case 'atan2':
      outcome.value = Math.atan2(lhs, rhs);
      break;
    case '==':
      outcome.value = lhs;
      outcome.keep = lhs === rhs;
      break;
    case '!=':
      outcome.value = lhs;
      outcome.keep = lhs !== rhs;
      break;
    case '>':
      outcome.value = lhs;
      outcome.keep = lhs > rhs;
      break;
    case '<':
      outcome.value = lhs;
      outcome.keep = lhs < rhs;
      break;
    case '>=':
      outcome.value = lhs;
      outcome.keep = lhs >= rhs;
      break;
    case '<=':
      outcome.value = lhs;
      outcome.keep = lhs <= rhs;
      break;
  }
  return outcome;
}

function scalarOperation(op: BinaryOp, lhs: number, rhs: number): number {
  const { value, keep } = elementOperation(op, lhs, rhs);
  if (isComparison(op)) return keep ? 1 : 0;
  return value;
}

/** Arithmetic and `bool` comparisons change what the value means, so the metric name goes. */
function dropsMetricName(node: BinaryExpr): boolean {
  return !isComparison(node.op) || node.returnBool;
}

function vectorScalar(
  node: BinaryExpr,
  vector: StepSeries[],
  scalar: Float64Array,
  scalarOnLeft: boolean,
): StepSeries[] {
  const dropName = dropsMetricName(node);
  const comparison = isComparison(node.op);
  const result: StepSeries[] = [];
  for (const series of vector) {
    const output = emptyStepSeries(
      dropName ? withoutMetricName(series.labels) : series.labels,
      series.values.length,
    );
    for (let step = 0; step < series.values.length; step++) {
      if (series.present[step] !== 1) continue;
      const vectorValue = series.values[step] ?? 0;
      const scalarValue = scalar[step] ?? 0;
      const { value, keep } = scalarOnLeft
        ? elementOperation(node.op, scalarValue, vectorValue)
        : elementOperation(node.op, vectorValue, scalarValue);
      if (node.returnBool) {
        output.values[step] = keep ? 1 : 0;
      } else if (keep) {
        // A filtering comparison always yields the vector's own value, whichever side it is on.
        output.values[step] = comparison ? vectorValue : value;
      } else {
        continue;
      }
      output.present[step] = 1;
    }
    if (hasAnyPoint(output)) result.push(output);
  }
  return dropName ? mergeSameLabelsets(result) : result;
}

/**
 * One-to-one matching: a left series pairs with the right series whose labels agree on the `on` labels
 * (or on all but the `ignoring` labels and the metric name). At every step the right side must be unique
 * per match group and each group may match once, else Prometheus's errors.
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
  const lhsOrdinals = Int32Array.from(lhs, ordinalOf);
  const rhsByOrdinal = new Map<number, StepSeries[]>();
  for (const series of rhs) {
    const ordinal = ordinalOf(series);
    const group = rhsByOrdinal.get(ordinal);
    if (group) group.push(series);
    else rhsByOrdinal.set(ordinal, [series]);
  }

  const lhsPresent = anyPresent(lhs, grid.steps);
  const rhsPresent = anyPresent(rhs, grid.steps);
  for (const group of rhsByOrdinal.values()) {
    if (group.length > 1) rejectDuplicates(node, group, lhsPresent);
  }

  const resultLabels = (labels: Labels) => {
    let result = !isComparison(node.op) ? withoutMetricName(labels) : labels;
    result = node.matching.on
      ? keepLabels(result, node.matching.labels)
      : dropLabels(result, new Set(node.matching.labels));
    return node.returnBool ? withoutMetricName(result) : result;
  };
  const partners = Array.from(lhsOrdinals, (ordinal) => rhsByOrdinal.get(ordinal));
  const outputs: (StepSeries | undefined)[] = new Array(lhs.length);
  const matchedAtStep = new Int32Array(ordinals.size).fill(-1);

  for (let step = 0; step < grid.steps; step++) {
    if (lhsPresent[step] !== 1 || rhsPresent[step] !== 1) continue;
    for (let index = 0; index < lhs.length; index++) {
      const left = lhs[index] as StepSeries;
      if (left.present[step] !== 1) continue;
      const right = presentAt(partners[index], step);
      if (!right) continue;
      const ordinal = lhsOrdinals[index] ?? 0;
      const { value, keep } = elementOperation(node.op, left.values[step] ?? 0, right.values[step] ?? 0);
      if (matchedAtStep[ordinal] === step) {
        throw executionError(
          'multiple matches for labels: many-to-one matching must be explicit (group_left/group_right)',
        );
      }
      matchedAtStep[ordinal] = step;
      if (!keep && !node.returnBool) continue;
      let output = outputs[index];
      if (!output) {
        output = emptyStepSeries(resultLabels(left.labels), grid.steps);
        outputs[index] = output;
      }
      output.present[step] = 1;
      output.values[step] = node.returnBool ? (keep ? 1 : 0) : value;
    }
  }
  return mergeSameLabelsets(outputs.filter((series): series is StepSeries => series !== undefined));
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
