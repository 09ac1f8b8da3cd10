import type { FastifyPluginAsync } from 'fastify';
import { AROUND_SPAN_US, type EntriesReader } from '../../store/read/entries-reader.ts';
import {
  cursorParameter,
  cursorPosition,
  errorResponses,
  isoTime,
  rangeParameters,
  seriesFilterParameters,
  timeParameter,
  timeRange,
  TIME_FORMAT,
  type RangeQuery,
} from '../json-api.ts';
import type { QueryLimits } from '../limits.ts';

export interface EntriesOptions {
  entries: EntriesReader;
  limits: QueryLimits;
}

interface EntriesQuery extends RangeQuery {
  host?: string;
  unit?: string;
  around?: string;
  min_score?: number;
  limit: number;
  cursor?: string;
}

const entrySchema = {
  type: 'object',
  properties: {
    id: { type: 'integer' },
    time: isoTime,
    time_us: { type: 'integer', description: "µs since the epoch, the journal's precision" },
    host: { type: 'string' },
    unit: { type: 'string' },
    priority: { type: ['integer', 'null'], description: 'syslog priority 0 (emerg) .. 7 (debug)' },
    pid: { type: ['integer', 'null'] },
    message: { type: 'string' },
    template_id: { type: ['integer', 'null'] },
    template: { type: ['string', 'null'] },
    score: { type: ['number', 'null'], description: 'anomaly score 0..1; null until scored' },
  },
  required: [
    'id',
    'time',
    'time_us',
    'host',
    'unit',
    'priority',
    'pid',
    'message',
    'template_id',
    'template',
    'score',
  ],
} as const;

/** `/api/v1/entries`: raw entries with their scores, around a moment or over a range, for the logs view. */
export const entriesRoutes: FastifyPluginAsync<EntriesOptions> = async (app, options) => {
  app.get<{ Querystring: EntriesQuery }>(
    '/api/v1/entries',
    {
      config: { scope: 'read' },
      schema: {
        tags: ['lookout'],
        summary: 'Raw entries with their template and score, oldest first',
        description:
          `With "around": the "limit" entries nearest to that moment (half before), within ${AROUND_SPAN_US / 3_600_000_000} hours. ` +
          'Otherwise the entries from "start" to "end", a page at a time. Raw entries are kept for the retention period only.',
        querystring: {
          type: 'object',
          properties: {
            ...seriesFilterParameters,
            around: { type: 'string', description: TIME_FORMAT },
            ...rangeParameters,
            min_score: { type: 'number', minimum: 0, maximum: 1 },
            limit: { type: 'integer', minimum: 1, maximum: 5000, default: 500 },
            ...cursorParameter,
          },
        },
        response: {
          200: {
            type: 'object',
            properties: {
              entries: { type: 'array', items: entrySchema },
              next: { type: ['string', 'null'], description: 'cursor of the next page (range reads only)' },
            },
            required: ['entries', 'next'],
          },
          ...errorResponses,
        },
      },
    },
    async (request) => {
      const query = request.query;
      const selection = { host: query.host, unit: query.unit, minScore: query.min_score, limit: query.limit };
      if (query.around !== undefined) {
        const aroundUs = timeParameter('around', query.around) * 1000;
        return { entries: options.entries.around(selection, aroundUs), next: null };
      }
      const { startMs, endMs } = timeRange(query, options.limits);
      return options.entries.range(
        selection,
        startMs * 1000,
        endMs * 1000 + 999,
        cursorPosition(query.cursor),
      );
    },
  );
};
