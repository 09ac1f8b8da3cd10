import type { MinedEntry } from '../mining/mined-entry.ts';

/** An entry as stored: mined, and scored when detection ran. */
export interface StoredEntry extends MinedEntry {
  score?: number;
}
import type { Db } from './database.ts';
import type { SeriesTable } from './series.ts';

const MICROS_PER_MINUTE = 60_000_000;
const ENTRY_COLUMNS = 10;
/** Rows per INSERT statement: one statement call per row is the writer's main cost. */
const ROWS_PER_INSERT = 64;
/** Priority recorded in the counts for entries that carry none. */
export const NO_PRIORITY = -1;

/** Writes entries to the raw table and their per-minute counts. Call inside a transaction. */
export class EntryWriter {
  private readonly insertOne;
  private readonly insertMany;
  private readonly addCount;
  private readonly addTemplateCount;
  private readonly values: unknown[] = new Array(ENTRY_COLUMNS * ROWS_PER_INSERT);
  private readonly singleValues: unknown[] = new Array(ENTRY_COLUMNS);

  constructor(
    db: Db,
    private readonly series: SeriesTable,
  ) {
    // OR FAIL: a statement that fails keeps the rows it inserted, where the default (ABORT) takes them
    // back, for which SQLite copies every page a multi-row insert touches to a statement journal in a
    // temporary file first (37 MB per 100,000 entries). A failure rolls back the whole batch anyway.
    const insert = (rows: number) =>
      db.prepare(
        'INSERT OR FAIL INTO entries (time_us, series_id, source_id, priority, pid, flags, message, extra, template_id, score) VALUES ' +
          Array.from({ length: rows }, () => '(?, ?, ?, ?, ?, ?, ?, ?, ?, ?)').join(', '),
      );
    this.insertOne = insert(1);
    this.insertMany = insert(ROWS_PER_INSERT);
    this.addCount = db.prepare(
      `INSERT INTO entry_counts (series_id, minute, priority, count) VALUES (?, ?, ?, ?)
       ON CONFLICT (series_id, minute, priority) DO UPDATE SET count = count + excluded.count`,
    );
    this.addTemplateCount = db.prepare(
      `INSERT INTO template_counts (series_id, minute, template_id, count) VALUES (?, ?, ?, ?)
       ON CONFLICT (series_id, minute, template_id) DO UPDATE SET count = count + excluded.count`,
    );
  }

  write(sourceId: number, entries: readonly StoredEntry[]): void {
    // Counts are summed per batch first: one upsert per (series, minute, priority|template), not per entry.
    const counts = new Map<number, Map<number, number>>();
    const templateCounts = new Map<number, Map<number, Map<number, number>>>();
    const values = this.values;
    const fullChunks = entries.length - (entries.length % ROWS_PER_INSERT);
    for (let index = 0; index < entries.length; index++) {
      const entry = entries[index] as StoredEntry;
      const seriesId = this.series.idOf(entry.host, entry.unit);
      const minute = Math.floor(entry.timeUs / MICROS_PER_MINUTE);
      const slot = minute * 16 + (entry.priority ?? NO_PRIORITY) + 1;
      let perSeries = counts.get(seriesId);
      if (perSeries === undefined) counts.set(seriesId, (perSeries = new Map()));
      perSeries.set(slot, (perSeries.get(slot) ?? 0) + 1);
      let perMinute = templateCounts.get(seriesId);
      if (perMinute === undefined) templateCounts.set(seriesId, (perMinute = new Map()));
      let perTemplate = perMinute.get(minute);
      if (perTemplate === undefined) perMinute.set(minute, (perTemplate = new Map()));
      perTemplate.set(entry.templateId, (perTemplate.get(entry.templateId) ?? 0) + 1);

      // Written straight into the statement's parameter array: no array per entry.
      const single = index >= fullChunks;
      const target = single ? this.singleValues : values;
      let column = single ? 0 : (index % ROWS_PER_INSERT) * ENTRY_COLUMNS;
      const lastInChunk = column === (ROWS_PER_INSERT - 1) * ENTRY_COLUMNS;
      target[column++] = entry.timeUs;
      target[column++] = seriesId;
      target[column++] = sourceId;
      target[column++] = entry.priority;
      target[column++] = entry.pid;
      target[column++] = entry.flags;
      target[column++] = entry.message;
      target[column++] = entry.extra === null ? null : JSON.stringify(entry.extra);
      target[column++] = entry.templateId;
      target[column] = entry.score ?? null;
      // Spread, not the array: better-sqlite3 reads arguments directly but an array element by element
      // through a property lookup, which made binding cost a sixth more.
      if (single) this.insertOne.run(...target);
      else if (lastInChunk) this.insertMany.run(...values);
    }
    for (const [seriesId, perSeries] of counts) {
      for (const [slot, count] of perSeries) {
        this.addCount.run(seriesId, Math.floor(slot / 16), (slot % 16) - 1, count);
      }
    }
    for (const [seriesId, perMinute] of templateCounts) {
      for (const [minute, perTemplate] of perMinute) {
        for (const [templateId, count] of perTemplate)
          this.addTemplateCount.run(seriesId, minute, templateId, count);
      }
    }
  }
}
