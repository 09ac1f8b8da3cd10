import type { FastifyPluginAsync } from 'fastify';
import type { SeriesCatalog } from '../../store/read/series-catalog.ts';
import { gridTimes, stepGrid, type StepSeries } from '../../store/read/step-series.ts';
import {
  errorResponses,
  isoTime,
  pageParameters,
  rangeParameters,
  seriesFilterParameters,
  stepParameter,
  timeRange,
  type RangeQuery,
} from '../json-api.ts';
import type { QueryLimits } from '../limits.ts';

export interface StepSeriesOptions {
  steps: StepSeries;
  catalog: SeriesCatalog;
  limits: QueryLimits;
}

interface SeriesQuery extends RangeQuery {
  host?: string;
  unit?: string;
  step?: string;
  limit: number;
  offset: number;
}

const nullableNumbers = { type: 'array', items: { type: ['number', 'null'] } } as const;

const querystring = (extra: object = {}) => ({
  type: 'object',
  properties: {
    ...seriesFilterParameters,
    ...rangeParameters,
    step: {
      type: 'string',
      description: 'bucket width, whole minutes: seconds or a duration like 5m; default: about 1,000 buckets',
    },
    ...extra,
    ...pageParameters(100, 20),
  },
});

const grid = {
  start: isoTime,
  end: isoTime,
  step_seconds: { type: 'integer' },
  times: { type: 'array', items: isoTime, description: 'start of each bucket' },
  total: { type: 'integer', description: '(host, unit) series in all pages' },
} as const;

const seriesResponse = (item: object) => ({
  200: {
    type: 'object',
    properties: { ...grid, series: { type: 'array', items: item } },
    required: ['start', 'end', 'step_seconds', 'times', 'total', 'series'],
  },
  ...errorResponses,
});

/** `/api/v1/series/scores` and `/api/v1/series/counts`: per (host, unit) series on a step grid. */
export const stepSeriesRoutes: FastifyPluginAsync<StepSeriesOptions> = async (app, options) => {
  const { steps, catalog, limits } = options;
  const prepare = (query: SeriesQuery) => {
    const { startMs, endMs } = timeRange(query, limits);
    const stepMs = stepParameter(query.step, startMs, endMs, limits);
    const all = catalog.filter(query.host, query.unit);
    const rows = all.slice(query.offset, query.offset + query.limit);
    const stepped = stepGrid(startMs, endMs, stepMs);
    const head = {
      start: new Date(startMs).toISOString(),
      end: new Date(endMs).toISOString(),
      step_seconds: stepMs / 1000,
      times: gridTimes(stepped),
      total: all.length,
    };
    return { rows, stepped, head };
  };

  app.get<{ Querystring: SeriesQuery }>(
    '/api/v1/series/scores',
    {
      config: { scope: 'read' },
      schema: {
        tags: ['lookout'],
        summary: 'Anomaly scores per (host, unit): the highest of each bucket, null where none',
        querystring: querystring(),
        response: seriesResponse({
          type: 'object',
          properties: {
            host: { type: 'string' },
            unit: { type: 'string' },
            score: nullableNumbers,
            entry_score: nullableNumbers,
            count_score: nullableNumbers,
          },
          required: ['host', 'unit', 'score', 'entry_score', 'count_score'],
        }),
      },
    },
    async (request) => {
      const { rows, stepped, head } = prepare(request.query);
      return { ...head, series: steps.scores(rows, stepped) };
    },
  );

  app.get<{ Querystring: SeriesQuery & { template_id?: number } }>(
    '/api/v1/series/counts',
    {
      config: { scope: 'read' },
      schema: {
        tags: ['lookout'],
        summary: 'Entries per bucket per (host, unit), of all templates or of one',
        querystring: querystring({ template_id: { type: 'integer', minimum: 0 } }),
        response: seriesResponse({
          type: 'object',
          properties: {
            host: { type: 'string' },
            unit: { type: 'string' },
            template_id: { type: ['integer', 'null'] },
            counts: { type: 'array', items: { type: 'integer' } },
          },
          required: ['host', 'unit', 'template_id', 'counts'],
        }),
      },
    },
    async (request) => {
      const { rows, stepped, head } = prepare(request.query);
      return { ...head, series: steps.counts(rows, stepped, request.query.template_id) };
    },
  );
};
