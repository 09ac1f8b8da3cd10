import type { Db } from './database.ts';

export interface SeriesCounts {
  host: string;
  unit: string;
  /** Minutes since the epoch of `counts[0]`. */
  startMinute: number;
  /** Entries per minute (all priorities), 0 where there were none. */
  counts: Float32Array;
}

/** Per-minute entry counts of every (host, unit) over a span of minutes: what the rate model learns from. */
export function countSeries(db: Db, fromMinute: number, toMinute: number): SeriesCounts[] {
  const rows = db
    .prepare<
      [number, number],
      { seriesId: number; host: string; unit: string; minute: number; count: number }
    >(
      `SELECT c.series_id AS seriesId, s.host, s.unit, c.minute, sum(c.count) AS count
       FROM entry_counts c JOIN series s ON s.id = c.series_id
       WHERE c.minute BETWEEN ? AND ? GROUP BY c.series_id, c.minute`,
    )
    .all(fromMinute, toMinute);
  const length = toMinute - fromMinute + 1;
  const bySeries = new Map<number, SeriesCounts>();
  for (const row of rows) {
    let series = bySeries.get(row.seriesId);
    if (series === undefined) {
      series = { host: row.host, unit: row.unit, startMinute: fromMinute, counts: new Float32Array(length) };
      bySeries.set(row.seriesId, series);
    }
    series.counts[row.minute - fromMinute] = row.count;
  }
  return [...bySeries.values()];
}
