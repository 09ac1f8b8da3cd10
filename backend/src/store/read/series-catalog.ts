import { compareStrings } from '../../api/prometheus/index.ts';
import type { Db } from '../database.ts';

export interface SeriesRow {
  readonly id: number;
  readonly host: string;
  readonly unit: string;
}

/**
 * Every (host, unit) series, held in memory and re-read only when a new one appears: there are
 * thousands at most, and every query filters them by label.
 */
export class SeriesCatalog {
  private readonly newestId;
  private readonly allRows;
  private rows: SeriesRow[] = [];
  private byId = new Map<number, SeriesRow>();
  private knownNewestId = -1;

  constructor(db: Db) {
    this.newestId = db.prepare<[], number | null>('SELECT max(id) FROM series').pluck();
    this.allRows = db.prepare<[], SeriesRow>('SELECT id, host, unit FROM series ORDER BY host, unit');
  }

  /** Every series, sorted by host then unit (the label order of series with those labels only). */
  all(): readonly SeriesRow[] {
    const newest = this.newestId.get() ?? 0;
    if (newest !== this.knownNewestId) {
      // SQLite orders by UTF-8 bytes; the engine compares label values as JavaScript strings.
      this.rows = this.allRows
        .all()
        .sort((a, b) => compareStrings(a.host, b.host) || compareStrings(a.unit, b.unit));
      this.byId = new Map(this.rows.map((row) => [row.id, row]));
      this.knownNewestId = newest;
    }
    return this.rows;
  }

  byIdOf(id: number): SeriesRow | undefined {
    this.all();
    return this.byId.get(id);
  }

  find(host: string, unit: string): SeriesRow | undefined {
    return this.all().find((row) => row.host === host && row.unit === unit);
  }

  /** Series whose host and unit pass the filters (exact values; undefined matches all). */
  filter(host: string | undefined, unit: string | undefined): SeriesRow[] {
    return this.all().filter(
      (row) => (host === undefined || row.host === host) && (unit === undefined || row.unit === unit),
    );
  }
}
