import { sortByLabels, type StoredSeries } from '../../api/prometheus/index.ts';
import type { Db } from '../database.ts';
import { countsByKey, cumulativeSeries, type CounterWindow } from './counter-series.ts';
import type { MetricSelection } from './metric-selection.ts';
import { US_PER_MINUTE } from './minutes.ts';

/**
 * lookout_anomaly_events_total: events counted in the minute they start, under their main reason (the
 * most frequent, listed first), so that the counters of one series add up to its number of events.
 * Events are few (one per incident), so every query sums them in SQLite afresh.
 */
export class EventCounts {
  private readonly startsBefore;

  constructor(db: Db) {
    this.startsBefore = db
      .prepare<[number], [number, string, number, number]>(
        `SELECT series_id, coalesce(json_extract(reasons, '$[0]'), ''), start_us / ${US_PER_MINUTE} AS minute, count(*)
         FROM events WHERE start_us < ? GROUP BY 1, 2, 3 ORDER BY 1, 3`,
      )
      .raw(true);
  }

  /** In label order. */
  *select(selection: MetricSelection, window: CounterWindow): Iterable<StoredSeries> {
    const wanted = new Map(selection.series.map((row) => [row.id, row]));
    const perSeries = new Map<number, [string, number, number][]>();
    const endUs = (window.toMinute + 1) * US_PER_MINUTE;
    for (const [seriesId, reason, minute, count] of this.startsBefore.iterate(endUs)) {
      if (!wanted.has(seriesId)) continue;
      let rows = perSeries.get(seriesId);
      if (rows === undefined) perSeries.set(seriesId, (rows = []));
      rows.push([reason, minute, count]);
    }
    const found: StoredSeries[] = [];
    for (const [seriesId, rows] of perSeries) {
      const row = wanted.get(seriesId);
      if (row === undefined) continue;
      const reasons = [...new Set(rows.map(([reason]) => reason))];
      const keyOf = new Map(reasons.map((reason, key) => [reason, key]));
      const counts = countsByKey({
        minutes: Int32Array.from(rows, ([, minute]) => minute),
        keys: Int32Array.from(rows, ([reason]) => keyOf.get(reason) as number),
        values: Float64Array.from(rows, ([, , count]) => count),
      });
      found.push(
        ...cumulativeSeries(window, new Map(), [counts], (key) =>
          selection.labelsOf(row, reasons[key] ?? ''),
        ),
      );
    }
    // Each series has arrays of its own, so all can be held to sort them.
    yield* sortByLabels(found);
  }
}
