import { STATUS_CODES } from 'node:http';
import cors from '@fastify/cors';
import Fastify, { LogController } from 'fastify';
import type { FastifyBaseLogger, FastifyInstance } from 'fastify';
import type { MinerStats } from '../mining/miner.ts';
import type { EntrySink } from '../sources/sink.ts';
import { EntriesReader } from '../store/read/entries-reader.ts';
import { EventsReader } from '../store/read/events-reader.ts';
import { FeedbackTable } from '../store/read/feedback-table.ts';
import { Inventory } from '../store/read/inventory.ts';
import { StoreSeriesSource } from '../store/read/series-source.ts';
import { StepSeries } from '../store/read/step-series.ts';
import type { Store } from '../store/store.ts';
import { authHook } from './auth.ts';
import { analysesRoutes, type AnalysesOptions } from './routes/analyses.ts';
import type { AuthConfig } from './auth.ts';
import { registerDocs } from './docs.ts';
import { DEFAULT_QUERY_LIMITS, type QueryLimits } from './limits.ts';
import { RequestLatency } from './request-latency.ts';
import { entriesRoutes } from './routes/entries.ts';
import { eventsRoutes } from './routes/events.ts';
import { feedbackRoutes, type FeedbackHandler } from './routes/feedback.ts';
import { healthRoutes } from './routes/health.ts';
import { ingestRoutes } from './routes/ingest.ts';
import { inventoryRoutes } from './routes/inventory.ts';
import { metricsRoutes, type ModelTraining } from './routes/metrics.ts';
import { prometheusRoutes } from './routes/prometheus.ts';
import { sourcesRoutes } from './routes/sources.ts';
import { stepSeriesRoutes } from './routes/step-series.ts';

export interface ApiOptions {
  store: Store;
  sink: EntrySink;
  minerStats: () => MinerStats;
  /** The models in use, for /metrics; none when absent. */
  models?: () => ModelTraining[];
  auth: AuthConfig;
  maxIngestBytes: number;
  version: string;
  isReady: () => boolean;
  /** Pino logger shared with the rest of the process; silent when absent. */
  logger?: FastifyBaseLogger;
  /** Time-range and point limits of queries; DEFAULT_QUERY_LIMITS when absent. */
  limits?: QueryLimits;
  /** The one browser origin allowed to call the API (CORS); none when absent. */
  corsOrigin?: string | undefined;
  /** Tells the live detector about feedback; feedback is only stored when absent. */
  feedbackHandler?: FeedbackHandler | undefined;
  /** The store's series for queries, when the caller shares it (e.g. to call forgetScores()). */
  seriesSource?: StoreSeriesSource | undefined;
  /** Memory for the query cache, all tables together, in bytes; DEFAULT_QUERY_CACHE_BYTES when absent. */
  queryCacheBytes?: number | undefined;
  /** Analyses of uploaded log files (`/api/v1/analyses`); no such routes when absent. */
  analyses?: AnalysesOptions | undefined;
}

const STORE_ONLY: FeedbackHandler = { apply: () => undefined, revert: () => undefined };
const REQUEST_BODY_LIMIT = 1 << 20;
/** What the query cache reads at startup: a day (Grafana's usual widest range) and an hour of lookback. */
const WARM_UP_SPAN_MS = 25 * 3600_000;

/** The HTTP API: one encapsulated plugin per route group, each route with its JSON schema. */
export function buildApi(options: ApiOptions): FastifyInstance {
  const app = Fastify({
    ...(options.logger ? { loggerInstance: options.logger } : { logger: false }),
    // Request bodies other than pushes are small; pushes set their own limit.
    bodyLimit: REQUEST_BODY_LIMIT,
    // One line per request would drown the log at Grafana's polling rates; errors are still logged.
    logController: new LogController({ disableRequestLogging: true }),
  });
  const latency = new RequestLatency();
  app.addHook('onResponse', latency.hook);
  if (options.corsOrigin !== undefined) {
    void app.register(cors, {
      origin: options.corsOrigin,
      methods: ['GET', 'POST', 'DELETE'],
      allowedHeaders: ['Authorization', 'Content-Type'],
    });
  }
  app.addHook('onRequest', authHook(options.auth));
  app.setErrorHandler((error: Error & { statusCode?: number; code?: string }, request, reply) => {
    if (error.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
      const isPush = request.routeOptions.url === '/api/v1/ingest';
      return reply.code(413).send({
        error: 'Payload Too Large',
        message: isPush
          ? `request body is over the ${options.maxIngestBytes} byte limit: send smaller batches, or raise --max-ingest-bytes`
          : `request body is over the ${REQUEST_BODY_LIMIT} byte limit`,
      });
    }
    const status = error.statusCode ?? 500;
    if (status >= 500) request.log.error({ err: error }, 'request failed');
    // Messages only, never stacks: a 500 says no more than that something went wrong here.
    return reply.code(status).send({
      error: STATUS_CODES[status] ?? 'Error',
      message: status >= 500 ? 'internal error; see the Lookout log for details' : error.message,
    });
  });
  app.setNotFoundHandler((request, reply) =>
    reply.code(404).send({ error: 'Not Found', message: `no route ${request.method} ${request.url}` }),
  );

  const db = options.store.db;
  const limits = options.limits ?? DEFAULT_QUERY_LIMITS;
  const series =
    options.seriesSource ?? new StoreSeriesSource(db, { maxCacheBytes: options.queryCacheBytes });
  const events = new EventsReader(db, series.catalog);
  const feedback = new FeedbackTable(db);

  void registerDocs(app, options.version);
  app.register(healthRoutes, { isReady: options.isReady, version: options.version });
  app.register(sourcesRoutes, { sources: options.store.sources });
  app.register(ingestRoutes, { sink: options.sink, maxBodyBytes: options.maxIngestBytes });
  if (options.analyses) app.register(analysesRoutes, options.analyses);
  app.register(metricsRoutes, {
    sources: options.store.sources,
    minerStats: options.minerStats,
    models: options.models ?? (() => []),
    series,
    latency,
  });
  app.register(prometheusRoutes, {
    source: series,
    limits,
    version: options.version,
    startedAt: new Date().toISOString(),
    maxBodyBytes: REQUEST_BODY_LIMIT,
  });
  app.register(inventoryRoutes, { inventory: new Inventory(db, series), limits });
  app.register(stepSeriesRoutes, { steps: new StepSeries(db, series), catalog: series.catalog, limits });
  app.register(eventsRoutes, { events, feedback, limits });
  app.register(entriesRoutes, { entries: new EntriesReader(db, series.catalog), limits });
  warmUpOnListen(app, series);
  app.register(feedbackRoutes, {
    events,
    feedback,
    handler: options.feedbackHandler ?? STORE_ONLY,
    onChange: () => series.forgetScores(),
  });
  return app;
}

/**
 * Once listening, reads the recent rows of every series into the query cache, one series per turn of
 * the event loop so that requests are served in between: otherwise the first query after a start reads
 * them from SQLite (1.2-2.6 s for a thousand series over a day). Stops when the server closes.
 */
function warmUpOnListen(app: FastifyInstance, series: StoreSeriesSource): void {
  let pending: NodeJS.Immediate | null = null;
  app.addHook('onListen', (done) => {
    const started = performance.now();
    const step = series.warmUp(WARM_UP_SPAN_MS);
    const next = () => {
      pending = null;
      try {
        if (step()) pending = setImmediate(next);
        else app.log.info(`query cache warmed up in ${Math.round(performance.now() - started)} ms`);
      } catch (error) {
        app.log.warn(`warming up the query cache failed: ${(error as Error).message}`);
      }
    };
    pending = setImmediate(next);
    done();
  });
  app.addHook('onClose', (_instance, done) => {
    if (pending !== null) clearImmediate(pending);
    pending = null;
    done();
  });
}
