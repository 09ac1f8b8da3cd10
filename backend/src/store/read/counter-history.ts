import type { Db } from '../database.ts';
import type { CountsByKey } from './counter-series.ts';
import type { MinuteCache } from './minute-cache.ts';
import type { ChangeListener } from './store-changes.ts';

/** Per key of one series: the sum of its counts before a minute, and the key's first minute. */
export interface CounterBaseline {
  readonly totals: ReadonlyMap<number, number>;
  readonly firstMinutes: ReadonlyMap<number, number>;
}

interface SeriesHistory {
  /** The sums cover minutes before this one. */
  beforeMinute: number;
  totals: Map<number, number>;
  firstMinutes: Map<number, number>;
}

/** Further than this, moving a baseline through cached rows costs more than summing in SQLite afresh. */
const MAX_MOVE_MINUTES = 7 * 24 * 60;

/**
 * Where a counter starts: the sum of a series' counts before a query's window, per key. Summed once
 * in SQLite, then moved along through the cached rows as windows move, so that a counter is cumulative
 * since the series' first minute without re-reading its whole history on every query.
 */
export class CounterHistory implements ChangeListener {
  private readonly histories = new Map<number, SeriesHistory>();
  private readonly sumBefore;

  constructor(
    db: Db,
    private readonly rows: MinuteCache<CountsByKey>,
  ) {
    const { table, keyColumn, valueColumn } = rows.spec;
    if (keyColumn === null) throw new Error(`${table} holds no counts`);
    this.sumBefore = db
      .prepare<[number, number], [number, number, number]>(
        `SELECT ${keyColumn}, sum(${valueColumn}), min(minute) FROM ${table}
         WHERE series_id = ? AND minute < ? GROUP BY ${keyColumn}`,
      )
      .raw(true);
  }

  /** Sums of the series' counts in minutes before `beforeMinute`. */
  baseline(seriesId: number, beforeMinute: number): CounterBaseline {
    let history = this.histories.get(seriesId);
    if (history === undefined || Math.abs(history.beforeMinute - beforeMinute) > MAX_MOVE_MINUTES) {
      history = { beforeMinute, totals: new Map(), firstMinutes: new Map() };
      for (const [key, total, first] of this.sumBefore.iterate(seriesId, beforeMinute)) {
        history.totals.set(key, total);
        history.firstMinutes.set(key, first);
      }
      this.histories.set(seriesId, history);
    } else if (history.beforeMinute < beforeMinute) {
      this.moveForward(seriesId, history, beforeMinute);
    } else if (history.beforeMinute > beforeMinute) {
      this.moveBack(seriesId, history, beforeMinute);
    }
    return history;
  }

  touched(seriesId: number, minute: number): void {
    const history = this.histories.get(seriesId);
    if (history !== undefined && minute < history.beforeMinute) this.histories.delete(seriesId);
  }

  reset(): void {
    this.histories.clear();
  }

  private moveForward(seriesId: number, history: SeriesHistory, beforeMinute: number): void {
    const { totals, firstMinutes } = history;
    this.rows.read(seriesId, history.beforeMinute, beforeMinute - 1, (minute, key, value) => {
      totals.set(key, (totals.get(key) ?? 0) + value);
      if (!firstMinutes.has(key)) firstMinutes.set(key, minute);
    });
    history.beforeMinute = beforeMinute;
  }

  private moveBack(seriesId: number, history: SeriesHistory, beforeMinute: number): void {
    const { totals, firstMinutes } = history;
    this.rows.read(seriesId, beforeMinute, history.beforeMinute - 1, (_minute, key, value) => {
      totals.set(key, (totals.get(key) ?? 0) - value);
    });
    for (const [key, first] of firstMinutes) {
      if (first < beforeMinute) continue;
      firstMinutes.delete(key);
      totals.delete(key);
    }
    history.beforeMinute = beforeMinute;
  }
}
