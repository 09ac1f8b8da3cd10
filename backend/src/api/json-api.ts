// Pieces shared by the Lookout JSON API's route groups: parameter schemas, time ranges, pages.
import { decodeCursor, type Position } from '../store/read/cursor.ts';
import { checkTimeRange, httpError, type QueryLimits } from './limits.ts';
import { parseDurationParameter, parseTime } from './prometheus/index.ts';

export const TIME_FORMAT = 'RFC 3339 (2025-01-31T12:00:00Z) or Unix seconds';
const DEFAULT_SPAN_MS = 24 * 3_600_000;

export const errorSchema = {
  type: 'object',
  properties: { error: { type: 'string' }, message: { type: 'string' } },
  required: ['error', 'message'],
} as const;

/** The first lines of a body that could not be read, with why: what ingest and analyses answer. */
export const lineErrorsSchema = {
  type: 'array',
  description: 'the first rejected lines, numbered from 1',
  items: {
    type: 'object',
    properties: { line: { type: 'integer' }, error: { type: 'string' } },
    required: ['line', 'error'],
  },
} as const;

export const errorResponses = { 400: errorSchema, 401: errorSchema, 403: errorSchema, 404: errorSchema };

export const rangeParameters = {
  start: { type: 'string', description: `${TIME_FORMAT}; default: 24 hours before end` },
  end: { type: 'string', description: `${TIME_FORMAT}; default: now` },
} as const;

export const seriesFilterParameters = {
  host: { type: 'string', description: 'exact host name' },
  unit: { type: 'string', description: 'exact systemd unit, e.g. ssh.service' },
} as const;

export function pageParameters(maxLimit: number, defaultLimit: number) {
  return {
    limit: { type: 'integer', minimum: 1, maximum: maxLimit, default: defaultLimit },
    offset: { type: 'integer', minimum: 0, default: 0 },
  } as const;
}

export const cursorParameter = {
  cursor: { type: 'string', description: 'the "next" value of the previous page' },
} as const;

export const isoTime = { type: 'string', format: 'date-time' } as const;

export interface RangeQuery {
  start?: string;
  end?: string;
}

/** Start and end from the query, defaulting to the last 24 hours, within the request limits. */
export function timeRange(
  query: RangeQuery,
  limits: QueryLimits,
  nowMs = Date.now(),
): {
  startMs: number;
  endMs: number;
} {
  const endMs = query.end === undefined ? nowMs : timeParameter('end', query.end);
  const startMs = query.start === undefined ? endMs - DEFAULT_SPAN_MS : timeParameter('start', query.start);
  checkTimeRange(startMs, endMs, limits);
  return { startMs, endMs };
}

export function timeParameter(name: string, text: string): number {
  try {
    return parseTime(text);
  } catch (error) {
    throw httpError(400, `invalid "${name}": ${(error as Error).message}; use ${TIME_FORMAT}`);
  }
}

/** A step of at least one minute (the store's resolution): seconds or a duration like 5m. */
export function stepParameter(
  text: string | undefined,
  startMs: number,
  endMs: number,
  limits: QueryLimits,
): number {
  let stepMs: number;
  try {
    stepMs =
      text === undefined
        ? Math.max(60_000, Math.ceil((endMs - startMs) / 60_000 / 1000) * 60_000)
        : parseDurationParameter(text);
  } catch (error) {
    throw httpError(400, `invalid "step": ${(error as Error).message}`);
  }
  if (stepMs < 60_000 || stepMs % 60_000 !== 0) {
    throw httpError(
      400,
      `"step" must be a whole number of minutes (the store keeps one value a minute), got ${text}`,
    );
  }
  const points = Math.floor((endMs - startMs) / stepMs) + 1;
  if (points > limits.maxPoints) {
    throw httpError(
      400,
      `${points} points per series at this step, more than ${limits.maxPoints}: use a larger "step" or a shorter range`,
    );
  }
  return stepMs;
}

export function cursorPosition(cursor: string | undefined): Position | undefined {
  if (cursor === undefined) return undefined;
  const position = decodeCursor(cursor);
  if (position === null)
    throw httpError(400, '"cursor" is not one this API gave out: pass the "next" of a page');
  return position;
}

export function notFound(what: string): Error & { statusCode: number } {
  return httpError(404, `${what} not found`);
}
