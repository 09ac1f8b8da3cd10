import type { FastifyPluginAsync } from 'fastify';
import type { MinerStats } from '../../mining/miner.ts';
import { ENTRIES_METRIC, EVENTS_METRIC, METRIC_METADATA, SCORE_METRIC } from '../../store/read/metrics.ts';
import type { StoreSeriesSource } from '../../store/read/series-source.ts';
import type { SourceTable } from '../../store/sources.ts';
import { EXPOSITION_CONTENT_TYPE, renderExposition } from '../exposition.ts';
import type { MetricFamily } from '../exposition.ts';
import { instantQuery } from '../prometheus/index.ts';
import type { RequestLatency } from '../request-latency.ts';

/** A model in use, as the metrics report it. */
export interface ModelTraining {
  /** `entries` (the Isolation Forest on entries) or `rates` (the autoencoder on per-minute counts). */
  model: string;
  version: string;
  /** When the model in use was trained. */
  trainedAtMs: number;
  /** How long that training took; null for a model trained by an earlier run of the process. */
  seconds: number | null;
}

export interface MetricsOptions {
  sources: SourceTable;
  minerStats: () => MinerStats;
  /** The models in use that have been trained (none before the first training). */
  models: () => ModelTraining[];
  series: StoreSeriesSource;
  latency: RequestLatency;
}

/**
 * The current value of each stored series, as an instant query at this moment sees it, so that a
 * Prometheus scraping Lookout stores what Lookout's own query API answers.
 */
function currentValues(
  series: StoreSeriesSource,
  metric: typeof SCORE_METRIC | typeof ENTRIES_METRIC | typeof EVENTS_METRIC,
): MetricFamily {
  const result = instantQuery(series, metric, Date.now());
  const samples =
    result.resultType === 'vector'
      ? result.samples.map(({ labels, value }) => {
          const { __name__: _name, ...rest } = labels;
          return { labels: rest, value };
        })
      : [];
  const { type, help } = METRIC_METADATA[metric];
  return { name: metric, help, type: type === 'counter' ? 'counter' : 'gauge', samples };
}

/** `GET /metrics`: Lookout's own health in the Prometheus exposition format, for a scraper. */
export const metricsRoutes: FastifyPluginAsync<MetricsOptions> = async (app, options) => {
  app.get(
    '/metrics',
    {
      config: { scope: 'read' },
      schema: {
        summary: "Lookout's own metrics in the Prometheus text exposition format",
        produces: ['text/plain'],
        response: { 200: { type: 'string' } },
      },
    },
    async (_request, reply) => {
      const sources = options.sources.list();
      const perSource = (value: (row: (typeof sources)[number]) => number | null) =>
        sources.flatMap((row) => {
          const sample = value(row);
          return sample === null ? [] : [{ labels: { source: row.key, kind: row.kind }, value: sample }];
        });
      const miner = options.minerStats();
      const families: MetricFamily[] = [
        {
          name: 'lookout_source_entries_ingested_total',
          help: 'Entries stored from each source.',
          type: 'counter',
          samples: perSource((row) => row.entriesIngested),
        },
        {
          name: 'lookout_source_lines_rejected_total',
          help: 'Lines from each source that were not journald JSON objects (parse errors).',
          type: 'counter',
          samples: perSource((row) => row.linesRejected),
        },
        {
          name: 'lookout_source_lag_seconds',
          help: 'Seconds between the last stored entry being logged and being stored.',
          type: 'gauge',
          samples: perSource((row) => row.lagSeconds),
        },
        {
          name: 'lookout_source_up',
          help: '1 when the source reports no error, 0 while it does.',
          type: 'gauge',
          samples: perSource((row) => (row.lastError === null ? 1 : 0)),
        },
        {
          name: 'lookout_source_last_entry_timestamp_seconds',
          help: 'Time of the last stored entry of each source.',
          type: 'gauge',
          samples: perSource((row) => (row.lastEntryUs === null ? null : row.lastEntryUs / 1e6)),
        },
        {
          name: 'lookout_templates',
          help: 'Log templates the miner holds.',
          type: 'gauge',
          samples: [{ value: miner.templates }],
        },
        {
          name: 'lookout_template_evictions_total',
          help: 'Templates forgotten (least recently seen first) to stay within the template limit.',
          type: 'counter',
          samples: [{ value: miner.evictions }],
        },
        {
          name: 'lookout_mined_lines_total',
          help: 'Messages mined into templates.',
          type: 'counter',
          samples: [{ value: miner.lines }],
        },
        currentValues(options.series, SCORE_METRIC),
        currentValues(options.series, ENTRIES_METRIC),
        currentValues(options.series, EVENTS_METRIC),
        {
          name: 'lookout_query_cache_bytes',
          help: 'Memory held by the query cache, by table: per-minute rows and what is kept made from them (response text, counts by key).',
          type: 'gauge',
          samples: Object.entries(options.series.cacheBytes()).map(([table, bytes]) => ({
            labels: { table },
            value: bytes,
          })),
        },
        ...modelFamilies(options.models()),
        options.latency.family(),
      ];
      return reply.type(EXPOSITION_CONTENT_TYPE).send(renderExposition(families));
    },
  );
};

function modelFamilies(models: ModelTraining[]): MetricFamily[] {
  const nowMs = Date.now();
  return [
    {
      name: 'lookout_model_info',
      help: 'The version of each model in use (1 per model).',
      type: 'gauge',
      samples: models.map(({ model, version }) => ({ labels: { model, version }, value: 1 })),
    },
    {
      name: 'lookout_model_age_seconds',
      help: 'Seconds since the model in use was trained.',
      type: 'gauge',
      samples: models.map(({ model, trainedAtMs }) => ({
        labels: { model },
        value: Math.max(0, (nowMs - trainedAtMs) / 1000),
      })),
    },
    {
      name: 'lookout_model_training_seconds',
      help: 'How long the training of the model in use took (for models trained since this process started).',
      type: 'gauge',
      samples: models.flatMap(({ model, seconds }) =>
        seconds === null ? [] : [{ labels: { model }, value: seconds }],
      ),
    },
  ];
}
