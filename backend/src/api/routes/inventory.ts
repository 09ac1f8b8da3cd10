import type { FastifyPluginAsync } from 'fastify';
import type { Inventory } from '../../store/read/inventory.ts';
import {
  errorResponses,
  isoTime,
  pageParameters,
  rangeParameters,
  seriesFilterParameters,
  timeRange,
  type RangeQuery,
} from '../json-api.ts';
import type { QueryLimits } from '../limits.ts';

export interface InventoryOptions {
  inventory: Inventory;
  limits: QueryLimits;
}

interface PageQuery extends RangeQuery {
  limit: number;
  offset: number;
}

const page = pageParameters(10_000, 1_000);
const listed = (name: string, item: object) =>
  ({
    type: 'object',
    properties: {
      total: { type: 'integer', description: 'items in all pages' },
      [name]: { type: 'array', items: item },
    },
    required: ['total', name],
  }) as const;

/** `/api/v1/hosts`, `/api/v1/units`, `/api/v1/templates`: what Lookout has seen, with counts. */
export const inventoryRoutes: FastifyPluginAsync<InventoryOptions> = async (app, { inventory, limits }) => {
  app.get<{ Querystring: PageQuery }>(
    '/api/v1/hosts',
    {
      config: { scope: 'read' },
      schema: {
        tags: ['lookout'],
        summary: 'Hosts with their number of units and entries in the range',
        querystring: { type: 'object', properties: { ...rangeParameters, ...page } },
        response: {
          200: listed('hosts', {
            type: 'object',
            properties: {
              host: { type: 'string' },
              units: { type: 'integer' },
              entries: { type: 'integer' },
            },
            required: ['host', 'units', 'entries'],
          }),
          ...errorResponses,
        },
      },
    },
    async (request) => inventory.hosts(timeRange(request.query, limits), request.query),
  );

  app.get<{ Querystring: PageQuery & { host?: string } }>(
    '/api/v1/units',
    {
      config: { scope: 'read' },
      schema: {
        tags: ['lookout'],
        summary: 'Units (of one host, or all) with their entries in the range',
        querystring: {
          type: 'object',
          properties: { host: seriesFilterParameters.host, ...rangeParameters, ...page },
        },
        response: {
          200: listed('units', {
            type: 'object',
            properties: { host: { type: 'string' }, unit: { type: 'string' }, entries: { type: 'integer' } },
            required: ['host', 'unit', 'entries'],
          }),
          ...errorResponses,
        },
      },
    },
    async (request) => inventory.units(request.query.host, timeRange(request.query, limits), request.query),
  );

  app.get<{ Querystring: PageQuery & { host?: string; unit?: string; search?: string } }>(
    '/api/v1/templates',
    {
      config: { scope: 'read' },
      schema: {
        tags: ['lookout'],
        summary: 'Log templates by count, with first and last seen',
        description:
          'With host or unit: the templates seen there in the range, counted there. Without: every template ' +
          'seen in the range, with its count since it was first seen.',
        querystring: {
          type: 'object',
          properties: {
            ...seriesFilterParameters,
            search: {
              type: 'string',
              maxLength: 500,
              description: 'case-insensitive part of the template text',
            },
            ...rangeParameters,
            ...pageParameters(1_000, 100),
          },
        },
        response: {
          200: listed('templates', {
            type: 'object',
            properties: {
              id: { type: 'integer' },
              template: { type: 'string' },
              count: { type: 'integer' },
              first_seen: isoTime,
              last_seen: isoTime,
              evicted: { type: 'boolean', description: 'forgotten by the miner to stay within its limit' },
            },
            required: ['id', 'template', 'count', 'first_seen', 'last_seen', 'evicted'],
          }),
          ...errorResponses,
        },
      },
    },
    async (request) => {
      const { host, unit, search, limit, offset } = request.query;
      return inventory.templates({ ...timeRange(request.query, limits), host, unit, search, limit, offset });
    },
  );
};
