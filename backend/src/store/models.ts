import type { Db } from './database.ts';

/** Model snapshots by name (the entry scorer, the rate model), kept as JSON. */
export class ModelTable {
  private readonly save;
  private readonly load;

  constructor(db: Db) {
    this.save = db.prepare(
      `INSERT INTO model_snapshots (name, version, saved_ms, data) VALUES (?, ?, ?, ?)
       ON CONFLICT (name) DO UPDATE SET version = excluded.version, saved_ms = excluded.saved_ms, data = excluded.data`,
    );
    this.load = db.prepare<[string], { data: string; version: number; savedMs: number }>(
      'SELECT data, version, saved_ms AS savedMs FROM model_snapshots WHERE name = ?',
    );
  }

  put(name: string, version: number, snapshot: unknown): void {
    this.save.run(name, version, Date.now(), JSON.stringify(snapshot));
  }

  get<T>(name: string): { snapshot: T; version: number; savedMs: number } | null {
    const row = this.load.get(name);
    return row ? { snapshot: JSON.parse(row.data) as T, version: row.version, savedMs: row.savedMs } : null;
  }
}
