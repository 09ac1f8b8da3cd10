import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { pino } from 'pino';
import type { Logger } from 'pino';
import { DEFAULT_QUERY_LIMITS } from '../api/limits.ts';
import { DEFAULT_MAX_UPLOAD_BYTES } from '../api/routes/analyses.ts';
import type { FeedbackHandler } from '../api/routes/feedback.ts';
import { buildApi } from '../api/server.ts';
import { GatewaydSource } from '../sources/gatewayd.ts';
import { JournalctlSource } from '../sources/journalctl.ts';
import { Store } from '../store/store.ts';
import type { RetentionLimits } from '../store/retention.ts';
import { workerAnalyses } from './analyses.ts';
import { detectorFeedback } from './feedback.ts';
import { IngestPipeline } from './pipeline.ts';
import { RateModelKeeper } from './rate-model.ts';
import { VERSION } from './version.ts';
import { isLoopback } from './loopback.ts';

export interface LookoutConfig {
  dataDir: string;
  host: string;
  port: number;
  /** Agent URLs (systemd-journal-gatewayd or `lookout agent`), one source each. */
  sources: string[];
  /** Bearer token sent to agents that require one. */
  sourceToken?: string;
  /** Also follow the journal of this host with journalctl. */
  localJournal: boolean;
  /** With localJournal: read this journal directory instead of the system journal. */
  journalDirectory?: string;
  token?: string;
  /** May only read: queries, Grafana's datasources. */
  readToken?: string;
  ingestToken?: string;
  maxIngestBytes: number;
  /** Largest log file accepted for analysis by `POST /api/v1/analyses`; DEFAULT_MAX_UPLOAD_BYTES when absent. */
  maxUploadBytes?: number;
  /** The one browser origin allowed to call the API (CORS); none when absent. */
  corsOrigin?: string;
  /** The longest span of time one query may read, in days. */
  maxQueryDays?: number;
  /** Memory for the query cache, in bytes; the API's default when absent. */
  queryCacheBytes?: number;
  /** Tells the live detector about feedback (mute/unmute at once); feedback is only stored when absent. */
  feedbackHandler?: FeedbackHandler;
  retention: RetentionLimits;
  logger?: Logger;
}

export interface RunningLookout {
  /** Base URL the API listens on. */
  url: string;
  api: FastifyInstance;
  store: Store;
  /** The ingest path, with its miner and detector. */
  pipeline: IngestPipeline;
  close(): Promise<void>;
}

const PRUNE_INTERVAL_MS = 60_000;
/** Analyses of uploaded files whose results stay for download. */
const KEPT_ANALYSES = 20;
/** Analyses of uploaded files that run at once: two cores' worth, beside ingest and queries. */
const RUNNING_ANALYSES = 2;
/** How much learning a crash can lose: the models are saved this often (and at shutdown). */
const MODEL_SAVE_INTERVAL_MS = 10 * 60_000;

/** Opens the store, starts every source and the API; `close()` stops them in the reverse order. */
export async function startLookout(config: LookoutConfig): Promise<RunningLookout> {
  if (!isLoopback(config.host) && !config.token) {
    throw new Error(
      `refusing to listen on ${config.host} without an API token: anyone who can reach it could read your logs. ` +
        'Set --token (or LOOKOUT_TOKEN), or listen on 127.0.0.1 behind a proxy that authenticates.',
    );
  }
  const log = config.logger ?? pino({ level: 'info' });
  const store = Store.open(config.dataDir, config.retention);
  const pipeline = new IngestPipeline(store, {
    log: { info: (message) => log.info(message), warn: (message) => log.warn(message) },
  });
  const rates = pipeline.detector ? new RateModelKeeper(store, pipeline.detector, log) : null;
  let ready = false;
  const api = buildApi({
    store,
    sink: pipeline,
    minerStats: () => pipeline.miner.stats,
    models: () =>
      [pipeline.refits?.lastTraining, rates?.lastTraining].filter(
        (model) => model !== null && model !== undefined,
      ),
    auth: { token: config.token, readToken: config.readToken, ingestToken: config.ingestToken },
    maxIngestBytes: config.maxIngestBytes,
    analyses: {
      runner: workerAnalyses,
      dir: join(config.dataDir, 'analyses'),
      maxUploadBytes: config.maxUploadBytes ?? DEFAULT_MAX_UPLOAD_BYTES,
      keep: KEPT_ANALYSES,
      maxRunning: RUNNING_ANALYSES,
    },
    limits: {
      ...DEFAULT_QUERY_LIMITS,
      maxRangeDays: config.maxQueryDays ?? DEFAULT_QUERY_LIMITS.maxRangeDays,
    },
    corsOrigin: config.corsOrigin,
    queryCacheBytes: config.queryCacheBytes,
    feedbackHandler:
      config.feedbackHandler ?? (pipeline.detector ? detectorFeedback(pipeline.detector, store) : undefined),
    version: VERSION,
    isReady: () => ready && store.db.open,
    logger: log,
  });

  const onLog = (level: 'info' | 'warn', message: string) => log[level](message);
  const pulls = config.sources.map(
    (url) => new GatewaydSource({ url, sink: pipeline, token: config.sourceToken, onLog }),
  );
  const local = config.localJournal
    ? new JournalctlSource({ sink: pipeline, directory: config.journalDirectory, onLog })
    : null;

  let address: string;
  try {
    address = await api.listen({ host: config.host, port: config.port });
  } catch (error) {
    store.close();
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE') {
      throw new Error(
        `port ${config.port} on ${config.host} is in use: stop the other process or pick --port`,
      );
    }
    throw error;
  }
  for (const pull of pulls) void pull.start();
  local?.start();
  const pruneTimer = setInterval(() => {
    try {
      const removed = store.prune();
      if (removed > 0) log.info(`retention: removed ${removed} raw entries`);
    } catch (error) {
      log.warn(`retention failed: ${(error as Error).message}`);
    }
  }, PRUNE_INTERVAL_MS).unref();
  await rates?.start();
  const saveTimer = setInterval(() => {
    try {
      pipeline.saveModels();
    } catch (error) {
      log.warn(`saving the models failed: ${(error as Error).message}`);
    }
  }, MODEL_SAVE_INTERVAL_MS).unref();
  ready = true;
  log.info(
    `Lookout ${VERSION} listening on ${address}; data in ${config.dataDir}; ` +
      `${pulls.length} agent source(s)${local ? ' + local journal' : ''}`,
  );

  let closing: Promise<void> | null = null;
  return {
    url: address,
    api,
    store,
    pipeline,
    close: () =>
      (closing ??= (async () => {
        ready = false;
        clearInterval(pruneTimer);
        clearInterval(saveTimer);
        for (const pull of pulls) pull.stop();
        local?.stop();
        await api.close();
        await rates?.stop();
        pipeline.close();
        store.close();
      })()),
  };
}
