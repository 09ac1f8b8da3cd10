import type { FastifyPluginAsync } from 'fastify';
import type { EventsReader } from '../../store/read/events-reader.ts';
import type { FeedbackTable } from '../../store/read/feedback-table.ts';
import {
  cursorParameter,
  cursorPosition,
  errorResponses,
  isoTime,
  notFound,
  rangeParameters,
  seriesFilterParameters,
  timeRange,
  type RangeQuery,
} from '../json-api.ts';
import type { QueryLimits } from '../limits.ts';
import { feedbackRuleSchema, feedbackView } from './feedback-schema.ts';

export interface EventsOptions {
  events: EventsReader;
  feedback: FeedbackTable;
  limits: QueryLimits;
}

interface EventsQuery extends RangeQuery {
  host?: string;
  unit?: string;
  min_score: number;
  status?: 'open' | 'closed';
  limit: number;
  cursor?: string;
}

export const eventSchema = {
  type: 'object',
  properties: {
    id: { type: 'integer' },
    host: { type: 'string' },
    unit: { type: 'string' },
    start: isoTime,
    end: isoTime,
    score: { type: 'number', description: 'the highest minute score, 0..1' },
    reasons: { type: 'array', items: { type: 'string' }, description: 'most frequent first' },
    templates: {
      type: 'array',
      items: {
        type: 'object',
        properties: { id: { type: 'integer' }, template: { type: 'string' }, count: { type: 'integer' } },
        required: ['id', 'template', 'count'],
      },
    },
    samples: {
      type: 'array',
      items: {
        type: 'object',
        properties: { time: isoTime, message: { type: 'string' } },
        required: ['time', 'message'],
      },
    },
    minutes: { type: 'integer', description: 'anomalous minutes in the event' },
    status: { type: 'string', enum: ['open', 'closed'] },
    acknowledged: { ...isoTime, type: ['string', 'null'] },
  },
  required: [
    'id',
    'host',
    'unit',
    'start',
    'end',
    'score',
    'reasons',
    'templates',
    'samples',
    'minutes',
    'status',
  ],
} as const;

/** `/api/v1/events` and `/api/v1/events/:id`: anomaly events with their reasons and samples. */
export const eventsRoutes: FastifyPluginAsync<EventsOptions> = async (app, options) => {
  app.get<{ Querystring: EventsQuery }>(
    '/api/v1/events',
    {
      config: { scope: 'read' },
      schema: {
        tags: ['lookout'],
        summary: 'Anomaly events overlapping the range, newest first',
        querystring: {
          type: 'object',
          properties: {
            ...rangeParameters,
            ...seriesFilterParameters,
            min_score: { type: 'number', minimum: 0, maximum: 1, default: 0 },
            status: { type: 'string', enum: ['open', 'closed'] },
            limit: { type: 'integer', minimum: 1, maximum: 1000, default: 100 },
            ...cursorParameter,
          },
        },
        response: {
          200: {
            type: 'object',
            properties: {
              events: { type: 'array', items: eventSchema },
              next: { type: ['string', 'null'], description: 'cursor of the next page; null on the last' },
            },
            required: ['events', 'next'],
          },
          ...errorResponses,
        },
      },
    },
    async (request) => {
      const query = request.query;
      return options.events.list({
        ...timeRange(query, options.limits),
        host: query.host,
        unit: query.unit,
        minScore: query.min_score,
        status: query.status,
        limit: query.limit,
        after: cursorPosition(query.cursor),
      });
    },
  );

  app.get<{ Params: { id: number } }>(
    '/api/v1/events/:id',
    {
      config: { scope: 'read' },
      schema: {
        tags: ['lookout'],
        summary: 'One anomaly event with the feedback given on it',
        params: { type: 'object', properties: { id: { type: 'integer', minimum: 1 } }, required: ['id'] },
        response: {
          200: {
            ...eventSchema,
            properties: { ...eventSchema.properties, feedback: { type: 'array', items: feedbackRuleSchema } },
            required: [...eventSchema.required, 'feedback'],
          },
          ...errorResponses,
        },
      },
    },
    async (request) => {
      const event = options.events.get(request.params.id);
      if (event === null) throw notFound(`event ${request.params.id}`);
      return { ...event, feedback: options.feedback.ofEvent(event.id).map(feedbackView) };
    },
  );
};
