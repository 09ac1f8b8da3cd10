import { sourceKind } from '../sources/keys.ts';
import type { Db } from './database.ts';

export interface SourceRow {
  id: number;
  key: string;
  kind: string;
  resumeFrom: string | null;
  entriesIngested: number;
  linesRejected: number;
  lastEntryUs: number | null;
  lastWriteMs: number | null;
  lagSeconds: number | null;
  lastError: string | null;
}

const COLUMNS = `id, key, kind, resume_from AS resumeFrom, entries_ingested AS entriesIngested,
  lines_rejected AS linesRejected, last_entry_us AS lastEntryUs, last_write_ms AS lastWriteMs,
  lag_seconds AS lagSeconds, last_error AS lastError`;

/** One row per source: where it resumes, what it has delivered, and its current trouble. */
export class SourceTable {
  private readonly ids = new Map<string, number>();
  private readonly statements;

  constructor(db: Db) {
    this.statements = {
      register: db.prepare('INSERT INTO sources (key, kind) VALUES (?, ?) ON CONFLICT (key) DO NOTHING'),
      byKey: db.prepare<[string], SourceRow>(`SELECT ${COLUMNS} FROM sources WHERE key = ?`),
      all: db.prepare<[], SourceRow>(`SELECT ${COLUMNS} FROM sources ORDER BY id`),
      advance: db.prepare(`UPDATE sources SET
          resume_from = coalesce(@resumeFrom, resume_from),
          entries_ingested = entries_ingested + @entries,
          lines_rejected = lines_rejected + @rejected,
          last_entry_us = coalesce(@lastEntryUs, last_entry_us),
          last_write_ms = @nowMs,
          lag_seconds = coalesce(@lagSeconds, lag_seconds)
        WHERE id = @id`),
      setError: db.prepare('UPDATE sources SET last_error = ? WHERE id = ?'),
      reset: db.prepare('UPDATE sources SET resume_from = NULL WHERE id = ?'),
    };
  }

  /** The source's id, creating its row on first use. */
  register(key: string): number {
    let id = this.ids.get(key);
    if (id === undefined) {
      this.statements.register.run(key, sourceKind(key));
      id = (this.statements.byKey.get(key) as SourceRow).id;
      this.ids.set(key, id);
    }
    return id;
  }

  get(key: string): SourceRow | undefined {
    return this.statements.byKey.get(key);
  }

  list(): SourceRow[] {
    return this.statements.all.all();
  }

  /** Called inside the batch's transaction, so the resume point moves with the data. */
  advance(
    id: number,
    batch: { resumeFrom: string | null; entries: number; rejected: number; lastEntryUs: number | null },
  ): void {
    const nowMs = Date.now();
    this.statements.advance.run({
      id,
      resumeFrom: batch.resumeFrom,
      entries: batch.entries,
      rejected: batch.rejected,
      lastEntryUs: batch.lastEntryUs,
      nowMs,
      lagSeconds: batch.lastEntryUs === null ? null : Math.max(0, nowMs / 1000 - batch.lastEntryUs / 1e6),
    });
  }

  setError(key: string, message: string | null): void {
    this.statements.setError.run(message, this.register(key));
  }

  /** Forgets where a source resumes, so it starts again from the beginning. */
  resetResumePoint(key: string): void {
    const row = this.get(key);
    if (row) this.statements.reset.run(row.id);
  }

  forget(): void {
    this.ids.clear();
  }
}
