import type { Db } from '../database.ts';
import { encodeCursor, type Position } from './cursor.ts';
import { isoFromUs } from './minutes.ts';
import type { SeriesCatalog } from './series-catalog.ts';

export interface EntryView {
  id: number;
  time: string;
  /** Microseconds since the epoch: the journal's own precision, and a stable sort key. */
  time_us: number;
  host: string;
  unit: string;
  priority: number | null;
  pid: number | null;
  message: string;
  template_id: number | null;
  template: string | null;
  /** The entry's anomaly score, 0..1; null until detection scored it. */
  score: number | null;
}

export interface EntrySelection {
  readonly host?: string | undefined;
  readonly unit?: string | undefined;
  readonly minScore?: number | undefined;
  readonly limit: number;
}

interface EntryRow {
  id: number;
  timeUs: number;
  seriesId: number;
  priority: number | null;
  pid: number | null;
  message: string;
  templateId: number | null;
  template: string | null;
  score: number | null;
}

const COLUMNS = `e.id, e.time_us AS timeUs, e.series_id AS seriesId, e.priority, e.pid, e.message,
  e.template_id AS templateId, t.template, e.score`;

/** How far from `around` the nearest entries are looked for. */
export const AROUND_SPAN_US = 24 * 3_600_000_000;

/** Raw entries (kept for the retention period) with their template and score, for the logs view. */
export class EntriesReader {
  constructor(
    private readonly db: Db,
    private readonly catalog: SeriesCatalog,
  ) {}

  /** Entries in [startUs, endUs], oldest first, continuing after `after`; `next` continues the page. */
  range(
    selection: EntrySelection,
    startUs: number,
    endUs: number,
    after?: Position,
  ): { entries: EntryView[]; next: string | null } {
    const rows = this.query(selection, startUs, endUs, 'ASC', selection.limit + 1, after);
    const page = rows.slice(0, selection.limit);
    const last = page[page.length - 1];
    return {
      entries: page.map((row) => this.view(row)),
      next: rows.length > selection.limit && last ? encodeCursor({ timeUs: last.timeUs, id: last.id }) : null,
    };
  }

  /** The `limit` entries nearest to `aroundUs`: half before it, the rest from it on, oldest first. */
  around(selection: EntrySelection, aroundUs: number): EntryView[] {
    const before = Math.floor(selection.limit / 2);
    const earlier = this.query(selection, aroundUs - AROUND_SPAN_US, aroundUs - 1, 'DESC', before);
    const later = this.query(
      selection,
      aroundUs,
      aroundUs + AROUND_SPAN_US,
      'ASC',
      selection.limit - earlier.length,
    );
    return [...earlier.reverse(), ...later].map((row) => this.view(row));
  }

  private query(
    selection: EntrySelection,
    startUs: number,
    endUs: number,
    order: 'ASC' | 'DESC',
    limit: number,
    after?: Position,
  ): EntryRow[] {
    if (limit <= 0) return [];
    const conditions = ['e.time_us >= @startUs', 'e.time_us <= @endUs'];
    const parameters: Record<string, number | string> = { startUs, endUs, limit };
    if (selection.host !== undefined || selection.unit !== undefined) {
      const ids = this.catalog.filter(selection.host, selection.unit).map((row) => row.id);
      conditions.push('e.series_id IN (SELECT value FROM json_each(@seriesIds))');
      parameters.seriesIds = JSON.stringify(ids);
    }
    if (selection.minScore !== undefined) {
      conditions.push('e.score >= @minScore');
      parameters.minScore = selection.minScore;
    }
    if (after !== undefined) {
      conditions.push('(e.time_us, e.id) > (@afterUs, @afterId)');
      parameters.afterUs = after.timeUs;
      parameters.afterId = after.id;
    }
    return this.db
      .prepare<Record<string, number | string>, EntryRow>(
        `SELECT ${COLUMNS} FROM entries e LEFT JOIN templates t ON t.id = e.template_id
         WHERE ${conditions.join(' AND ')} ORDER BY e.time_us ${order}, e.id ${order} LIMIT @limit`,
      )
      .all(parameters);
  }

  private view(row: EntryRow): EntryView {
    const series = this.catalog.byIdOf(row.seriesId);
    return {
      id: row.id,
      time: isoFromUs(row.timeUs),
      time_us: row.timeUs,
      host: series?.host ?? '',
      unit: series?.unit ?? '',
      priority: row.priority,
      pid: row.pid,
      message: row.message,
      template_id: row.templateId,
      template: row.template,
      score: row.score,
    };
  }
}
