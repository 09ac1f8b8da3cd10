import type { Db } from './database.ts';

/** Ids of (host, unit) pairs, cached: every entry needs one, and the set is small and only grows. */
export class SeriesTable {
  private readonly ids = new Map<string, number>();
  private readonly insert;
  private readonly select;

  constructor(db: Db) {
    this.insert = db.prepare('INSERT INTO series (host, unit) VALUES (?, ?) ON CONFLICT DO NOTHING');
    this.select = db.prepare<[string, string], { id: number }>(
      'SELECT id FROM series WHERE host = ? AND unit = ?',
    );
  }

  idOf(host: string, unit: string): number {
    const key = `${host}\u0000${unit}`;
    let id = this.ids.get(key);
    if (id === undefined) {
      this.insert.run(host, unit);
      id = (this.select.get(host, unit) as { id: number }).id;
      this.ids.set(key, id);
    }
    return id;
  }

  /** Forgets cached ids: after a rolled-back transaction they may name rows that do not exist. */
  forget(): void {
    this.ids.clear();
  }
}
