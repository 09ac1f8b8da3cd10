import type { FastifyPluginAsync } from 'fastify';
import { ingestPush } from '../../sources/push.ts';
import type { EntrySink } from '../../sources/sink.ts';
import { lineErrorsSchema } from '../json-api.ts';

export interface IngestOptions {
  sink: EntrySink;
  /** Largest accepted body, in bytes. */
  maxBodyBytes: number;
}

const NDJSON_TYPES = ['application/x-ndjson', 'application/jsonl', 'application/json', 'text/plain'];

const resultSchema = {
  type: 'object',
  properties: {
    accepted: { type: 'integer', description: 'entries stored' },
    rejected: { type: 'integer', description: 'lines that were not journald JSON objects' },
    errors: lineErrorsSchema,
    message: { type: 'string' },
  },
  required: ['accepted', 'rejected', 'errors'],
} as const;

/**
 * `POST /api/v1/ingest`: NDJSON journald entries (what `journalctl -o json` prints) from shippers
 * that push. Valid lines are stored even when others are bad; a body with bad lines answers 400
 * and names them.
 */
export const ingestRoutes: FastifyPluginAsync<IngestOptions> = async (app, options) => {
  app.removeAllContentTypeParsers();
  app.addContentTypeParser(
    NDJSON_TYPES,
    { parseAs: 'buffer', bodyLimit: options.maxBodyBytes },
    (_request, body, done) => done(null, body),
  );
  app.addContentTypeParser(
    '*',
    { parseAs: 'buffer', bodyLimit: options.maxBodyBytes },
    (request, _body, done) =>
      done(
        Object.assign(
          new Error(
            `unsupported Content-Type "${request.headers['content-type']}": send journald entries as application/x-ndjson, one JSON object per line`,
          ),
          { statusCode: 415 },
        ),
      ),
  );

  app.post(
    '/api/v1/ingest',
    {
      config: { scope: 'ingest' },
      bodyLimit: options.maxBodyBytes,
      schema: {
        summary: 'Push journald entries as NDJSON',
        response: { 200: resultSchema, 400: resultSchema },
      },
    },
    async (request, reply) => {
      const body = request.body as Buffer | undefined;
      const result = ingestPush(body ?? Buffer.alloc(0), options.sink);
      if (result.rejected > 0) {
        return reply.code(400).send({
          ...result,
          message: `${result.rejected} line(s) were not journald JSON objects and were not stored; the ${result.accepted} valid entries were stored`,
        });
      }
      return result;
    },
  );
};
