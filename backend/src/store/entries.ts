import type { JournalEntry } from '../journal/entry.ts';
import type { Db } from './database.ts';
import type { SeriesTable } from './series.ts';

const MICROS_PER_MINUTE = 60_000_000;
/** Priority recorded in the counts for entries that carry none. */
export const NO_PRIORITY = -1;

/** Writes entries to the raw table and their per-minute counts. Call inside a transaction. */
export class EntryWriter {
  private readonly insertEntry;
  private readonly addCount;

  constructor(
    db: Db,
    private readonly series: SeriesTable,
  ) {
    this.insertEntry = db.prepare(
      'INSERT INTO entries (time_us, series_id, source_id, priority, pid, flags, message, extra) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
    );
    this.addCount = db.prepare(
      `INSERT INTO entry_counts (series_id, minute, priority, count) VALUES (?, ?, ?, ?)
       ON CONFLICT (series_id, minute, priority) DO UPDATE SET count = count + excluded.count`,
    );
  }

  write(sourceId: number, entries: readonly JournalEntry[]): void {
    // Counts are summed per batch first: one upsert per (series, minute, priority), not per entry.
    const counts = new Map<number, Map<number, number>>();
    for (const entry of entries) {
      const seriesId = this.series.idOf(entry.host, entry.unit);
      this.insertEntry.run(
        entry.timeUs,
        seriesId,
        sourceId,
        entry.priority,
        entry.pid,
        entry.flags,
        entry.message,
        entry.extra === null ? null : JSON.stringify(entry.extra),
      );
      const slot = Math.floor(entry.timeUs / MICROS_PER_MINUTE) * 16 + (entry.priority ?? NO_PRIORITY) + 1;
      let perSeries = counts.get(seriesId);
      if (perSeries === undefined) counts.set(seriesId, (perSeries = new Map()));
      perSeries.set(slot, (perSeries.get(slot) ?? 0) + 1);
    }
    for (const [seriesId, perSeries] of counts) {
      for (const [slot, count] of perSeries) {
        this.addCount.run(seriesId, Math.floor(slot / 16), (slot % 16) - 1, count);
      }
    }
  }
}
