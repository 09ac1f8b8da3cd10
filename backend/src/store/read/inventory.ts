import type { Db } from '../database.ts';
import { isoFromUs, minuteOf } from './minutes.ts';
import type { SeriesRow } from './series-catalog.ts';
import type { StoreSeriesSource } from './series-source.ts';

export interface TimeRange {
  readonly startMs: number;
  readonly endMs: number;
}

export interface Page {
  readonly limit: number;
  readonly offset: number;
}

export interface UnitSummary {
  host: string;
  unit: string;
  /** Entries stored in the range. */
  entries: number;
}

export interface HostSummary {
  host: string;
  units: number;
  entries: number;
}

export interface TemplateSummary {
  id: number;
  template: string;
  /** Entries in the range on the chosen host/unit; all entries ever without a host or unit filter. */
  count: number;
  first_seen: string;
  last_seen: string;
  /** Forgotten by the miner to stay within its limit (the id is kept). */
  evicted: boolean;
}

export interface TemplateFilter extends TimeRange, Page {
  readonly host?: string | undefined;
  readonly unit?: string | undefined;
  /** Case-insensitive substring of the template text. */
  readonly search?: string | undefined;
}

interface TemplateRow {
  id: number;
  template: string;
  count: number;
  firstSeenUs: number;
  lastSeenUs: number;
  evicted: number;
}

const TEMPLATE_COLUMNS =
  'id, template, count, first_seen_us AS firstSeenUs, last_seen_us AS lastSeenUs, evicted';

/** Hosts, units and templates with their counts: what the Lookout JSON API lists. */
export class Inventory {
  private readonly templatesByIds;
  private readonly templatesInRange;

  constructor(
    db: Db,
    private readonly source: StoreSeriesSource,
  ) {
    this.templatesByIds = db.prepare<[string], TemplateRow>(
      `SELECT ${TEMPLATE_COLUMNS} FROM templates WHERE id IN (SELECT value FROM json_each(?))`,
    );
    this.templatesInRange = db.prepare<[number, number, string], TemplateRow>(
      `SELECT ${TEMPLATE_COLUMNS} FROM templates
       WHERE first_seen_us <= ? AND last_seen_us >= ? AND instr(lower(template), lower(?)) > 0
       ORDER BY count DESC, id`,
    );
  }

  /** Units sorted by host and unit, with their entries in the range. */
  units(host: string | undefined, range: TimeRange, page: Page): { total: number; units: UnitSummary[] } {
    const rows = this.source.catalog.filter(host, undefined);
    return {
      total: rows.length,
      units: rows
        .slice(page.offset, page.offset + page.limit)
        .map((row) => ({ host: row.host, unit: row.unit, entries: this.entriesIn(row, range) })),
    };
  }

  /** Hosts sorted by name, with their units and entries in the range. */
  hosts(range: TimeRange, page: Page): { total: number; hosts: HostSummary[] } {
    const hosts = new Map<string, SeriesRow[]>();
    for (const row of this.source.catalog.all()) {
      const rows = hosts.get(row.host);
      if (rows === undefined) hosts.set(row.host, [row]);
      else rows.push(row);
    }
    return {
      total: hosts.size,
      hosts: [...hosts].slice(page.offset, page.offset + page.limit).map(([host, rows]) => ({
        host,
        units: rows.length,
        entries: rows.reduce((sum, row) => sum + this.entriesIn(row, range), 0),
      })),
    };
  }

  /** Templates by count, most first; with host or unit, only those seen there in the range. */
  templates(filter: TemplateFilter): { total: number; templates: TemplateSummary[] } {
    const search = filter.search ?? '';
    let rows: TemplateRow[];
    if (filter.host === undefined && filter.unit === undefined) {
      rows = this.templatesInRange.all(filter.endMs * 1000, filter.startMs * 1000, search);
    } else {
      const counts = new Map<number, number>();
      for (const row of this.source.catalog.filter(filter.host, filter.unit)) {
        this.source.visitTemplateCounts(
          row.id,
          minuteOf(filter.startMs),
          minuteOf(filter.endMs),
          (_minute, templateId, count) => counts.set(templateId, (counts.get(templateId) ?? 0) + count),
        );
      }
      const needle = search.toLowerCase();
      rows = this.templatesByIds
        .all(JSON.stringify([...counts.keys()]))
        .filter((row) => row.template.toLowerCase().includes(needle))
        .map((row) => ({ ...row, count: counts.get(row.id) ?? 0 }))
        .sort((a, b) => b.count - a.count || a.id - b.id);
    }
    return {
      total: rows.length,
      templates: rows.slice(filter.offset, filter.offset + filter.limit).map((row) => ({
        id: row.id,
        template: row.template,
        count: row.count,
        first_seen: isoFromUs(row.firstSeenUs),
        last_seen: isoFromUs(row.lastSeenUs),
        evicted: row.evicted === 1,
      })),
    };
  }

  private entriesIn(row: SeriesRow, range: TimeRange): number {
    let entries = 0;
    this.source.visitEntryCounts(row.id, minuteOf(range.startMs), minuteOf(range.endMs), (_m, _p, count) => {
      entries += count;
    });
    return entries;
  }
}
