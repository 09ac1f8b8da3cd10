import { PromQLError, type ErrorType } from './errors.ts';
import { sortedLabelNames, type Labels } from './labels.ts';
import type { QueryResult, ResultSeries } from './results.ts';

/** The response shapes of Prometheus's HTTP API (https://prometheus.io/docs/prometheus/latest/querying/api/). */
export interface SuccessResponse<T> {
  readonly status: 'success';
  readonly data: T;
}

export interface ErrorResponse {
  readonly status: 'error';
  readonly errorType: ErrorType;
  readonly error: string;
}

export type MetricType =
  'counter' | 'gauge' | 'histogram' | 'gaugehistogram' | 'summary' | 'info' | 'stateset' | 'unknown';

export interface MetricMetadata {
  readonly type: MetricType;
  readonly help: string;
  readonly unit: string;
}

export interface BuildInfo {
  readonly version: string;
  readonly revision: string;
  readonly branch: string;
  readonly buildUser: string;
  readonly buildDate: string;
  readonly goVersion: string;
}

/**
 * The Prometheus version whose query semantics the engine follows (left-open range windows and lookback,
 * current rate extrapolation). Grafana reads `version` from buildinfo to decide which API features to use.
 */
export const COMPATIBLE_PROMETHEUS_VERSION = '3.0.0';

/**
 * The whole body of a successful `/api/v1/query` or `/api/v1/query_range` response, as JSON text.
 * Written by hand rather than through JSON.stringify because a dashboard's range query is easily a
 * million points.
 */
export function queryResponseJson(result: QueryResult): string {
  return `{"status":"success","data":{"resultType":"${result.resultType}","result":${resultJson(result)}}}`;
}

/** `{"status":"error","errorType":"bad_data","error":"..."}`; errors that are not ours count as internal. */
export function errorResponse(error: unknown): ErrorResponse {
  if (error instanceof PromQLError)
    return { status: 'error', errorType: error.errorType, error: error.message };
  return {
    status: 'error',
    errorType: 'internal',
    error: error instanceof Error ? error.message : String(error),
  };
}

/** `/api/v1/labels` and `/api/v1/label/<name>/values`: a sorted list of strings. */
export function stringListResponse(items: readonly string[]): SuccessResponse<readonly string[]> {
  return { status: 'success', data: items };
}

/** `/api/v1/series`: one label object per series, names in order. */
export function seriesResponse(series: readonly Labels[]): SuccessResponse<Labels[]> {
  return { status: 'success', data: series.map(sortedLabelObject) };
}

/** `/api/v1/metadata`: metric name → its metadata entries. */
export function metadataResponse(
  metadata: Readonly<Record<string, readonly MetricMetadata[]>>,
): SuccessResponse<Readonly<Record<string, readonly MetricMetadata[]>>> {
  return { status: 'success', data: metadata };
}

/** `/api/v1/status/buildinfo`, reporting the Prometheus version we are compatible with. */
export function buildInfoResponse(
  lookoutVersion: string,
  revision: string,
  buildDate: string,
): SuccessResponse<BuildInfo> {
  return {
    status: 'success',
    data: {
      version: COMPATIBLE_PROMETHEUS_VERSION,
      revision,
      branch: `lookout-${lookoutVersion}`,
      buildUser: 'lookout',
      buildDate,
      goVersion: `node${process.versions.node}`,
    },
  };
}

/**
 * A sample value as Prometheus writes it: a JSON string, shortest round-trip digits, plain notation
 * between 1e-6 and 1e21 and Go's exponent form outside (`1e-07`), and `NaN`, `+Inf`, `-Inf`.
 */
export function formatSampleValue(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (value === Infinity) return '+Inf';
  if (value === -Infinity) return '-Inf';
  if (value === 0) return Object.is(value, -0) ? '-0' : '0';
  const magnitude = Math.abs(value);
  const text = String(value);
  if (magnitude >= 1e-6 && magnitude < 1e21) return text;
  return text.replace(/e([+-])(\d)$/, 'e$10$2');
}

/** Unix seconds with millisecond decimals, written like Prometheus (`1435781451.781`, `12.500`). */
export function formatTimestamp(ms: number): string {
  const sign = ms < 0 ? '-' : '';
  const magnitude = Math.abs(ms);
  const seconds = Math.trunc(magnitude / 1000);
  const fraction = magnitude - seconds * 1000;
  return fraction === 0 ? `${sign}${seconds}` : `${sign}${seconds}.${String(fraction).padStart(3, '0')}`;
}

function resultJson(result: QueryResult): string {
  switch (result.resultType) {
    case 'scalar':
      return `[${formatTimestamp(result.timeMs)},"${formatSampleValue(result.value)}"]`;
    case 'string':
      return `[${formatTimestamp(result.timeMs)},${JSON.stringify(result.value)}]`;
    case 'vector': {
      const time = formatTimestamp(result.timeMs);
      const parts = result.samples.map(
        (sample) =>
          `{"metric":${labelsJson(sample.labels)},"value":[${time},"${formatSampleValue(sample.value)}"]}`,
      );
      return `[${parts.join(',')}]`;
    }
    case 'matrix': {
      const timestampText = new Map<number, string>();
      return `[${result.series.map((series) => seriesJson(series, timestampText)).join(',')}]`;
    }
  }
}

function seriesJson(series: ResultSeries, timestampText: Map<number, string>): string {
  // Concatenation beats an array and join() here by about a quarter: V8 builds the ropes cheaply.
  let points = '';
  for (let i = 0; i < series.timestamps.length; i++) {
    const ms = series.timestamps[i] ?? 0;
    let time = timestampText.get(ms);
    if (time === undefined) {
      time = formatTimestamp(ms);
      timestampText.set(ms, time);
    }
    points += (i === 0 ? '[' : ',[') + time + ',"' + formatSampleValue(series.values[i] ?? 0) + '"]';
  }
  return `{"metric":${labelsJson(series.labels)},"values":[${points}]}`;
}

function labelsJson(labels: Labels): string {
  return JSON.stringify(sortedLabelObject(labels));
}

function sortedLabelObject(labels: Labels): Labels {
  return Object.fromEntries(sortedLabelNames(labels).map((name) => [name, labels[name] ?? '']));
}
