import { badData, compareStrings, type LabelMatcher, type Labels } from '../../api/prometheus/index.ts';
import { KEY_LABEL, METRIC_NAMES, TEMPLATE_ENTRIES_METRIC, type MetricName } from './metrics.ts';
import type { SeriesCatalog, SeriesRow } from './series-catalog.ts';

/** What one selector asks of one metric: the (host, unit) series to read and the key labels to keep. */
export interface MetricSelection {
  readonly metric: MetricName;
  readonly series: readonly SeriesRow[];
  /** Labels of a key of a series, or null when the selector leaves that key out. */
  labelsOf(row: SeriesRow, keyValue: string): Labels | null;
}

/** The metric name is the first label of every series: the order a source yields its series in. */
const METRICS_BY_NAME = [...METRIC_NAMES].sort(compareStrings);

/**
 * Splits a selector's matchers by what they filter: `__name__` picks metrics, host and unit pick rows of
 * the series table (thousands at most, held in memory, so this is where they are pushed down), the
 * metric's key label picks keys while reading, and a matcher on any other label keeps the metric only
 * if it accepts the empty value. Per-template counters over too many series are refused (queries) or
 * left out (label look-ups, which Grafana makes without a selector). The selections come in metric
 * name order, each with its series in catalog order.
 */
export function selectMetrics(
  matchers: readonly LabelMatcher[],
  catalog: SeriesCatalog,
  labelSets: LabelSets,
  maxTemplateSeries: number,
  tooManyTemplateSeries: 'refuse' | 'skip',
): MetricSelection[] {
  const selections: MetricSelection[] = [];
  for (const metric of METRICS_BY_NAME) {
    const keyLabel = KEY_LABEL[metric];
    const seriesMatchers: LabelMatcher[] = [];
    const keyMatchers: LabelMatcher[] = [];
    let possible = true;
    for (const matcher of matchers) {
      if (matcher.name === '__name__') possible &&= matcher.matches(metric);
      else if (matcher.name === 'host' || matcher.name === 'unit') seriesMatchers.push(matcher);
      else if (matcher.name === keyLabel) keyMatchers.push(matcher);
      else possible &&= matcher.matches('');
    }
    if (!possible) continue;
    const series = catalog
      .all()
      .filter((row) =>
        seriesMatchers.every((matcher) => matcher.matches(matcher.name === 'host' ? row.host : row.unit)),
      );
    if (series.length === 0) continue;
    if (metric === TEMPLATE_ENTRIES_METRIC && series.length > maxTemplateSeries) {
      if (tooManyTemplateSeries === 'skip') continue;
      throw badData(
        `${TEMPLATE_ENTRIES_METRIC} selects ${series.length} (host, unit) series, more than the ${maxTemplateSeries} ` +
          'it reads at a time: narrow the selector with host="..." and/or unit="..." (or use lookout_log_entries_total)',
      );
    }
    selections.push({
      metric,
      series,
      labelsOf(row, keyValue) {
        if (!keyMatchers.every((matcher) => matcher.matches(keyValue))) return null;
        return labelSets.of(metric, row, keyValue);
      },
    });
  }
  return selections;
}

/**
 * The label sets of the store's series, made once and handed out again query after query, so that what
 * the engine derives from a label set (how it sorts, its labels without the metric name) is kept with it.
 */
export class LabelSets {
  private readonly byMetric = new Map<MetricName, WeakMap<SeriesRow, Map<string, Labels>>>();

  /** The labels of a series' key (priority, template id, reason; '' for none) in a metric. */
  of(metric: MetricName, row: SeriesRow, keyValue: string): Labels {
    let byRow = this.byMetric.get(metric);
    if (byRow === undefined) this.byMetric.set(metric, (byRow = new WeakMap()));
    let byKey = byRow.get(row);
    if (byKey === undefined) byRow.set(row, (byKey = new Map()));
    let labels = byKey.get(keyValue);
    if (labels === undefined) {
      const keyLabel = KEY_LABEL[metric];
      const made: Record<string, string> = { __name__: metric, host: row.host, unit: row.unit };
      if (keyLabel !== null && keyValue !== '') made[keyLabel] = keyValue;
      labels = Object.freeze(made);
      byKey.set(keyValue, labels);
    }
    return labels;
  }
}
