// Writes rows straight into a real SQLite store, standing in for ingest and detection, so that the read
// side can be tested on known data.
import type { Db } from '../../src/store/database.ts';

export const MINUTE_MS = 60_000;

export class StoreRows {
  private readonly seriesIds = new Map<string, number>();
  private readonly addSeries;
  private readonly addScore;
  private readonly addCount;
  private readonly addTemplateCount;
  private readonly addEntry;
  private readonly addEvent;
  private readonly addTemplate;

  constructor(readonly db: Db) {
    this.addSeries = db.prepare('INSERT INTO series (host, unit) VALUES (?, ?) RETURNING id').pluck();
    this.addScore = db.prepare(
      `INSERT INTO anomaly_scores (series_id, minute, score, entry_score, count_score, model_version)
       VALUES (?, ?, ?, ?, ?, 1)
       ON CONFLICT (series_id, minute) DO UPDATE SET score = excluded.score`,
    );
    this.addCount = db.prepare(
      `INSERT INTO entry_counts (series_id, minute, priority, count) VALUES (?, ?, ?, ?)
       ON CONFLICT (series_id, minute, priority) DO UPDATE SET count = count + excluded.count`,
    );
    this.addTemplateCount = db.prepare(
      `INSERT INTO template_counts (series_id, minute, template_id, count) VALUES (?, ?, ?, ?)
       ON CONFLICT (series_id, minute, template_id) DO UPDATE SET count = count + excluded.count`,
    );
    this.addEntry = db.prepare(
      `INSERT INTO entries (time_us, series_id, source_id, priority, pid, flags, message, extra, template_id, score)
       VALUES (?, ?, 1, ?, NULL, 0, ?, NULL, ?, ?)`,
    );
    this.addEvent = db
      .prepare(
        `INSERT INTO events (series_id, start_us, end_us, score, reasons, templates, samples, minutes, status,
         acknowledged_ms, created_ms, updated_ms)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, NULL, 0, 0) RETURNING id`,
      )
      .pluck();
    this.addTemplate = db.prepare(
      `INSERT INTO templates (id, template, state, count, first_seen_us, last_seen_us, evicted)
       VALUES (?, ?, '{}', ?, ?, ?, 0)`,
    );
  }

  series(host: string, unit: string): number {
    const key = `${host}\u0000${unit}`;
    let id = this.seriesIds.get(key);
    if (id === undefined) {
      id = this.addSeries.get(host, unit) as number;
      this.seriesIds.set(key, id);
    }
    return id;
  }

  score(host: string, unit: string, minute: number, score: number, entryScore = score, countScore = 0): void {
    this.addScore.run(this.series(host, unit), minute, score, entryScore, countScore);
  }

  /**
   * Entries as ingest stores them: raw rows, per-minute counts by priority and by template, in one
   * transaction. `priority` null counts as "no priority" (-1).
   */
  entries(
    host: string,
    unit: string,
    minute: number,
    count: number,
    options: { priority?: number | null; templateId?: number; message?: string; score?: number | null } = {},
  ): void {
    const seriesId = this.series(host, unit);
    const priority = options.priority === undefined ? 6 : options.priority;
    const templateId = options.templateId ?? 1;
    this.db.transaction(() => {
      for (let i = 0; i < count; i++) {
        const timeUs = minute * MINUTE_MS * 1000 + Math.floor((i * 60_000_000) / count);
        this.addEntry.run(
          timeUs,
          seriesId,
          priority,
          options.message ?? `entry ${i}`,
          templateId,
          options.score ?? null,
        );
      }
      this.addCount.run(seriesId, minute, priority ?? -1, count);
      this.addTemplateCount.run(seriesId, minute, templateId, count);
    })();
  }

  /** Counts without raw entries, as after retention removed them (and faster for big data sets). */
  counts(host: string, unit: string, minute: number, priority: number, count: number, templateId = 1): void {
    const seriesId = this.series(host, unit);
    this.addCount.run(seriesId, minute, priority, count);
    this.addTemplateCount.run(seriesId, minute, templateId, count);
  }

  template(id: number, text: string, count: number, firstSeenMs: number, lastSeenMs: number): void {
    this.addTemplate.run(id, text, count, firstSeenMs * 1000, lastSeenMs * 1000);
  }

  event(
    host: string,
    unit: string,
    startMinute: number,
    minutes: number,
    score: number,
    reasons: string[],
    options: {
      templates?: { id: number; template: string; count: number }[];
      status?: 'open' | 'closed';
    } = {},
  ): number {
    return this.addEvent.get(
      this.series(host, unit),
      startMinute * MINUTE_MS * 1000,
      (startMinute + minutes) * MINUTE_MS * 1000,
      score,
      JSON.stringify(reasons),
      JSON.stringify(options.templates ?? []),
      JSON.stringify([{ timeUs: startMinute * MINUTE_MS * 1000, message: 'sample line' }]),
      minutes,
      options.status ?? 'closed',
    ) as number;
  }
}
