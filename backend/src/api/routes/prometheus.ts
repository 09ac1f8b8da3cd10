import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { StoreSeriesSource } from '../../store/read/series-source.ts';
import { METRIC_METADATA, METRIC_NAMES } from '../../store/read/metrics.ts';
import { checkPromQLSpan, type QueryLimits } from '../limits.ts';
import {
  badData,
  BodyBuffers,
  buildInfoResponse,
  compareLabels,
  errorResponse,
  instantQuery,
  instantQueryRequest,
  metadataResponse,
  PromQLError,
  queryResponseBody,
  rangeQueryRequest,
  selectionRequest,
  seriesResponse,
  stringListResponse,
  withRangeQuery,
  type ErrorType,
  type Labels,
  type MetricMetadata,
  type Parameters,
  type QueryResult,
} from '../prometheus/index.ts';
import { parseFormBody } from './form-body.ts';
import { prometheusSchemas as schemas } from './prometheus-schemas.ts';

export interface PrometheusOptions {
  source: StoreSeriesSource;
  limits: QueryLimits;
  version: string;
  /** When this process started, reported as the build date. */
  startedAt: string;
  /** Largest form body accepted, in bytes (Grafana POSTs long queries as forms). */
  maxBodyBytes: number;
}

const STATUS_OF: Record<ErrorType, number> = {
  bad_data: 400,
  execution: 422,
  canceled: 503,
  timeout: 503,
  internal: 500,
  unavailable: 503,
  not_found: 404,
};

const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

/**
 * Prometheus's HTTP query API under /prometheus (point Grafana's Prometheus datasource at
 * <lookout>/prometheus): GET or form-encoded POST, with Prometheus's parameters, checks, JSON shapes
 * and error format, evaluated by the PromQL engine over the store.
 */
export const prometheusRoutes: FastifyPluginAsync<PrometheusOptions> = async (app, options) => {
  const { source, limits } = options;
  app.addContentTypeParser(
    'application/x-www-form-urlencoded',
    { parseAs: 'string', bodyLimit: options.maxBodyBytes },
    (_request, body, done) => done(null, parseFormBody(body as string)),
  );
  app.setErrorHandler((error: Error & { statusCode?: number; validation?: unknown }, request, reply) => {
    if (error instanceof PromQLError) return sendError(reply, error);
    const status = error.statusCode ?? 500;
    if (status >= 500) request.log.error({ err: error }, 'Prometheus API request failed');
    const errorType: ErrorType = status === 413 || status < 500 ? 'bad_data' : 'internal';
    return reply.code(status).send({
      status: 'error',
      errorType,
      error: status >= 500 ? 'internal error; see the Lookout log for details' : error.message,
    });
  });

  const route = (
    url: string,
    schema: (typeof schemas)[keyof typeof schemas],
    handler: (parameters: Parameters, request: FastifyRequest, reply: FastifyReply) => unknown,
  ) => {
    for (const method of ['GET', 'POST'] as const) {
      app.route({
        method,
        url: `/prometheus/api/v1/${url}`,
        config: { scope: 'read' },
        schema: method === 'GET' ? schema.get : schema.post,
        handler: (request, reply) => handler(parametersOf(request), request, reply),
      });
    }
  };

  const bodyBuffers = new BodyBuffers();
  const bodyOf = (result: QueryResult) => queryResponseBody(result, bodyBuffers);
  /** Sends a query's body and, once all of it has been handed to the socket, takes its buffer back. */
  const sendBody = (reply: FastifyReply, body: Buffer) => {
    // On a connection that closed early the socket may still hold the bytes: the buffer is left to the GC.
    reply.raw.once('close', () => {
      if (reply.raw.writableFinished) bodyBuffers.give(body);
    });
    return reply.type('application/json').send(body);
  };

  route('query', schemas.query, (parameters, _request, reply) => {
    const request = instantQueryRequest(parameters, Date.now());
    checkPromQLSpan(request.query, 0, request.lookbackDeltaMs, limits);
    const result = instantQuery(source, request.query, request.timeMs, {
      lookbackDeltaMs: request.lookbackDeltaMs,
    });
    return sendBody(reply, bodyOf(result));
  });

  route('query_range', schemas.queryRange, (parameters, _request, reply) => {
    const request = rangeQueryRequest(parameters);
    checkPromQLSpan(request.query, request.endMs - request.startMs, request.lookbackDeltaMs, limits);
    const { query, startMs, endMs, stepMs, lookbackDeltaMs } = request;
    const body = withRangeQuery(source, query, startMs, endMs, stepMs, { lookbackDeltaMs }, bodyOf);
    return sendBody(reply, body);
  });

  route('labels', schemas.labels, (parameters) => {
    const { matcherSets, startMs, endMs } = selectionRequest(parameters, false);
    const names = new Set<string>();
    for (const matchers of matcherSets.length === 0 ? [[]] : matcherSets) {
      for (const name of source.labelNames(matchers, startMs, endMs)) names.add(name);
    }
    return stringListResponse(limited([...names].sort(), parameters));
  });

  route('label/:name/values', schemas.labelValues, (parameters, request) => {
    const { name } = request.params as { name: string };
    if (!LABEL_NAME.test(name)) throw badData(`invalid label name: ${JSON.stringify(name)}`);
    const { matcherSets, startMs, endMs } = selectionRequest(parameters, false);
    const values = new Set<string>();
    for (const matchers of matcherSets.length === 0 ? [[]] : matcherSets) {
      for (const value of source.labelValues(name, matchers, startMs, endMs)) values.add(value);
    }
    return stringListResponse(limited([...values].sort(), parameters));
  });

  route('series', schemas.series, (parameters) => {
    const { matcherSets, startMs, endMs } = selectionRequest(parameters, true);
    const found = new Map<string, Labels>();
    for (const matchers of matcherSets) {
      for (const labels of source.seriesLabels(matchers, startMs, endMs)) {
        found.set(JSON.stringify(Object.entries(labels).sort()), labels);
      }
    }
    return seriesResponse(limited([...found.values()].sort(compareLabels), parameters));
  });

  route('metadata', schemas.metadata, (parameters) => {
    const metric = single(parameters, 'metric');
    const entries: [string, MetricMetadata[]][] = METRIC_NAMES.filter(
      (name) => metric === undefined || metric === '' || name === metric,
    ).map((name) => [name, [METRIC_METADATA[name]]]);
    return metadataResponse(Object.fromEntries(limited(entries, parameters)));
  });

  app.get(
    '/prometheus/api/v1/status/buildinfo',
    { config: { scope: 'read' }, schema: schemas.buildInfo.get },
    async () => buildInfoResponse(options.version, 'lookout', options.startedAt),
  );
};

function sendError(reply: FastifyReply, error: unknown) {
  const body = errorResponse(error);
  return reply.code(STATUS_OF[body.errorType]).send(body);
}

/** Go's `r.Form`: body values first, then the query string's. */
function parametersOf(request: FastifyRequest): Parameters {
  const query = (request.query ?? {}) as Record<string, string | string[]>;
  const body = (request.body ?? {}) as Record<string, string | string[]>;
  const merged: Record<string, string | string[]> = { ...query };
  for (const [name, value] of Object.entries(body)) {
    const fromQuery = query[name];
    merged[name] = fromQuery === undefined ? value : [value, fromQuery].flat();
  }
  return merged;
}

function single(parameters: Parameters, name: string): string | undefined {
  const value = parameters[name];
  return typeof value === 'string' ? value : value?.[0];
}

/** Prometheus's optional `limit`: at most that many items (0 or absent: all). */
function limited<T>(items: T[], parameters: Parameters): T[] {
  const text = single(parameters, 'limit');
  if (text === undefined || text === '') return items;
  if (!/^[+-]?\d+$/.test(text)) {
    throw badData(`invalid parameter "limit": strconv.Atoi: parsing ${JSON.stringify(text)}: invalid syntax`);
  }
  const limit = Number(text);
  if (limit < 0) throw badData('invalid parameter "limit": limit must be non-negative');
  return limit === 0 ? items : items.slice(0, limit);
}
