import type { Db } from '../database.ts';
import { encodeCursor, type Position } from './cursor.ts';
import { isoFromMs, isoFromUs } from './minutes.ts';
import type { SeriesCatalog } from './series-catalog.ts';

export interface EventFilter {
  readonly startMs: number;
  readonly endMs: number;
  readonly host?: string | undefined;
  readonly unit?: string | undefined;
  readonly minScore: number;
  readonly status?: 'open' | 'closed' | undefined;
  readonly limit: number;
  /** Continue after this event (newest first). */
  readonly after?: Position | undefined;
}

export interface EventView {
  id: number;
  host: string;
  unit: string;
  start: string;
  end: string;
  score: number;
  reasons: string[];
  templates: { id: number; template: string; count: number }[];
  samples: { time: string; message: string }[];
  minutes: number;
  status: string;
  acknowledged: string | null;
}

interface EventRow {
  id: number;
  seriesId: number;
  startUs: number;
  endUs: number;
  score: number;
  reasons: string;
  templates: string;
  samples: string;
  minutes: number;
  status: string;
  acknowledgedMs: number | null;
}

const COLUMNS = `id, series_id AS seriesId, start_us AS startUs, end_us AS endUs, score, reasons, templates,
  samples, minutes, status, acknowledged_ms AS acknowledgedMs`;

/** Anomaly events as the API shows them: newest first, filtered, a page at a time. */
export class EventsReader {
  private readonly db: Db;
  private readonly byId;

  constructor(
    db: Db,
    private readonly catalog: SeriesCatalog,
  ) {
    this.db = db;
    this.byId = db.prepare<[number], EventRow>(`SELECT ${COLUMNS} FROM events WHERE id = ?`);
  }

  /** Events overlapping [startMs, endMs], newest start first; `next` continues after the last one. */
  list(filter: EventFilter): { events: EventView[]; next: string | null } {
    const conditions = ['start_us <= @endUs', 'end_us >= @startUs', 'score >= @minScore'];
    const parameters: Record<string, number | string> = {
      endUs: filter.endMs * 1000,
      startUs: filter.startMs * 1000,
      minScore: filter.minScore,
      limit: filter.limit + 1,
    };
    if (filter.host !== undefined || filter.unit !== undefined) {
      const ids = this.catalog.filter(filter.host, filter.unit).map((row) => row.id);
      conditions.push('series_id IN (SELECT value FROM json_each(@seriesIds))');
      parameters.seriesIds = JSON.stringify(ids);
    }
    if (filter.status !== undefined) {
      conditions.push('status = @status');
      parameters.status = filter.status;
    }
    if (filter.after !== undefined) {
      conditions.push('(start_us, id) < (@afterUs, @afterId)');
      parameters.afterUs = filter.after.timeUs;
      parameters.afterId = filter.after.id;
    }
    const rows = this.db
      .prepare<Record<string, number | string>, EventRow>(
        `SELECT ${COLUMNS} FROM events WHERE ${conditions.join(' AND ')}
         ORDER BY start_us DESC, id DESC LIMIT @limit`,
      )
      .all(parameters);
    const page = rows.slice(0, filter.limit);
    const last = page[page.length - 1];
    return {
      events: page.map((row) => this.view(row)),
      next: rows.length > filter.limit && last ? encodeCursor({ timeUs: last.startUs, id: last.id }) : null,
    };
  }

  get(id: number): EventView | null {
    const row = this.byId.get(id);
    return row === undefined ? null : this.view(row);
  }

  private view(row: EventRow): EventView {
    const series = this.catalog.byIdOf(row.seriesId);
    const samples = JSON.parse(row.samples) as { timeUs: number; message: string }[];
    return {
      id: row.id,
      host: series?.host ?? '',
      unit: series?.unit ?? '',
      start: isoFromUs(row.startUs),
      end: isoFromUs(row.endUs),
      score: row.score,
      reasons: JSON.parse(row.reasons) as string[],
      templates: JSON.parse(row.templates) as EventView['templates'],
      samples: samples.map((sample) => ({ time: isoFromUs(sample.timeUs), message: sample.message })),
      minutes: row.minutes,
      status: row.status,
      acknowledged: row.acknowledgedMs === null ? null : isoFromMs(row.acknowledgedMs),
    };
  }
}
