import type { Db } from '../database.ts';
import { US_PER_MINUTE } from './minutes.ts';

/** What a read-side cache does about writes to the store. */
export interface ChangeListener {
  /** Entries were stored for this series and minute. */
  touched(seriesId: number, minute: number, atMs: number): void;
  /** Writes happened that cannot be placed: forget everything. */
  reset(): void;
}

/**
 * Tells read-side caches which (series, minute) pairs were written since they last looked. Counts are
 * written in the same transaction as their raw entries, so the entries added since the last look (a
 * rowid range) name every changed count. Cheap when nothing changed: two counters SQLite keeps anyway.
 */
export class StoreChanges {
  private readonly listeners: ChangeListener[] = [];
  private readonly dataVersion;
  private readonly totalChanges;
  private readonly idBounds;
  private readonly touchedSince;
  private lastEntryId: number;
  private lastSignature = '';
  private changes = 0;

  constructor(
    db: Db,
    private readonly nowMs: () => number = Date.now,
  ) {
    // data_version moves when another connection commits, total_changes when this one writes.
    this.dataVersion = db.prepare<[], number>('PRAGMA data_version').pluck();
    this.totalChanges = db.prepare<[], number>('SELECT total_changes()').pluck();
    this.idBounds = db.prepare<[], { minId: number | null; maxId: number | null }>(
      'SELECT min(id) AS minId, max(id) AS maxId FROM entries',
    );
    this.touchedSince = db
      .prepare<[number, number], [number, number]>(
        `SELECT DISTINCT series_id, time_us / ${US_PER_MINUTE} FROM entries WHERE id > ? AND id <= ?`,
      )
      .raw(true);
    this.lastEntryId = this.idBounds.get()?.maxId ?? 0;
    this.lastSignature = this.signature();
  }

  /** Moves on every poll that found the store changed. */
  get version(): number {
    return this.changes;
  }

  subscribe(listener: ChangeListener): void {
    this.listeners.push(listener);
  }

  /** Brings every listener up to date with the store; call before reading through them. */
  poll(): void {
    const signature = this.signature();
    if (signature === this.lastSignature) return;
    this.lastSignature = signature;
    this.changes++;
    const { minId, maxId } = this.idBounds.get() ?? { minId: null, maxId: null };
    const newest = maxId ?? 0;
    // Ids go back below what was seen only when the table was emptied and refilled, and the oldest id
    // passes unseen ones only when retention removed entries before they were looked at.
    const lostTrack = newest < this.lastEntryId || (minId !== null && minId > this.lastEntryId + 1);
    if (lostTrack) {
      for (const listener of this.listeners) listener.reset();
    } else if (newest > this.lastEntryId) {
      const atMs = this.nowMs();
      for (const [seriesId, minute] of this.touchedSince.iterate(this.lastEntryId, newest)) {
        for (const listener of this.listeners) listener.touched(seriesId, minute, atMs);
      }
    }
    this.lastEntryId = newest;
  }

  private signature(): string {
    return `${this.dataVersion.get() ?? 0}:${this.totalChanges.get() ?? 0}`;
  }
}
