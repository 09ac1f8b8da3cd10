import { STATUS_CODES } from 'node:http';
import Fastify, { LogController } from 'fastify';
import type { FastifyBaseLogger, FastifyInstance } from 'fastify';
import type { MinerStats } from '../mining/miner.ts';
import type { EntrySink } from '../sources/sink.ts';
import type { Store } from '../store/store.ts';
import { authHook } from './auth.ts';
import type { AuthConfig } from './auth.ts';
import { healthRoutes } from './routes/health.ts';
import { ingestRoutes } from './routes/ingest.ts';
import { metricsRoutes } from './routes/metrics.ts';
import { sourcesRoutes } from './routes/sources.ts';

export interface ApiOptions {
  store: Store;
  sink: EntrySink;
  minerStats: () => MinerStats;
  auth: AuthConfig;
  maxIngestBytes: number;
  version: string;
  isReady: () => boolean;
  /** Pino logger shared with the rest of the process; silent when absent. */
  logger?: FastifyBaseLogger;
}

/** The HTTP API: one encapsulated plugin per route group, each route with its JSON schema. */
export function buildApi(options: ApiOptions): FastifyInstance {
  const app = Fastify({
    ...(options.logger ? { loggerInstance: options.logger } : { logger: false }),
    // Request bodies other than pushes are small; pushes set their own limit.
    bodyLimit: 1 << 20,
    // One line per request would drown the log at Grafana's polling rates; errors are still logged.
    logController: new LogController({ disableRequestLogging: true }),
  });
  app.addHook('onRequest', authHook(options.auth));
  app.setErrorHandler((error: Error & { statusCode?: number; code?: string }, request, reply) => {
    if (error.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
      return reply.code(413).send({
        error: 'Payload Too Large',
        message: `request body is over the ${options.maxIngestBytes} byte limit: send smaller batches, or raise --max-ingest-bytes`,
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

  app.register(healthRoutes, { isReady: options.isReady, version: options.version });
  app.register(sourcesRoutes, { sources: options.store.sources });
  app.register(ingestRoutes, { sink: options.sink, maxBodyBytes: options.maxIngestBytes });
  app.register(metricsRoutes, { sources: options.store.sources, minerStats: options.minerStats });
  return app;
}
