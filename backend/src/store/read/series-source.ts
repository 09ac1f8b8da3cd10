import {
  compareLabels,
  sortByLabels,
  type LabelMatcher,
  type Labels,
  type SelectOptions,
  type SeriesSource,
  type StoredSeries,
  type WrittenPoints,
} from '../../api/prometheus/index.ts';
import type { Db } from '../database.ts';
import { CacheBudget, DEFAULT_QUERY_CACHE_BYTES } from './cache-budget.ts';
import { CounterHistory } from './counter-history.ts';
import {
  COUNTS_BY_KEY,
  counterWindow,
  cumulatedSeries,
  keysOf,
  lastCounterMinute,
  type CounterWindow,
  type CountsByKey,
  type RowVisitor,
} from './counter-series.ts';
import { EventCounts } from './event-counts.ts';
import { LabelSets, selectMetrics, type MetricSelection } from './metric-selection.ts';
import { ENTRIES_METRIC, EVENTS_METRIC, SCORE_METRIC } from './metrics.ts';
import { MinuteCache, type MinuteTable } from './minute-cache.ts';
import { chunkOf, CHUNK_MINUTES, MS_PER_MINUTE } from './minutes.ts';
import { SCORE_TEXT, ScoreSeries } from './score-series.ts';
import { SeriesCatalog, type SeriesRow } from './series-catalog.ts';
import { StoreChanges } from './store-changes.ts';

export interface StoreSeriesSourceOptions {
  /** The clock: counters are sampled up to the last whole minute before it. */
  readonly nowMs?: () => number;
  /** Memory for the query cache, all tables together (DEFAULT_QUERY_CACHE_BYTES). */
  readonly maxCacheBytes?: number;
  /** The most (host, unit) series one selector of lookout_template_entries_total may read. */
  readonly maxTemplateSeries?: number;
  /** How long detection may still rewrite the score of a minute after its entries came in. */
  readonly scoreSettleMs?: number;
}

export const DEFAULT_MAX_TEMPLATE_SERIES = 50;
const DEFAULT_SCORE_SETTLE_MS = 10 * MS_PER_MINUTE;

const ENTRY_COUNTS: MinuteTable = { table: 'entry_counts', keyColumn: 'priority', valueColumn: 'count' };
const TEMPLATE_COUNTS: MinuteTable = {
  table: 'template_counts',
  keyColumn: 'template_id',
  valueColumn: 'count',
};
const SCORES: MinuteTable = { table: 'anomaly_scores', keyColumn: null, valueColumn: 'score' };

interface CounterTable {
  readonly rows: MinuteCache<CountsByKey>;
  readonly history: CounterHistory;
}

/**
 * The PromQL engine's view of the SQLite store: lookout_anomaly_score (a gauge, per minute),
 * lookout_log_entries_total and lookout_template_entries_total (counters cumulated from the per-minute
 * counts), lookout_anomaly_events_total (a counter of events). See docs/api.md for the labels.
 */
export class StoreSeriesSource implements SeriesSource {
  readonly catalog: SeriesCatalog;
  private readonly labelSets = new LabelSets();
  private readonly changes: StoreChanges;
  private readonly scores: ScoreSeries;
  private readonly scoreRows: MinuteCache<WrittenPoints>;
  private readonly entryCounts: CounterTable;
  private readonly templateCounts: CounterTable;
  private readonly events: EventCounts;
  private readonly nowMs: () => number;
  private readonly maxTemplateSeries: number;
  private readonly budget: CacheBudget;

  constructor(db: Db, options: StoreSeriesSourceOptions = {}) {
    this.nowMs = options.nowMs ?? Date.now;
    this.maxTemplateSeries = options.maxTemplateSeries ?? DEFAULT_MAX_TEMPLATE_SERIES;
    this.catalog = new SeriesCatalog(db);
    this.changes = new StoreChanges(db, this.nowMs);
    this.budget = new CacheBudget(options.maxCacheBytes ?? DEFAULT_QUERY_CACHE_BYTES);
    const cacheOptions = {
      budget: this.budget,
      nowMs: this.nowMs,
      storeVersion: () => this.changes.version,
    };
    const counterTable = (spec: MinuteTable): CounterTable => {
      const rows = new MinuteCache(db, spec, { ...cacheOptions, settleMs: 0, form: COUNTS_BY_KEY });
      const history = new CounterHistory(db, rows);
      this.changes.subscribe({ touched: (...args) => rows.touch(...args), reset: () => rows.clear() });
      this.changes.subscribe(history);
      return { rows, history };
    };
    this.entryCounts = counterTable(ENTRY_COUNTS);
    this.templateCounts = counterTable(TEMPLATE_COUNTS);
    const scoreRows = new MinuteCache(db, SCORES, {
      ...cacheOptions,
      settleMs: options.scoreSettleMs ?? DEFAULT_SCORE_SETTLE_MS,
      form: SCORE_TEXT,
    });
    this.changes.subscribe({
      touched: (...args) => scoreRows.touch(...args),
      reset: () => scoreRows.clear(),
    });
    this.scoreRows = scoreRows;
    this.scores = new ScoreSeries(db, scoreRows);
    this.events = new EventCounts(db);
  }

  *select(
    matchers: readonly LabelMatcher[],
    startMs: number,
    endMs: number,
    options: SelectOptions = {},
  ): Iterable<StoredSeries> {
    this.changes.poll();
    for (const selection of selectMetrics(
      matchers,
      this.catalog,
      this.labelSets,
      this.maxTemplateSeries,
      'refuse',
    )) {
      if (selection.metric === SCORE_METRIC) {
        yield* this.scores.select(selection, startMs, endMs, options.text === true);
        continue;
      }
      const window = counterWindow(startMs, endMs, this.nowMs());
      if (window === null) continue;
      if (selection.metric === EVENTS_METRIC) yield* this.events.select(selection, window);
      else yield* this.counterSeries(selection, window);
    }
  }

  /**
   * The label sets of the series that have samples in [startMs, endMs], without reading the samples:
   * what /api/v1/series, /api/v1/labels and /api/v1/label/<name>/values answer.
   */
  seriesLabels(matchers: readonly LabelMatcher[], startMs: number, endMs: number): Labels[] {
    this.changes.poll();
    const found: Labels[] = [];
    for (const selection of selectMetrics(
      matchers,
      this.catalog,
      this.labelSets,
      this.maxTemplateSeries,
      'skip',
    )) {
      if (selection.metric === SCORE_METRIC) {
        found.push(...this.scores.labels(selection, startMs, endMs));
        continue;
      }
      // A counter has a sample every minute from its first until now, so it has one in the range
      // exactly when it has one at the range's last sampled minute.
      const lastMinute = lastCounterMinute(endMs, this.nowMs());
      if ((lastMinute + 1) * MS_PER_MINUTE < startMs) continue;
      const atEnd = counterWindow(lastMinute * MS_PER_MINUTE, (lastMinute + 1) * MS_PER_MINUTE, this.nowMs());
      if (atEnd === null) continue;
      const series =
        selection.metric === EVENTS_METRIC
          ? this.events.select(selection, atEnd)
          : this.counterSeries(selection, atEnd);
      for (const stored of series) found.push(stored.labels);
    }
    return found.sort(compareLabels);
  }

  labelNames(matchers: readonly LabelMatcher[], startMs: number, endMs: number): string[] {
    const names = new Set<string>();
    for (const labels of this.seriesLabels(matchers, startMs, endMs)) {
      for (const name of Object.keys(labels)) names.add(name);
    }
    return [...names].sort();
  }

  labelValues(name: string, matchers: readonly LabelMatcher[], startMs: number, endMs: number): string[] {
    const values = new Set<string>();
    for (const labels of this.seriesLabels(matchers, startMs, endMs)) {
      const value = labels[name];
      if (value !== undefined && value !== '') values.add(value);
    }
    return [...values].sort();
  }

  /** Per-minute entry counts of one series by priority (-1: none), in (minute, priority) order. */
  visitEntryCounts(seriesId: number, fromMinute: number, toMinute: number, visit: RowVisitor): void {
    this.changes.poll();
    this.entryCounts.rows.read(seriesId, fromMinute, toMinute, visit);
  }

  /** Per-minute entry counts of one series by template id. */
  visitTemplateCounts(seriesId: number, fromMinute: number, toMinute: number, visit: RowVisitor): void {
    this.changes.poll();
    this.templateCounts.rows.read(seriesId, fromMinute, toMinute, visit);
  }

  /**
   * Reads the last `spanMs` of every series' scores and entry counts (grouped by key, see CountsByKey)
   * into the cache, with the counters' sums before it: what the first dashboard query after a start
   * would otherwise read from SQLite (seconds for a thousand series). Returns a step that reads one
   * series and says whether any are left, so that a caller can spread the work between requests. Stops
   * early once the cache is three quarters full, leaving the rest for what queries ask for.
   */
  warmUp(spanMs: number): () => boolean {
    const rows = this.catalog.all();
    let next = 0;
    return () => {
      const row = rows[next++];
      if (row === undefined) return false;
      this.changes.poll();
      const nowMs = this.nowMs();
      const toMinute = Math.floor(nowMs / MS_PER_MINUTE);
      const chunkStart = chunkOf(Math.floor((nowMs - spanMs) / MS_PER_MINUTE)) * CHUNK_MINUTES;
      this.scoreRows.preload(row.id, chunkStart, toMinute);
      // Grouped by key as well, as every counter query reads them.
      this.entryCounts.rows.forms(row.id, chunkStart, toMinute, []);
      this.entryCounts.history.baseline(row.id, chunkStart);
      return next < rows.length && this.budget.usedBytes < 0.75 * this.budget.maxBytes;
    };
  }

  /** Forgets cached scores: detection rewrote minutes that no new entry points to (after feedback). */
  forgetScores(): void {
    this.scores.forget();
  }

  /** Bytes of cached rows, per table. */
  cacheBytes(): Record<string, number> {
    return {
      anomaly_scores: this.scores.cachedBytes,
      entry_counts: this.entryCounts.rows.cachedBytes,
      template_counts: this.templateCounts.rows.cachedBytes,
    };
  }

  /**
   * In label order: the catalog's rows are in host order, and a host's series are sorted before any is
   * made. Each is cumulated into the same array when it is asked for, which the next one overwrites: a
   * few kilobytes that stay in the CPU's cache, rather than the arrays of all of a host's series.
   */
  private *counterSeries(selection: MetricSelection, window: CounterWindow): Iterable<StoredSeries> {
    const table = selection.metric === ENTRIES_METRIC ? this.entryCounts : this.templateCounts;
    // From the chunk's start, which the history sums up to, so that it stays put as windows move.
    const chunkStart = chunkOf(window.fromMinute) * CHUNK_MINUTES;
    const values = new Float64Array(window.toMinute - window.fromMinute + 1);
    // Per unit of the current host: its chunks and sums before them, and its keys' series to make.
    const hostChunks: CountsByKey[][] = [];
    const hostBaselines: ReadonlyMap<number, number>[] = [];
    const hostSeries: { labels: Labels; unit: number; key: number }[] = [];
    const { series } = selection;
    for (let first = 0; first < series.length;) {
      const host = (series[first] as SeriesRow).host;
      hostSeries.length = 0;
      let next = first;
      for (; next < series.length && (series[next] as SeriesRow).host === host; next++) {
        const row = series[next] as SeriesRow;
        const unit = next - first;
        const baseline = table.history.baseline(row.id, chunkStart).totals;
        const chunks = (hostChunks[unit] ??= []);
        chunks.length = 0;
        table.rows.forms(row.id, chunkStart, window.toMinute, chunks);
        hostBaselines[unit] = baseline;
        for (const key of keysOf(baseline, chunks)) {
          const labels = selection.labelsOf(row, key < 0 ? '' : String(key));
          if (labels !== null) hostSeries.push({ labels, unit, key });
        }
      }
      for (const { labels, unit, key } of sortByLabels(hostSeries)) {
        const chunks = hostChunks[unit] as CountsByKey[];
        const baseline = hostBaselines[unit]?.get(key);
        const cumulated = cumulatedSeries(window, baseline, chunks, key, labels, values);
        if (cumulated !== null) yield cumulated;
      }
      first = next;
    }
  }
}
