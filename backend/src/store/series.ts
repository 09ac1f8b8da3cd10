import type { Db } from './database.ts';

/** Ids of (host, unit) pairs, cached: every entry needs one, and the set is small and only grows. */
export class SeriesTable {
  /** host → unit → id: two lookups, no key string built per entry. */
  private readonly ids = new Map<string, Map<string, number>>();
  private readonly insert;
  private readonly select;

  constructor(db: Db) {
    this.insert = db.prepare('INSERT INTO series (host, unit) VALUES (?, ?) ON CONFLICT DO NOTHING');
    this.select = db.prepare<[string, string], { id: number }>(
      'SELECT id FROM series WHERE host = ? AND unit = ?',
    );
  }

  idOf(host: string, unit: string): number {
    let units = this.ids.get(host);
    if (units === undefined) this.ids.set(host, (units = new Map()));
    let id = units.get(unit);
    if (id === undefined) {
      this.insert.run(host, unit);
      id = (this.select.get(host, unit) as { id: number }).id;
      units.set(unit, id);
    }
    return id;
  }

  /** Forgets cached ids: after a rolled-back transaction they may name rows that do not exist. */
  forget(): void {
    this.ids.clear();
  }
}
