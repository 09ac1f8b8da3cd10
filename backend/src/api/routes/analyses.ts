import { randomUUID } from 'node:crypto';
import { createReadStream, createWriteStream, mkdirSync } from 'node:fs';
import { readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Transform } from 'node:stream';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { FastifyPluginAsync } from 'fastify';
import { errorResponses, errorSchema, isoTime, lineErrorsSchema } from '../json-api.ts';
import { eventSchema as storedEventSchema } from './events.ts';
import { httpError } from '../limits.ts';

/** How to analyse an uploaded log: what `lookout analyze` takes as options. */
export interface AnalysisRequest {
  format: 'auto' | 'journald' | 'plain';
  /** `lookout analyze`'s when absent, as `warmupMinutes`. */
  contamination?: number;
  /** Also return the events below the alerting threshold. */
  all: boolean;
  warmupMinutes?: number;
  host?: string;
  unit?: string;
  year?: number;
}

/** An event as `lookout analyze --json` prints it. */
export interface AnalysisEvent {
  host: string;
  unit: string;
  /** ISO 8601. */
  start: string;
  end: string;
  score: number;
  alert: boolean;
  reasons: string[];
  templates: { id: number; template: string; count: number }[];
  samples: { time: string; message: string }[];
}

export interface AnalysisSummary {
  format: 'journald' | 'plain';
  entries: number;
  rejected: number;
  errors: { line: number; error: string }[];
  templates: number;
  /** ISO 8601 times of the first and last entry, and of the warm-up's end; null for an empty log. */
  first: string | null;
  last: string | null;
  warmupEnd: string | null;
  /**
   * `lines` when no line of a plain-text log had a timestamp: it was read one line a second from
   * 1970-01-01T00:00:00Z, so the times say which lines (line n at n - 1 seconds).
   */
  clock: 'timestamps' | 'lines';
  /** Events that would alert (all of them are in `events` with `all`). */
  alerting: number;
  events: AnalysisEvent[];
}

/** Runs one analysis of the log file at `inputPath`, writing every entry's scored row to `csvPath`. */
export interface AnalysisRunner {
  run(inputPath: string, csvPath: string, request: AnalysisRequest): Promise<AnalysisSummary>;
}

export interface AnalysesOptions {
  runner: AnalysisRunner;
  /** Where uploads wait for their analysis and results are kept. */
  dir: string;
  /** Largest accepted upload, in bytes. */
  maxUploadBytes: number;
  /** Results kept for download; the oldest go first. */
  keep: number;
  /** Analyses that may run at once (each a worker thread holding its log's entries); more are refused. */
  maxRunning: number;
}

/** Uploads up to this size are analysed unless the server is told otherwise. */
export const DEFAULT_MAX_UPLOAD_BYTES = 256 * 1024 * 1024;

const ID_PATTERN = '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$';

const { host, unit, start, end, score, reasons, templates, samples } = storedEventSchema.properties;
const eventSchema = {
  type: 'object',
  properties: { host, unit, start, end, score, alert: { type: 'boolean' }, reasons, templates, samples },
  required: ['host', 'unit', 'start', 'end', 'score', 'alert', 'reasons', 'templates', 'samples'],
} as const;

const nullableTime = { ...isoTime, type: ['string', 'null'] } as const;

const analysisSchema = {
  type: 'object',
  properties: {
    id: { type: 'string' },
    csv: { type: 'string', description: 'where to download every entry with its score, as CSV' },
    format: { type: 'string', enum: ['journald', 'plain'] },
    entries: { type: 'integer' },
    rejected: { type: 'integer', description: 'lines that could not be read' },
    errors: lineErrorsSchema,
    templates: { type: 'integer' },
    first: nullableTime,
    last: nullableTime,
    warmupEnd: { ...nullableTime, description: 'entries before it were learned from, not reported' },
    clock: {
      type: 'string',
      enum: ['timestamps', 'lines'],
      description:
        'lines: no line had a timestamp, so the log was read one line a second from 1970-01-01T00:00:00Z (line n at n - 1 seconds)',
    },
    alerting: { type: 'integer' },
    events: { type: 'array', items: eventSchema, description: 'most anomalous first' },
  },
  required: [
    'id',
    'csv',
    'format',
    'entries',
    'rejected',
    'errors',
    'templates',
    'first',
    'last',
    'warmupEnd',
    'clock',
    'alerting',
    'events',
  ],
} as const;

const idParams = {
  type: 'object',
  properties: { id: { type: 'string', pattern: ID_PATTERN } },
  required: ['id'],
} as const;

interface AnalysisQuery {
  format: AnalysisRequest['format'];
  contamination?: number;
  all: boolean;
  warmup?: number;
  host?: string;
  unit?: string;
  year?: number;
}

/**
 * `POST /api/v1/analyses`: a log file uploaded as the request body (journald JSON or plain text), analysed
 * as `lookout analyze` does, on a worker thread so that queries go on meanwhile. The upload streams to a
 * file (never whole in memory) up to `maxUploadBytes`; every entry's scored row is kept as CSV for
 * `GET /api/v1/analyses/:id/csv`, and the summary for `GET /api/v1/analyses/:id`, for the last `keep`
 * analyses.
 */
export const analysesRoutes: FastifyPluginAsync<AnalysesOptions> = async (app, options) => {
  mkdirSync(options.dir, { recursive: true });
  // Uploads that a stopped process never analysed.
  for (const name of await readdir(options.dir)) {
    if (name.endsWith('.upload')) await rm(join(options.dir, name), { force: true });
  }
  const path = (id: string, extension: string) => join(options.dir, `${id}.${extension}`);
  let running = 0;
  // Any content type: the body is the log file itself, read as a stream by the route.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', (_request, payload, done) => done(null, payload));

  app.post(
    '/api/v1/analyses',
    {
      config: { scope: 'read' },
      schema: {
        summary: 'Analyse an uploaded log file (journald JSON or plain text) for anomalies',
        description:
          'The request body is the file (e.g. `journalctl -o json` output or a syslog file), of any Content-Type. ' +
          'Answers with the anomaly events, most anomalous first, and where to download every entry with its score as CSV.',
        querystring: {
          type: 'object',
          properties: {
            format: { type: 'string', enum: ['auto', 'journald', 'plain'], default: 'auto' },
            contamination: {
              type: 'number',
              exclusiveMinimum: 0,
              exclusiveMaximum: 1,
              description:
                "expected share of anomalous entries (sets the alerting threshold); default: `lookout analyze`'s",
            },
            all: { type: 'boolean', default: false, description: 'also return events below the threshold' },
            warmup: {
              type: 'number',
              minimum: 0,
              description:
                "minutes at the start that are learned from but not reported; default: `lookout analyze`'s",
            },
            host: { type: 'string', description: 'host of plain-text lines that do not name one' },
            unit: { type: 'string', description: 'unit of plain-text lines that do not name one' },
            year: { type: 'integer', minimum: 1970, maximum: 9999, description: 'year of syslog timestamps' },
          },
          additionalProperties: false,
        },
        response: { 200: analysisSchema, ...errorResponses, 413: errorSchema, 429: errorSchema },
      },
    },
    async (request, reply) => {
      // A refused upload's rest is never read: the client must not send its next request on this connection.
      const refuse = () => {
        void reply.header('connection', 'close');
        return httpError(
          413,
          `the upload is over the ${options.maxUploadBytes} byte limit: analyse the file with \`lookout analyze\` where it is, or raise --max-upload-bytes`,
        );
      };
      const declared = Number(request.headers['content-length']);
      if (declared > options.maxUploadBytes) throw refuse();
      if (running >= options.maxRunning) {
        void reply.header('connection', 'close').header('retry-after', '10');
        throw httpError(
          429,
          `${running} analyses are running, as many as this server runs at once: send the file again when one has finished`,
        );
      }
      running++;
      const query = request.query as AnalysisQuery;
      const id = randomUUID();
      const upload = path(id, 'upload');
      try {
        const body = (request.body as Readable | undefined) ?? request.raw;
        await pipeline(body, byteLimit(options.maxUploadBytes, refuse), createWriteStream(upload));
        const summary = await options.runner.run(upload, path(id, 'csv'), {
          format: query.format,
          contamination: query.contamination,
          all: query.all,
          warmupMinutes: query.warmup,
          host: query.host,
          unit: query.unit,
          year: query.year,
        });
        const analysis = { id, csv: `/api/v1/analyses/${id}/csv`, ...summary };
        await writeFile(path(id, 'json'), JSON.stringify(analysis));
        await forgetAllBut(options.dir, options.keep);
        return analysis;
      } catch (error) {
        await rm(path(id, 'csv'), { force: true });
        throw error;
      } finally {
        running--;
        await rm(upload, { force: true });
      }
    },
  );

  app.get(
    '/api/v1/analyses/:id',
    {
      config: { scope: 'read' },
      schema: {
        summary: 'An analysis made earlier',
        params: idParams,
        response: { 200: analysisSchema, ...errorResponses },
      },
    },
    async (request) => {
      const { id } = request.params as { id: string };
      const text = await readFile(path(id, 'json'), 'utf8').catch(() => {
        throw gone(id, options.keep);
      });
      return JSON.parse(text) as unknown;
    },
  );

  app.get(
    '/api/v1/analyses/:id/csv',
    {
      config: { scope: 'read' },
      schema: {
        summary: 'Every entry of an analysis with its score, as CSV (RFC 4180, a header row first)',
        params: idParams,
        response: errorResponses,
      },
    },
    async (request, reply) => {
      const { id } = request.params as { id: string };
      const file = path(id, 'csv');
      await stat(file).catch(() => {
        throw gone(id, options.keep);
      });
      return reply
        .type('text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="lookout-analysis-${id}.csv"`)
        .send(createReadStream(file));
    },
  );
};

function gone(id: string, keep: number): Error {
  return httpError(404, `no analysis ${id}: only the last ${keep} analyses are kept; upload the file again`);
}

/** Passes bytes through until more than `limit` have come, then fails with `error()`. */
function byteLimit(limit: number, error: () => Error): Transform {
  let bytes = 0;
  return new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      bytes += chunk.length;
      callback(bytes > limit ? error() : null, chunk);
    },
  });
}

/** Removes every analysis but the `keep` most recent ones (by their summary's time). */
async function forgetAllBut(dir: string, keep: number): Promise<void> {
  const summaries = (await readdir(dir)).filter((name) => name.endsWith('.json'));
  if (summaries.length <= keep) return;
  const dated = await Promise.all(
    summaries.map(async (name) => ({ name, ms: (await stat(join(dir, name))).mtimeMs })),
  );
  dated.sort((a, b) => a.ms - b.ms);
  for (const { name } of dated.slice(0, dated.length - keep)) {
    const id = name.slice(0, -'.json'.length);
    await rm(join(dir, `${id}.csv`), { force: true });
    await rm(join(dir, name), { force: true });
  }
}
