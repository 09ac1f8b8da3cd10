import type { AnomalyEvent } from '../detect/events/minute.ts';
import type { MinuteScore } from '../detect/events/minute-scores.ts';
import type { Db } from './database.ts';
import type { SeriesTable } from './series.ts';

/** What detection produced for one batch: stored in the batch's transaction. */
export interface DetectionChanges {
  minuteScores: readonly MinuteScore[];
  closedEvents: readonly AnomalyEvent[];
  openEvents: readonly AnomalyEvent[];
  modelVersion: number;
}

/**
 * Writes anomaly scores and events. An open event's row is updated as it grows (one row per event:
 * its id is remembered per series while it is open) and marked closed when its gap has passed.
 */
export class DetectionWriter {
  private readonly openIds = new Map<number, number>();
  private readonly upsertScore;
  private readonly insertEvent;
  private readonly updateEvent;
  private readonly closeOpenEvents;

  constructor(
    db: Db,
    private readonly series: SeriesTable,
  ) {
    this.upsertScore = db.prepare(
      `INSERT INTO anomaly_scores (series_id, minute, score, entry_score, count_score, model_version)
       VALUES (?, ?, ?, ?, ?, ?)
       ON CONFLICT (series_id, minute) DO UPDATE SET score = max(score, excluded.score),
         entry_score = max(entry_score, excluded.entry_score), count_score = max(count_score, excluded.count_score),
         model_version = excluded.model_version`,
    );
    this.insertEvent = db.prepare(
      `INSERT INTO events (series_id, start_us, end_us, score, reasons, templates, samples, minutes, status, created_ms, updated_ms)
       VALUES (@seriesId, @startUs, @endUs, @score, @reasons, @templates, @samples, @minutes, @status, @nowMs, @nowMs)`,
    );
    this.closeOpenEvents = db.prepare("UPDATE events SET status = 'closed' WHERE status = 'open'");
    this.updateEvent = db.prepare(
      `UPDATE events SET start_us = @startUs, end_us = @endUs, score = @score, reasons = @reasons,
         templates = @templates, samples = @samples, minutes = @minutes, status = @status, updated_ms = @nowMs
       WHERE id = @id`,
    );
  }

  /** Events left open by a previous run can no longer grow: they are closed as they stand. */
  closeStaleEvents(): void {
    this.closeOpenEvents.run();
    this.openIds.clear();
  }

  /** Call inside the batch's transaction. */
  write(changes: DetectionChanges): void {
    for (const score of changes.minuteScores) {
      this.upsertScore.run(
        this.series.idOf(score.host, score.unit),
        score.minute,
        score.score,
        score.entryScore,
        score.countScore,
        changes.modelVersion,
      );
    }
    for (const event of changes.closedEvents) this.saveEvent(event, 'closed');
    for (const event of changes.openEvents) this.saveEvent(event, 'open');
  }

  /** After a failed transaction the remembered ids may name rows that were rolled back. */
  forget(): void {
    this.openIds.clear();
  }

  private saveEvent(event: AnomalyEvent, status: 'open' | 'closed'): void {
    const seriesId = this.series.idOf(event.host, event.unit);
    const row = {
      seriesId,
      startUs: event.startUs,
      endUs: event.endUs,
      score: event.score,
      reasons: JSON.stringify(event.reasons),
      templates: JSON.stringify(event.templates),
      samples: JSON.stringify(event.samples),
      minutes: event.minutes,
      status,
      nowMs: Date.now(),
    };
    const id = this.openIds.get(seriesId);
    if (id === undefined) {
      const inserted = Number(this.insertEvent.run(row).lastInsertRowid);
      if (status === 'open') this.openIds.set(seriesId, inserted);
    } else {
      this.updateEvent.run({ ...row, id });
      if (status === 'closed') this.openIds.delete(seriesId);
    }
  }
}
