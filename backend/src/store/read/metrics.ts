import type { MetricMetadata } from '../../api/prometheus/index.ts';

/** The series Lookout serves through its Prometheus-compatible API, and what each one means. */
export const SCORE_METRIC = 'lookout_anomaly_score';
export const ENTRIES_METRIC = 'lookout_log_entries_total';
export const EVENTS_METRIC = 'lookout_anomaly_events_total';
export const TEMPLATE_ENTRIES_METRIC = 'lookout_template_entries_total';

export const METRIC_NAMES = [SCORE_METRIC, ENTRIES_METRIC, EVENTS_METRIC, TEMPLATE_ENTRIES_METRIC] as const;
export type MetricName = (typeof METRIC_NAMES)[number];

/** The label besides host and unit that splits each metric, if any. */
export const KEY_LABEL: Readonly<Record<MetricName, string | null>> = {
  [SCORE_METRIC]: null,
  [ENTRIES_METRIC]: 'priority',
  [EVENTS_METRIC]: 'reason',
  [TEMPLATE_ENTRIES_METRIC]: 'template_id',
};

export const METRIC_METADATA: Readonly<Record<MetricName, MetricMetadata>> = {
  [SCORE_METRIC]: {
    type: 'gauge',
    help: 'Anomaly score of each (host, unit) minute, calibrated to 0..1; one sample a minute at its start.',
    unit: '',
  },
  [ENTRIES_METRIC]: {
    type: 'counter',
    help:
      'Journal entries of each (host, unit) by syslog priority (0 emerg .. 7 debug; no label: none), ' +
      'counted since the series began; one sample at the end of every minute.',
    unit: '',
  },
  [EVENTS_METRIC]: {
    type: 'counter',
    help: 'Anomaly events of each (host, unit) by main reason, counted when they start.',
    unit: '',
  },
  [TEMPLATE_ENTRIES_METRIC]: {
    type: 'counter',
    help:
      'Journal entries of each (host, unit) by log template id, counted since the series began; ' +
      'select a few hosts or units at a time.',
    unit: '',
  },
};
