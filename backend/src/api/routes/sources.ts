import type { FastifyPluginAsync } from 'fastify';
import type { SourceTable } from '../../store/sources.ts';
import { isoFromUs } from '../../store/read/minutes.ts';

export interface SourcesOptions {
  sources: SourceTable;
}

const sourceSchema = {
  type: 'object',
  properties: {
    id: { type: 'integer' },
    url: { type: 'string', description: 'agent URL, file:// path, stdin:, push: or journal:local' },
    kind: { type: 'string', enum: ['pull', 'import', 'push', 'local'] },
    cursor: { type: ['string', 'null'], description: 'where the source resumes after a restart' },
    entries_ingested: { type: 'integer' },
    lines_rejected: { type: 'integer' },
    last_entry_time: { type: ['string', 'null'], format: 'date-time' },
    lag_seconds: {
      type: ['number', 'null'],
      description: 'seconds between the last stored entry being logged and being stored',
    },
    last_error: { type: ['string', 'null'] },
  },
  required: ['id', 'url', 'kind', 'cursor', 'entries_ingested', 'lag_seconds', 'last_error'],
} as const;

export const sourcesRoutes: FastifyPluginAsync<SourcesOptions> = async (app, options) => {
  app.get(
    '/api/v1/sources',
    {
      config: { scope: 'read' },
      schema: {
        summary: 'Every source with its resume cursor, progress, lag and last error',
        response: {
          200: {
            type: 'object',
            properties: { sources: { type: 'array', items: sourceSchema } },
            required: ['sources'],
          },
        },
      },
    },
    async () => ({
      sources: options.sources.list().map((row) => ({
        id: row.id,
        url: row.key,
        kind: row.kind,
        cursor: row.resumeFrom,
        entries_ingested: row.entriesIngested,
        lines_rejected: row.linesRejected,
        last_entry_time: row.lastEntryUs === null ? null : isoFromUs(row.lastEntryUs),
        lag_seconds: row.lagSeconds === null ? null : Math.round(row.lagSeconds * 1000) / 1000,
        last_error: row.lastError,
      })),
    }),
  );
};
