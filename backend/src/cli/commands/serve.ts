import { Command, Option } from 'commander';
import { DEFAULT_QUERY_LIMITS } from '../../api/limits.ts';
import { DEFAULT_MAX_UPLOAD_BYTES } from '../../api/routes/analyses.ts';
import { localJournalAvailable } from '../../sources/journalctl.ts';
import { DEFAULT_QUERY_CACHE_BYTES } from '../../store/read/cache-budget.ts';
import { DEFAULT_RETENTION } from '../../store/retention.ts';
import { configOption, dataOption, envOption, positiveInt } from '../options.ts';

export const DEFAULT_PORT = 8470;

export function serveCommand(): Command {
  return new Command('serve')
    .summary('run the Lookout backend: pull from agents, ingest, detect, serve the API')
    .description(
      'Run the Lookout backend: pull from agents, follow the local journal, take pushes, detect, and serve the API.\n\n' +
        'Example: lookout serve --source http://web-1:19531 --source http://db-1:19531',
    )
    .addOption(
      envOption(
        '--source <url...>',
        'agent URL to pull from (systemd-journal-gatewayd or lookout agent), repeatable',
        'LOOKOUT_SOURCES',
      )
        .argParser((value: string, previous: string[] | undefined) => [
          ...(previous ?? []),
          ...value.split(',').filter(Boolean),
        ])
        .default([]),
    )
    .addOption(
      envOption(
        '--source-token <token>',
        'bearer token to send to agents that require one',
        'LOOKOUT_SOURCE_TOKEN',
      ),
    )
    .addOption(
      new Option('--local <mode>', "follow this host's journal with journalctl; auto: when this host has one")
        .env('LOOKOUT_LOCAL')
        .choices(['auto', 'on', 'off'])
        .default('auto'),
    )
    .addOption(
      envOption(
        '--journal-dir <dir>',
        'follow this journal directory instead of the system journal',
        'LOOKOUT_JOURNAL_DIR',
      ),
    )
    .addOption(dataOption())
    .addOption(
      envOption(
        '--host <address>',
        'address to listen on (not loopback: needs --token)',
        'LOOKOUT_HOST',
      ).default('127.0.0.1'),
    )
    .addOption(
      envOption('--port <n>', 'port to listen on', 'LOOKOUT_PORT')
        .default(DEFAULT_PORT)
        .argParser(positiveInt('--port')),
    )
    .addOption(
      envOption('--token <token>', 'API token with full access (Authorization: Bearer)', 'LOOKOUT_TOKEN'),
    )
    .addOption(
      envOption(
        '--read-token <token>',
        'token that may only read (queries, Grafana datasources, /metrics)',
        'LOOKOUT_READ_TOKEN',
      ),
    )
    .addOption(
      envOption(
        '--ingest-token <token>',
        'token that may only push entries to /api/v1/ingest',
        'LOOKOUT_INGEST_TOKEN',
      ),
    )
    .addOption(
      envOption(
        '--cors-origin <origin>',
        'let browser pages from this origin call the API (e.g. https://grafana.example.com); default: none',
        'LOOKOUT_CORS_ORIGIN',
      ),
    )
    .addOption(
      envOption('--max-query-days <n>', 'longest span of time one query may read', 'LOOKOUT_MAX_QUERY_DAYS')
        .default(DEFAULT_QUERY_LIMITS.maxRangeDays)
        .argParser(positiveInt('--max-query-days')),
    )
    .addOption(
      envOption(
        '--query-cache-mb <n>',
        'memory for recently queried series (MiB); less memory, slower repeated queries',
        'LOOKOUT_QUERY_CACHE_MB',
      )
        .default(DEFAULT_QUERY_CACHE_BYTES / 2 ** 20)
        .argParser(positiveInt('--query-cache-mb')),
    )
    .addOption(
      envOption('--max-ingest-bytes <n>', 'largest push body accepted', 'LOOKOUT_MAX_INGEST_BYTES')
        .default(16 * 1024 * 1024)
        .argParser(positiveInt('--max-ingest-bytes')),
    )
    .addOption(
      envOption(
        '--max-upload-bytes <n>',
        'largest log file accepted for analysis (POST /api/v1/analyses)',
        'LOOKOUT_MAX_UPLOAD_BYTES',
      )
        .default(DEFAULT_MAX_UPLOAD_BYTES)
        .argParser(positiveInt('--max-upload-bytes')),
    )
    .addOption(
      envOption('--retention-hours <n>', 'keep raw entries this long', 'LOOKOUT_RETENTION_HOURS')
        .default(DEFAULT_RETENTION.maxAgeHours)
        .argParser(positiveInt('--retention-hours')),
    )
    .addOption(
      envOption('--max-entries <n>', 'keep at most this many raw entries', 'LOOKOUT_MAX_ENTRIES')
        .default(DEFAULT_RETENTION.maxEntries)
        .argParser(positiveInt('--max-entries')),
    )
    .addOption(
      new Option('--log-level <level>', 'log level')
        .env('LOOKOUT_LOG_LEVEL')
        .choices(['fatal', 'error', 'warn', 'info', 'debug', 'trace'])
        .default('info'),
    )
    .addOption(configOption())
    .action(async (options: ServeOptions) => {
      // Loaded here, as pino: the server and its models would cost every other command 100 MB and a slower start.
      const { pino } = await import('pino');
      const { startLookout } = await import('../../app/lookout.ts');
      const lookout = await startLookout({
        dataDir: options.data,
        host: options.host,
        port: options.port,
        sources: options.source,
        sourceToken: options.sourceToken,
        localJournal:
          options.local === 'on' ||
          (options.local === 'auto' && (Boolean(options.journalDir) || localJournalAvailable())),
        journalDirectory: options.journalDir,
        token: options.token,
        readToken: options.readToken,
        ingestToken: options.ingestToken,
        maxIngestBytes: options.maxIngestBytes,
        maxUploadBytes: options.maxUploadBytes,
        corsOrigin: options.corsOrigin,
        maxQueryDays: options.maxQueryDays,
        queryCacheBytes: options.queryCacheMb * 2 ** 20,
        retention: { maxAgeHours: options.retentionHours, maxEntries: options.maxEntries },
        logger: pino({ level: options.logLevel }),
      });
      const shutdown = (signal: string) => {
        lookout.api.log.info(`${signal}: shutting down`);
        lookout.close().then(
          () => process.exit(0),
          (error: Error) => {
            console.error(`lookout: shutdown failed: ${error.message}`);
            process.exit(1);
          },
        );
      };
      process.once('SIGINT', () => shutdown('SIGINT'));
      process.once('SIGTERM', () => shutdown('SIGTERM'));
    });
}

interface ServeOptions {
  source: string[];
  sourceToken?: string;
  local: 'auto' | 'on' | 'off';
  journalDir?: string;
  data: string;
  host: string;
  port: number;
  token?: string;
  readToken?: string;
  ingestToken?: string;
  corsOrigin?: string;
  maxQueryDays: number;
  queryCacheMb: number;
  maxIngestBytes: number;
  maxUploadBytes: number;
  retentionHours: number;
  maxEntries: number;
  logLevel: string;
}
