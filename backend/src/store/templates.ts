import type { MinerChanges } from '../mining/mined-entry.ts';
import type { MinerOptions, MinerSnapshot } from '../mining/miner.ts';
import type { Db } from './database.ts';

interface TemplateRow {
  id: number;
  template: string;
  state: string;
  count: number;
  firstSeenUs: number;
  lastSeenUs: number;
}

/** The miner's state, one row per template, kept in step with the entries that use it. */
export class TemplateTable {
  private readonly upsert;
  private readonly setCounter;
  private readonly liveRows;
  private readonly counters;

  constructor(db: Db) {
    this.upsert = db.prepare(
      `INSERT INTO templates (id, template, state, count, first_seen_us, last_seen_us, evicted)
       VALUES (@id, @template, @state, @count, @firstSeenUs, @lastSeenUs, @evicted)
       ON CONFLICT (id) DO UPDATE SET template = excluded.template, state = excluded.state,
         count = excluded.count, first_seen_us = excluded.first_seen_us, last_seen_us = excluded.last_seen_us,
         evicted = excluded.evicted`,
    );
    this.setCounter = db.prepare(
      'INSERT INTO miner_state (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value',
    );
    this.liveRows = db.prepare<[], TemplateRow>(
      `SELECT id, template, state, count, first_seen_us AS firstSeenUs, last_seen_us AS lastSeenUs
       FROM templates WHERE evicted = 0 ORDER BY last_seen_us, id`,
    );
    this.counters = db.prepare<[], { key: string; value: number }>('SELECT key, value FROM miner_state');
  }

  /** Call inside the batch's transaction. */
  apply(changes: MinerChanges): void {
    const save = (template: MinerChanges['templates'][number], evicted: boolean) =>
      this.upsert.run({
        id: template.id,
        template: template.template,
        state: JSON.stringify({ tokens: template.tokens, kinds: template.kinds, path: template.path }),
        count: template.count,
        firstSeenUs: template.firstSeenUs,
        lastSeenUs: template.lastSeenUs,
        evicted: evicted ? 1 : 0,
      });
    for (const template of changes.templates) save(template, false);
    // After the live ones: a template evicted in this batch was touched by it too.
    for (const template of changes.evicted) save(template, true);
    for (const [key, value] of Object.entries(changes.counters)) this.setCounter.run(key, value);
  }

  /** The stored miner, to continue from at start; null for a new store. */
  minerSnapshot(options: MinerOptions): MinerSnapshot | null {
    const counters = Object.fromEntries(this.counters.all().map((row) => [row.key, row.value]));
    if (counters.nextId === undefined) return null;
    const rows = this.liveRows.all();
    const clusters = rows.map((row) => {
      const state = JSON.parse(row.state) as Pick<
        MinerSnapshot['clusters'][number],
        'tokens' | 'kinds' | 'path'
      >;
      return {
        id: row.id,
        ...state,
        count: row.count,
        firstSeenUs: row.firstSeenUs,
        lastSeenUs: row.lastSeenUs,
      };
    });
    return {
      version: 1,
      options,
      nextId: counters.nextId,
      evictions: counters.evictions ?? 0,
      lines: counters.lines ?? 0,
      clusters: clusters.sort((a, b) => a.id - b.id),
      // Rows come least recently seen first: the order eviction follows.
      recency: rows.map((row) => row.id),
    };
  }
}
