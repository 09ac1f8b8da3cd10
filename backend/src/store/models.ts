import type { Db } from './database.ts';
import { decodeSnapshot, encodeSnapshot, isEncodedSnapshot } from './snapshot-codec.ts';

/**
 * Model snapshots by name (the entry scorer, the rate model): plain data, typed arrays included, saved
 * as bytes (`snapshot-codec.ts`). Snapshots saved as JSON text by earlier versions are still read.
 */
export class ModelTable {
  private readonly save;
  private readonly load;

  constructor(db: Db) {
    this.save = db.prepare(
      `INSERT INTO model_snapshots (name, version, saved_ms, data) VALUES (?, ?, ?, ?)
       ON CONFLICT (name) DO UPDATE SET version = excluded.version, saved_ms = excluded.saved_ms, data = excluded.data`,
    );
    this.load = db.prepare<[string], { data: string | Buffer; version: number; savedMs: number }>(
      'SELECT data, version, saved_ms AS savedMs FROM model_snapshots WHERE name = ?',
    );
  }

  put(name: string, version: number, snapshot: unknown): void {
    this.save.run(name, version, Date.now(), encodeSnapshot(snapshot));
  }

  get<T>(name: string): { snapshot: T; version: number; savedMs: number } | null {
    const row = this.load.get(name);
    if (!row) return null;
    const snapshot =
      typeof row.data === 'string' || !isEncodedSnapshot(row.data)
        ? (JSON.parse(row.data.toString()) as T)
        : decodeSnapshot<T>(row.data);
    return { snapshot, version: row.version, savedMs: row.savedMs };
  }
}
