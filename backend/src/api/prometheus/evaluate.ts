import { evaluateAggregation, isValueOp, ValueAggregation } from './aggregations.ts';
import {
  describeType,
  unwrapParens,
  valueTypeOf,
  type Aggregation,
  type Expr,
  type MatrixSelector,
  type VectorSelector,
} from './ast.ts';
import { evaluateBinary } from './binary.ts';
import { badData } from './errors.ts';
import { evaluateRangeFunction, visitRangeFunction } from './functions.ts';
import {
  mergeSameLabelsets,
  ScratchBlocks,
  stepTimeMs,
  type StepGrid,
  type StepSeries,
  type StepValue,
} from './grid.ts';
import { METRIC_NAME, sortByLabels, withoutMetricName } from './labels.ts';
import { parsePromQL } from './parse.ts';
import type { MatrixResult, QueryResult, ResultSeries } from './results.ts';
import {
  convertSelected,
  evaluateVectorSelector,
  evaluateWrittenSelector,
  withoutStaleMarkers,
  type WrittenStepSeries,
} from './selectors.ts';
import type { SeriesSource } from './series-source.ts';

export const DEFAULT_LOOKBACK_DELTA_MS = 5 * 60_000;

/** Prometheus's limit on the points per series of a range query (checked by its HTTP API). */
export const MAX_POINTS_PER_SERIES = 11_000;

export interface QueryOptions {
  /** How far back an instant vector selector looks for a sample; 5 minutes unless given and positive. */
  readonly lookbackDeltaMs?: number | undefined;
}

/** `/api/v1/query`: evaluates `query` at `timeMs`. Throws `PromQLError` (bad_data or execution). */
export function instantQuery(
  source: SeriesSource,
  query: string | Expr,
  timeMs: number,
  options: QueryOptions = {},
): QueryResult {
  const expr = typeof query === 'string' ? parsePromQL(query) : query;
  const lookbackMs = lookbackDelta(options);
  const rawRange = unwrapParens(expr);
  if (rawRange.kind === 'matrixSelector') {
    return { resultType: 'matrix', series: rangeSelectorSamples(source, rawRange, timeMs) };
  }
  const grid: StepGrid = { startMs: timeMs, stepMs: 1, steps: 1 };
  const value = new Evaluator(source, grid, lookbackMs).evaluate(expr);
  switch (value.type) {
    case 'scalar':
      return { resultType: 'scalar', timeMs, value: value.values[0] ?? 0 };
    case 'string':
      return { resultType: 'string', timeMs, value: value.value };
    case 'vector':
      return {
        resultType: 'vector',
        timeMs,
        samples: value.series.map((series) => ({ labels: series.labels, value: series.values[0] ?? 0 })),
      };
  }
}

/**
 * `/api/v1/query_range`: evaluates `query` at startMs, startMs + stepMs, ... up to endMs (no alignment:
 * Grafana aligns start and end to the step itself). Series come back sorted by labels, as in Prometheus.
 */
export function rangeQuery(
  source: SeriesSource,
  query: string | Expr,
  startMs: number,
  endMs: number,
  stepMs: number,
  options: QueryOptions = {},
): MatrixResult {
  return evaluateRange(source, query, startMs, endMs, stepMs, options, null);
}

/**
 * rangeQuery for a caller that is done with the result when `use` returns (a handler writing the
 * response body): the result's arrays are lent from memory that later queries reuse, rather than fresh
 * memory (13 MB for a day of 1,000 series) that the system zeroes and the garbage collector then chases.
 */
export function withRangeQuery<T>(
  source: SeriesSource,
  query: string | Expr,
  startMs: number,
  endMs: number,
  stepMs: number,
  options: QueryOptions,
  use: (result: MatrixResult) => T,
): T {
  const mark = SCRATCH.mark();
  try {
    return use(evaluateRange(source, query, startMs, endMs, stepMs, options, SCRATCH));
  } finally {
    SCRATCH.release(mark);
  }
}

function evaluateRange(
  source: SeriesSource,
  query: string | Expr,
  startMs: number,
  endMs: number,
  stepMs: number,
  options: QueryOptions,
  scratch: ScratchBlocks | null,
): MatrixResult {
  if (endMs < startMs) throw badData('end timestamp must not be before start time');
  if (!(stepMs > 0)) {
    throw badData('zero or negative query resolution step widths are not accepted. Try a positive integer');
  }
  if (Math.floor((endMs - startMs) / stepMs) > MAX_POINTS_PER_SERIES) {
    throw badData(
      'exceeded maximum resolution of 11,000 points per timeseries. Try decreasing the query resolution (?step=XX)',
    );
  }
  const expr = typeof query === 'string' ? parsePromQL(query) : query;
  const type = valueTypeOf(expr);
  if (type !== 'scalar' && type !== 'vector') {
    throw badData(
      `invalid expression type ${JSON.stringify(describeType(type))} for range query, must be Scalar or instant Vector`,
    );
  }
  const grid: StepGrid = { startMs, stepMs, steps: Math.floor((endMs - startMs) / stepMs) + 1 };
  const lookbackMs = lookbackDelta(options);
  const whole = unwrapParens(expr);
  const value: StepValue =
    whole.kind === 'vectorSelector'
      ? { type: 'vector', series: evaluateWrittenSelector(source, whole, grid, lookbackMs, scratch) }
      : new Evaluator(source, grid, lookbackMs, scratch).evaluate(expr);
  const timestamps = Float64Array.from({ length: grid.steps }, (_, step) => stepTimeMs(grid, step));
  if (value.type === 'scalar') {
    return { resultType: 'matrix', series: [{ labels: {}, timestamps, values: value.values }] };
  }
  if (value.type === 'string') throw badData('invalid expression type "string" for range query');
  const series = value.series.map((stepSeries) => compactSeries(stepSeries, timestamps));
  return {
    resultType: 'matrix',
    series: sortByLabels(series.filter((s) => s.timestamps.length > 0)),
  };
}

/** Shared by every evaluation: they run one at a time, and each releases what it took. */
const SCRATCH = new ScratchBlocks();

class Evaluator {
  private readonly source: SeriesSource;
  private readonly grid: StepGrid;
  private readonly lookbackMs: number;
  /**
   * Set while evaluating an aggregation's argument: every series made there is read by the
   * aggregation (or by a node under it that writes new arrays) and dropped, so selections take
   * their arrays from SCRATCH.
   */
  private scratch: ScratchBlocks | null;

  /** With `scratch`, the result's series too are cut from it (see withRangeQuery). */
  constructor(
    source: SeriesSource,
    grid: StepGrid,
    lookbackMs: number,
    scratch: ScratchBlocks | null = null,
  ) {
    this.source = source;
    this.grid = grid;
    this.lookbackMs = lookbackMs;
    this.scratch = scratch;
  }

  evaluate(expr: Expr): StepValue {
    switch (expr.kind) {
      case 'number':
        return { type: 'scalar', values: new Float64Array(this.grid.steps).fill(expr.value) };
      case 'string':
        return { type: 'string', value: expr.value };
      case 'paren':
        return this.evaluate(expr.expr);
      case 'unary':
        return expr.op === '+' ? this.evaluate(expr.expr) : negate(this.evaluate(expr.expr));
      case 'vectorSelector':
        return {
          type: 'vector',
          series: evaluateVectorSelector(this.source, expr, this.grid, this.lookbackMs, this.scratch),
        };
      case 'matrixSelector':
        throw badData('a range vector can only be the argument of a function');
      case 'call':
        return {
          type: 'vector',
          series: evaluateRangeFunction(this.source, expr, this.grid, this.scratch),
        };
      case 'aggregation': {
        const param = expr.param ? this.scalar(expr.param) : undefined;
        const outer = this.scratch;
        const mark = SCRATCH.mark();
        this.scratch = SCRATCH;
        try {
          const fused = this.aggregateAsSelected(expr);
          if (fused !== null) return { type: 'vector', series: fused };
          const input = this.vector(expr.expr);
          return { type: 'vector', series: evaluateAggregation(expr, input, param, this.grid, SCRATCH) };
        } finally {
          this.scratch = outer;
          SCRATCH.release(mark);
        }
      }
      case 'binary':
        return evaluateBinary(expr, this.evaluate(expr.lhs), this.evaluate(expr.rhs), this.grid);
    }
  }

  /**
   * `sum`, `avg`, `max`, `min` or `count` of a function of one metric's range selection, each series
   * added as soon as the function has its steps (see visitRangeFunction); null when the expression is
   * not one of these, or the source's order is not the one the aggregation must add the series in.
   */
  private aggregateAsSelected(node: Aggregation): StepSeries[] | null {
    const call = unwrapParens(node.expr);
    if (!isValueOp(node.op) || call.kind !== 'call' || !namesOneMetric(call.arg.selector)) return null;
    const aggregation = new ValueAggregation(node, node.op, this.grid.steps, SCRATCH);
    const ordered = visitRangeFunction(this.source, call, this.grid, (series) => aggregation.add(series));
    return ordered ? aggregation.finish() : null;
  }

  private scalar(expr: Expr): Float64Array {
    const value = this.evaluate(expr);
    if (value.type !== 'scalar') throw badData(`expected a scalar, got ${value.type}`);
    return value.values;
  }

  private vector(expr: Expr): StepSeries[] {
    const value = this.evaluate(expr);
    if (value.type !== 'vector') throw badData(`expected an instant vector, got ${value.type}`);
    return value.series;
  }
}

/** Unary minus: `-x` is `0 - x`, so a vector loses its metric name. */
function negate(value: StepValue): StepValue {
  switch (value.type) {
    case 'scalar':
      return { type: 'scalar', values: value.values.map((v) => -v) };
    case 'vector':
      return {
        type: 'vector',
        series: mergeSameLabelsets(
          value.series.map((series) => ({
            labels: withoutMetricName(series.labels),
            values: series.values.map((v) => -v),
            present: series.present,
          })),
        ),
      };
    case 'string':
      throw badData('unary minus on a string');
  }
}

/** An instant query for `foo[5m]`: the raw samples in (t - offset - range, t - offset], metric name kept. */
function rangeSelectorSamples(source: SeriesSource, matrix: MatrixSelector, timeMs: number): ResultSeries[] {
  const lastMs = timeMs - matrix.selector.offsetMs;
  const firstMs = lastMs - matrix.rangeMs;
  return convertSelected(source, matrix.selector, firstMs, lastMs, 1, (stored) => {
    const { timestamps, values } = withoutStaleMarkers(stored);
    let from = 0;
    while (from < timestamps.length && (timestamps[from] ?? 0) <= firstMs) from++;
    let to = from;
    while (to < timestamps.length && (timestamps[to] ?? 0) <= lastMs) to++;
    if (to === from) return null;
    return { labels: stored.labels, timestamps: timestamps.slice(from, to), values: values.slice(from, to) };
  });
}

function namesOneMetric({ matchers }: VectorSelector): boolean {
  return matchers.some(({ name, type }) => name === METRIC_NAME && type === '=');
}

function lookbackDelta(options: QueryOptions): number {
  const given = options.lookbackDeltaMs;
  return given !== undefined && given > 0 ? given : DEFAULT_LOOKBACK_DELTA_MS;
}

function compactSeries(series: WrittenStepSeries, timestamps: Float64Array): ResultSeries {
  const { labels, values, present, text } = series;
  let points = 0;
  for (let step = 0; step < present.length; step++) points += present[step] ?? 0;
  if (points === present.length) return { labels, timestamps, values, ...(text && { text }) };
  const keptTimestamps = new Float64Array(points);
  const keptValues = new Float64Array(points);
  const keptSamples = text && new Int32Array(points);
  let kept = 0;
  for (let step = 0; step < present.length; step++) {
    if (present[step] !== 1) continue;
    keptTimestamps[kept] = timestamps[step] ?? 0;
    keptValues[kept] = values[step] ?? 0;
    if (keptSamples) keptSamples[kept] = text?.samples[step] ?? -1;
    kept++;
  }
  return {
    labels,
    timestamps: keptTimestamps,
    values: keptValues,
    ...(text && keptSamples && { text: { runs: text.runs, samples: keptSamples } }),
  };
}
