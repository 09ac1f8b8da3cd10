import type { Expr } from './ast.ts';
import { badData, invalidParameter } from './errors.ts';
import { MAX_POINTS_PER_SERIES } from './evaluate.ts';
import type { LabelMatcher } from './matchers.ts';
import { parsePromQL, parseSeriesSelector } from './parse.ts';
import { MAX_TIME_MS, MIN_TIME_MS, parseDurationParameter, parseTime } from './time.ts';

/**
 * Reading the HTTP parameters of the Prometheus API, with its checks in its order and its messages
 * (`invalid parameter "start": cannot parse "x" to a valid timestamp`). Routes pass the decoded query
 * string or form body; every function throws bad_data `PromQLError`s.
 */
export type Parameters = Readonly<Record<string, string | readonly string[] | undefined>>;

export interface InstantQueryRequest {
  readonly query: Expr;
  readonly timeMs: number;
  readonly lookbackDeltaMs: number | undefined;
}

export interface RangeQueryRequest {
  readonly query: Expr;
  readonly startMs: number;
  readonly endMs: number;
  readonly stepMs: number;
  readonly lookbackDeltaMs: number | undefined;
}

export interface SelectionRequest {
  /** One matcher list per `match[]`; a series is selected when any list matches. Empty: no `match[]`. */
  readonly matcherSets: LabelMatcher[][];
  readonly startMs: number;
  readonly endMs: number;
}

/** `/api/v1/query`: `query`, optional `time` (default now), optional `lookback_delta`. */
export function instantQueryRequest(parameters: Parameters, nowMs: number): InstantQueryRequest {
  const time = single(parameters, 'time');
  const timeMs = time === undefined || time === '' ? nowMs : parsed('time', () => parseTime(time));
  const lookbackDeltaMs = lookbackDelta(parameters);
  return { query: query(parameters), timeMs, lookbackDeltaMs };
}

/** `/api/v1/query_range`: `query`, `start`, `end`, `step`, optional `lookback_delta`. */
export function rangeQueryRequest(parameters: Parameters): RangeQueryRequest {
  const startMs = parsed('start', () => parseTime(single(parameters, 'start') ?? ''));
  const endMs = parsed('end', () => parseTime(single(parameters, 'end') ?? ''));
  if (endMs < startMs) throw badData('end timestamp must not be before start time');
  const stepMs = parsed('step', () => parseDurationParameter(single(parameters, 'step') ?? ''));
  if (!(stepMs > 0)) {
    throw badData('zero or negative query resolution step widths are not accepted. Try a positive integer');
  }
  if (Math.floor((endMs - startMs) / stepMs) > MAX_POINTS_PER_SERIES) {
    throw badData(
      'exceeded maximum resolution of 11,000 points per timeseries. Try decreasing the query resolution (?step=XX)',
    );
  }
  const lookbackDeltaMs = lookbackDelta(parameters);
  return { query: query(parameters), startMs, endMs, stepMs, lookbackDeltaMs };
}

/**
 * `/api/v1/series`, `/api/v1/labels`, `/api/v1/label/<name>/values`: `match[]` (required for series),
 * optional `start` and `end` (default: all time).
 */
export function selectionRequest(parameters: Parameters, matchRequired: boolean): SelectionRequest {
  const startMs = optionalTime(parameters, 'start', MIN_TIME_MS);
  const endMs = optionalTime(parameters, 'end', MAX_TIME_MS);
  const raw = parameters['match[]'];
  const selectors = raw === undefined ? [] : typeof raw === 'string' ? [raw] : [...raw];
  if (matchRequired && selectors.length === 0) throw badData('no match[] parameter provided');
  const matcherSets = selectors.map((selector) => parsed('match[]', () => parseSeriesSelector(selector)));
  return { matcherSets, startMs, endMs };
}

function query(parameters: Parameters): Expr {
  const text = single(parameters, 'query') ?? '';
  return parsed('query', () => parsePromQL(text));
}

function lookbackDelta(parameters: Parameters): number | undefined {
  const text = single(parameters, 'lookback_delta');
  if (text === undefined || text === '') return undefined;
  return parsed('lookback_delta', () => parseDurationParameter(text));
}

function optionalTime(parameters: Parameters, name: string, fallback: number): number {
  const text = single(parameters, name);
  if (text === undefined || text === '') return fallback;
  return parsed(name, () => parseTime(text));
}

/** Like Go's `r.FormValue`: the first value when a parameter is repeated. */
function single(parameters: Parameters, name: string): string | undefined {
  const value = parameters[name];
  return typeof value === 'string' ? value : value?.[0];
}

function parsed<T>(parameter: string, parse: () => T): T {
  try {
    return parse();
  } catch (error) {
    throw invalidParameter(parameter, error);
  }
}
