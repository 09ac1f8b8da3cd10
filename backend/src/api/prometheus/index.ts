// The PromQL engine behind Lookout's Prometheus-compatible HTTP API: pure functions over a SeriesSource.
export type { Expr, ValueType } from './ast.ts';
export { BodyBuffers } from './byte-writer.ts';
export { PromQLError, badData, executionError, invalidParameter, type ErrorType } from './errors.ts';
export {
  DEFAULT_LOOKBACK_DELTA_MS,
  MAX_POINTS_PER_SERIES,
  instantQuery,
  rangeQuery,
  withRangeQuery,
  type QueryOptions,
} from './evaluate.ts';
export {
  COMPATIBLE_PROMETHEUS_VERSION,
  buildInfoResponse,
  errorResponse,
  metadataResponse,
  queryResponseBody,
  seriesResponse,
  stringListResponse,
  type BuildInfo,
  type ErrorResponse,
  type MetricMetadata,
  type MetricType,
  type SuccessResponse,
} from './format.ts';
export { formatSampleValue, formatTimestamp } from './sample-text.ts';
export { METRIC_NAME, compareLabels, compareStrings, sortByLabels, type Labels } from './labels.ts';
export { matchesAll, newLabelMatcher, type LabelMatcher, type MatchType } from './matchers.ts';
export { InMemorySeriesSource } from './memory-source.ts';
export {
  instantQueryRequest,
  rangeQueryRequest,
  selectionRequest,
  type InstantQueryRequest,
  type Parameters,
  type RangeQueryRequest,
  type SelectionRequest,
} from './params.ts';
export { parsePromQL, parseSeriesSelector } from './parse.ts';
export type { MatrixResult, QueryResult, ResultSeries, InstantSample } from './results.ts';
export { writtenBytes, writtenPoints, type WrittenPoints } from './point-text.ts';
export type { PointText, SelectOptions, SeriesSource, StoredSeries } from './series-source.ts';
export { parseDuration, formatDuration } from './duration.ts';
export { MAX_TIME_MS, MIN_TIME_MS, parseDurationParameter, parseTime } from './time.ts';
