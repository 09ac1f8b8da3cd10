import { ByteWriter, type BodyBuffers } from './byte-writer.ts';
import { PromQLError, type ErrorType } from './errors.ts';
import { labelsJson, sortedLabelObject, type Labels } from './labels.ts';
import type { QueryResult, ResultSeries, ResultText } from './results.ts';
import { formatTimestamp } from './sample-text.ts';

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
 * The whole body of a successful `/api/v1/query` or `/api/v1/query_range` response, as UTF-8 JSON.
 * Written byte by byte rather than through JSON.stringify because a dashboard's range query is easily a
 * million points. With `buffers`, written into one of theirs: give it back once the response is sent.
 */
export function queryResponseBody(result: QueryResult, buffers: BodyBuffers | null = null): Buffer {
  const out = new ByteWriter(expectedBytes(result), buffers);
  out.ascii(`{"status":"success","data":{"resultType":"${result.resultType}","result":`);
  writeResult(out, result);
  out.ascii('}}');
  return out.finish();
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
 * A body's size, over rather than under: a body that outgrows its first buffer is copied into one twice
 * the size, and V8 answers such external memory with garbage collections. Points in the source's text
 * take what their text does (a raw selection of 1,000 series over a day: 49 MB, where 40 bytes a point
 * would be 58 MB kept for the next body); others at most 40 bytes,
 * `[1700000000.781,"0.12345678901234567"],` being 39.
 */
function expectedBytes(result: QueryResult): number {
  if (result.resultType !== 'matrix') return 4096;
  return result.series.reduce((bytes, series) => bytes + 128 + pointBytes(series), 64);
}

function pointBytes({ timestamps, text }: ResultSeries): number {
  let written = 0;
  let covered = 0;
  for (const { bounds } of text?.runs ?? []) {
    written += (bounds[bounds.length - 1] as number) - (bounds[0] as number);
    covered += bounds.length - 1;
  }
  return written + 40 * Math.max(0, timestamps.length - covered);
}

function writeResult(out: ByteWriter, result: QueryResult): void {
  switch (result.resultType) {
    case 'scalar':
      writePoint(out, result.timeMs, result.value);
      return;
    case 'string':
      out.ascii(`[${formatTimestamp(result.timeMs)},`);
      out.utf8(`${JSON.stringify(result.value)}]`);
      return;
    case 'vector':
      out.ascii('[');
      result.samples.forEach((sample, index) => {
        if (index > 0) out.comma();
        out.utf8(`{"metric":${labelsJson(sample.labels)},"value":`);
        writePoint(out, result.timeMs, sample.value);
        out.ascii('}');
      });
      out.ascii(']');
      return;
    case 'matrix':
      out.ascii('[');
      result.series.forEach((series, index) => {
        if (index > 0) out.comma();
        writeSeries(out, series);
      });
      out.ascii(']');
  }
}

function writeSeries(out: ByteWriter, { labels, timestamps, values, text }: ResultSeries): void {
  out.utf8(`{"metric":${labelsJson(labels)},"values":[`);
  if (text === undefined) out.points(timestamps, values);
  else if (timestamps.length > 0) {
    writeWithText(out, timestamps, values, text);
    out.dropLast();
  }
  out.ascii(']}');
}

/**
 * Points each followed by a comma: copied from the source's text where it has them, a run of
 * consecutive samples at a time (a whole chunk of a cache when the steps are the samples' minutes),
 * else written.
 */
function writeWithText(
  out: ByteWriter,
  timestamps: Float64Array,
  values: Float64Array,
  { runs, samples }: ResultText,
): void {
  let runIndex = 0;
  let point = 0;
  while (point < samples.length) {
    const sample = samples[point] as number;
    let run = runs[runIndex];
    while (run !== undefined && sample >= run.first + run.bounds.length - 1) run = runs[++runIndex];
    if (sample < 0 || run === undefined || sample < run.first) {
      out.pointAt(timestamps, values, point++);
      out.comma();
      continue;
    }
    const { first, bytes, bounds } = run;
    // On while the points are the run's next samples.
    const end = first + bounds.length - 1;
    let next = sample + 1;
    point++;
    while (point < samples.length && next < end && samples[point] === next) {
      next++;
      point++;
    }
    out.copy(bytes, bounds[sample - first] as number, bounds[next - first] as number);
  }
}

function writePoint(out: ByteWriter, ms: number, value: number): void {
  out.point(ms, value);
}
