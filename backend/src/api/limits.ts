import { badData, DEFAULT_LOOKBACK_DELTA_MS, type Expr } from './prometheus/index.ts';

/** Bounds on what one request may make the backend read. */
export interface QueryLimits {
  /** The longest span of time one request may read, in days (--max-query-days). */
  readonly maxRangeDays: number;
  /** The most points one series of a stepped response may have, as in Prometheus. */
  readonly maxPoints: number;
}

export const DEFAULT_QUERY_LIMITS: QueryLimits = { maxRangeDays: 31, maxPoints: 11_000 };

const MS_PER_DAY = 86_400_000;

/**
 * How far before its evaluation time an expression reads: the longest range, lookback and offset of its
 * selectors. A query_range reads its range plus this much.
 */
export function readReachMs(expr: Expr, lookbackMs = DEFAULT_LOOKBACK_DELTA_MS): number {
  switch (expr.kind) {
    case 'number':
    case 'string':
      return 0;
    case 'vectorSelector':
      return lookbackMs + Math.abs(expr.offsetMs);
    case 'matrixSelector':
      return expr.rangeMs + Math.abs(expr.selector.offsetMs);
    case 'call':
      return readReachMs(expr.arg, lookbackMs);
    case 'aggregation':
      return Math.max(
        readReachMs(expr.expr, lookbackMs),
        expr.param ? readReachMs(expr.param, lookbackMs) : 0,
      );
    case 'binary':
      return Math.max(readReachMs(expr.lhs, lookbackMs), readReachMs(expr.rhs, lookbackMs));
    case 'unary':
    case 'paren':
      return readReachMs(expr.expr, lookbackMs);
  }
}

/** Refuses a PromQL query that would read more than the limit (bad_data, in Prometheus's error shape). */
export function checkPromQLSpan(
  expr: Expr,
  rangeMs: number,
  lookbackMs: number | undefined,
  limits: QueryLimits,
): void {
  const spanMs = rangeMs + readReachMs(expr, lookbackMs);
  if (spanMs > limits.maxRangeDays * MS_PER_DAY) {
    throw badData(
      `the query reads ${formatDays(spanMs)} of data (its range plus its selectors' ranges and offsets), ` +
        `more than the ${limits.maxRangeDays} days a query may read: shorten the range or the [range] selectors`,
    );
  }
}

/** Refuses a JSON API time range over the limit (a 400 with a message that says what to change). */
export function checkTimeRange(startMs: number, endMs: number, limits: QueryLimits): void {
  if (endMs < startMs) throw httpError(400, '"end" is before "start"');
  if (endMs - startMs > limits.maxRangeDays * MS_PER_DAY) {
    throw httpError(
      400,
      `the range from "start" to "end" is ${formatDays(endMs - startMs)}, more than the ${limits.maxRangeDays} days one request may read: shorten it`,
    );
  }
}

export function httpError(statusCode: number, message: string): Error & { statusCode: number } {
  return Object.assign(new Error(message), { statusCode });
}

function formatDays(ms: number): string {
  const days = ms / MS_PER_DAY;
  return `${Number.isInteger(days) ? days : days.toFixed(1)} days`;
}
