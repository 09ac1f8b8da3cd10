import type { Db } from './database.ts';

export interface RetentionLimits {
  /** Raw entries kept at most (the oldest go first). */
  maxEntries: number;
  /** Raw entries older than this are removed. */
  maxAgeHours: number;
}

export const DEFAULT_RETENTION: RetentionLimits = { maxEntries: 5_000_000, maxAgeHours: 7 * 24 };

/**
 * Removes raw entries over the limits, oldest ingested first, in chunks so ingest is never blocked
 * for long. Counts are kept: they are small and are what the models learn from.
 */
export function pruneEntries(db: Db, limits: RetentionLimits, nowMs = Date.now()): number {
  const bounds = db.prepare<[], { minId: number | null; maxId: number | null }>(
    'SELECT min(id) AS minId, max(id) AS maxId FROM entries',
  );
  const { minId, maxId } = bounds.get() ?? { minId: null, maxId: null };
  if (minId === null || maxId === null) return 0;
  let removed = db.prepare('DELETE FROM entries WHERE id <= ?').run(maxId - limits.maxEntries).changes;

  const cutoffUs = (nowMs - limits.maxAgeHours * 3_600_000) * 1000;
  const deleteOld = db.prepare(
    // Walks from the oldest ingested rows (a rowid range, no scan); an out-of-order old entry behind a
    // newer one waits for the count limit instead.
    'DELETE FROM entries WHERE id IN (SELECT id FROM entries ORDER BY id LIMIT 10000) AND time_us < ?',
  );
  for (;;) {
    const changes = deleteOld.run(cutoffUs).changes;
    removed += changes;
    if (changes < 10000) break;
  }
  return removed;
}
