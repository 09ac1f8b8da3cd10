import type { Db } from '../database.ts';
import type { BudgetedCache, CacheBudget } from './cache-budget.ts';
import { CHUNK_MINUTES, chunkOf } from './minutes.ts';

/** A per-minute table keyed by (series_id, minute[, key]): its primary key order is the read order. */
export interface MinuteTable {
  readonly table: 'anomaly_scores' | 'entry_counts' | 'template_counts';
  /** The column that splits a series further (priority, template id); none for scores. */
  readonly keyColumn: 'priority' | 'template_id' | null;
  readonly valueColumn: 'score' | 'count';
}

export interface MinuteCacheOptions<Form> {
  /** The bytes this cache may take, shared with other caches: over it, chunks read least recently go. */
  readonly budget: CacheBudget;
  /**
   * Minutes newer than this, and minutes near those that new entries arrived for (of every series)
   * less than this long ago, are read afresh after each write: detection writes the scores of every
   * series as the entries' time moves on, silent series included. 0 when the table only changes
   * together with entries (the counts).
   */
  readonly settleMs: number;
  readonly nowMs: () => number;
  /** Moves whenever anything was written to the store (see StoreChanges). */
  readonly storeVersion: () => number;
  /** What queries read besides the rows, made from a chunk's rows when first asked for. */
  readonly form?: ChunkForm<Form>;
}

/**
 * Another form of a chunk's rows (their text as response points, their counts by key), made the first
 * time a query asks for it and then kept with the chunk, counted in its bytes, until the chunk's rows
 * change.
 */
export interface ChunkForm<Form> {
  /**
   * The form of a chunk's rows. `earlier` is the form of an earlier version of the chunk whose first
   * `unchanged` rows were the same, for a form that can keep that part.
   */
  make(rows: MinuteRows, earlier: Form | null, unchanged: number): Form;
  bytes(form: Form): number;
  /**
   * For a form that queries can do without (the scores' text): about what it takes for these rows. It
   * is then made only while the budget has that much room, never at the cost of other chunks.
   */
  optionalBytes?(rows: MinuteRows): number;
  /**
   * For a form that holds every row (the counts by key): the rows again, in (minute, key) order. A
   * chunk with such a form keeps only the form, and makes its rows from it when they are read (or
   * patched), which is seldom: queries read the form.
   */
  rows?(form: Form): MinuteRows;
}

/**
 * Rows `from` up to `to` of a chunk whose form is `form` (null: an optional form there was no room
 * for), copied to `first` on by MinuteCache.rows.
 */
export interface FormedRows<Form> {
  readonly first: number;
  readonly from: number;
  readonly to: number;
  readonly form: Form | null;
}

/** Rows of one series, sorted by (minute, key). */
export interface MinuteRows {
  readonly minutes: Int32Array;
  readonly keys: Int32Array;
  readonly values: Float64Array;
}

/** Reusable arrays for {@link MinuteCache.rows}. */
export interface RowScratch {
  minutes: Int32Array;
  keys: Int32Array;
  values: Float64Array;
}

export function rowScratch(): RowScratch {
  return { minutes: new Int32Array(0), keys: new Int32Array(0), values: new Float64Array(0) };
}

function grow(scratch: RowScratch, length: number): void {
  const size = Math.max(length, 2 * scratch.minutes.length);
  for (const column of ['minutes', 'keys'] as const) {
    const larger = new Int32Array(size);
    larger.set(scratch[column]);
    scratch[column] = larger;
  }
  const values = new Float64Array(size);
  values.set(scratch.values);
  scratch.values = values;
}

/** One series' rows of one chunk of minutes. */
interface Chunk<Form> {
  /** Null once a form that holds every row has been made (see ChunkForm.rows). */
  rows: MinuteRows | null;
  /** The store version these rows were read at: while it holds, nothing needs reading again. */
  version: number;
  /** The rows' other form (see ChunkForm), made for the first `formRows` rows. */
  form: Form | null;
  formRows: number;
  /** How many rows the chunk has, kept or not. */
  length: number;
  /** When it was last read, by CacheBudget.stamp. */
  readAt: number;
}

interface DirtyRange {
  from: number;
  to: number;
  touchedMs: number;
}

/** Detection scores a minute once later entries have closed it: how far behind them it writes. */
const SCORED_BEHIND_MINUTES = 15;
/** Touched minutes this close together share one range of minutes to re-read. */
const RANGE_GAP_MINUTES = 60;
/** More ranges than this in the settling time (an import and live entries interleaved): forget all. */
const MAX_RECENT_RANGES = 64;
const CHUNK_OVERHEAD_BYTES = 200;
/** A minute, a key and a value; the keys of a table without a key column take no memory (NO_KEYS). */
const ROW_BYTES = 16;
const KEY_BYTES = 4;
/**
 * The keys of every chunk of a table without a key column (scores: one row per minute, so at most
 * CHUNK_MINUTES a chunk), all 0: views of one array rather than an array per chunk.
 */
const NO_KEYS = new Int32Array(CHUNK_MINUTES);
/** Keys a (series, chunk) pair as one number: series ids stay far below 2^31, chunks below 2^21. */
const CHUNK_KEY_FACTOR = 2 ** 21;

/**
 * Rows of a per-minute table held in memory as typed arrays, one chunk of minutes per series: reading
 * a day of 1,000 series from SQLite takes seconds, from here milliseconds. Chunks are read once and then
 * patched where new entries touched them (see StoreChanges), or re-read while still settling.
 */
export class MinuteCache<Form = never> implements BudgetedCache {
  private readonly chunks = new Map<number, Chunk<Form>>();
  private readonly dirty = new Map<number, DirtyRange>();
  /** Minutes written recently for any series: with settleMs, re-read in every chunk they overlap. */
  private recent: DirtyRange[] = [];
  private readonly selectRange;
  private bytes = 0;

  constructor(
    db: Db,
    readonly spec: MinuteTable,
    private readonly options: MinuteCacheOptions<Form>,
  ) {
    options.budget.add(this);
    const key = spec.keyColumn ?? '0';
    const order = spec.keyColumn === null ? 'minute' : `minute, ${spec.keyColumn}`;
    this.selectRange = db
      .prepare<[number, number, number], [number, number, number]>(
        `SELECT minute, ${key}, ${spec.valueColumn} FROM ${spec.table}
         WHERE series_id = ? AND minute >= ? AND minute <= ? ORDER BY ${order}`,
      )
      .raw(true);
  }

  /** Calls `visit` for every row of the series with a minute in [fromMinute, toMinute], in (minute, key) order. */
  read(
    seriesId: number,
    fromMinute: number,
    toMinute: number,
    visit: (minute: number, key: number, value: number) => void,
  ): void {
    const volatileFrom = this.volatileFrom();
    for (let chunk = chunkOf(fromMinute); chunk <= chunkOf(toMinute); chunk++) {
      const { minutes, keys, values } = this.rowsOf(this.chunk(seriesId, chunk, volatileFrom));
      let index = lowerBound(minutes, fromMinute);
      for (; index < minutes.length; index++) {
        const minute = minutes[index] as number;
        if (minute > toMinute) break;
        visit(minute, keys[index] as number, values[index] as number);
      }
    }
  }

  /**
   * The rows of the series with a minute in [fromMinute, toMinute], copied into `scratch` (grown as
   * needed): views that the next call overwrites, so that a query over a thousand series allocates once.
   * With `formed`, also the form of each chunk that rows were taken from (see ChunkForm), not copied.
   */
  rows(
    seriesId: number,
    fromMinute: number,
    toMinute: number,
    scratch: RowScratch,
    formed: FormedRows<Form>[] | null = null,
  ): MinuteRows {
    const volatileFrom = this.volatileFrom();
    let length = 0;
    for (let chunk = chunkOf(fromMinute); chunk <= chunkOf(toMinute); chunk++) {
      const cached = this.chunk(seriesId, chunk, volatileFrom);
      const rows = this.rowsOf(cached);
      const to = lowerBound(rows.minutes, toMinute + 1);
      const from = lowerBound(rows.minutes, fromMinute);
      if (scratch.minutes.length < length + to - from) grow(scratch, length + to - from);
      copyRows(rows, from, to, scratch, length);
      if (formed !== null && to > from) {
        formed.push({ first: length, from, to, form: this.formOf(seriesId, chunk, cached) });
      }
      length += to - from;
    }
    return {
      minutes: scratch.minutes.subarray(0, length),
      keys: scratch.keys.subarray(0, length),
      values: scratch.values.subarray(0, length),
    };
  }

  /** Adds to `found` the form of each chunk that holds minutes [fromMinute, toMinute] of the series. */
  forms(seriesId: number, fromMinute: number, toMinute: number, found: Form[]): void {
    const volatileFrom = this.volatileFrom();
    for (let chunk = chunkOf(fromMinute); chunk <= chunkOf(toMinute); chunk++) {
      const form = this.formOf(seriesId, chunk, this.chunk(seriesId, chunk, volatileFrom));
      if (form === null) throw new Error(`${this.spec.table}: forms() of a form that may be left out`);
      found.push(form);
    }
  }

  /** Reads the chunks that hold minutes [fromMinute, toMinute] of the series, if not cached already. */
  preload(seriesId: number, fromMinute: number, toMinute: number): void {
    const volatileFrom = this.volatileFrom();
    for (let chunk = chunkOf(fromMinute); chunk <= chunkOf(toMinute); chunk++) {
      this.chunk(seriesId, chunk, volatileFrom);
    }
  }

  /** New entries were stored for this series and minute: its rows may have changed. */
  touch(seriesId: number, minute: number, atMs: number): void {
    if (this.options.settleMs > 0) this.noteRecent(minute, atMs);
    const key = seriesId * CHUNK_KEY_FACTOR + chunkOf(minute);
    if (!this.chunks.has(key)) return;
    const range = this.dirty.get(key);
    if (range === undefined) this.dirty.set(key, { from: minute, to: minute, touchedMs: atMs });
    else {
      range.from = Math.min(range.from, minute);
      range.to = Math.max(range.to, minute);
      range.touchedMs = atMs;
    }
  }

  /** Forgets everything, e.g. after rows were rewritten where no entry shows it. */
  clear(): void {
    this.recent = [];
    this.chunks.clear();
    this.dirty.clear();
    this.options.budget.change(-this.bytes);
    this.bytes = 0;
  }

  oldestRead(except: number | null): number {
    for (const [key, rows] of this.chunks) return key === except ? Infinity : rows.readAt;
    return Infinity;
  }

  dropOldest(except: number | null): void {
    for (const [key, rows] of this.chunks) {
      if (key === except) return;
      this.chunks.delete(key);
      this.dirty.delete(key);
      this.changeBytes(-this.chunkBytes(rows));
      return;
    }
  }

  get cachedBytes(): number {
    return this.bytes;
  }

  /** Minutes from this one on may still be rewritten without new entries pointing at them. */
  private volatileFrom(): number {
    return this.options.settleMs > 0
      ? Math.floor((this.options.nowMs() - this.options.settleMs) / 60_000)
      : Number.POSITIVE_INFINITY;
  }

  private chunk(seriesId: number, chunk: number, volatileFrom: number): Chunk<Form> {
    const key = seriesId * CHUNK_KEY_FACTOR + chunk;
    const firstMinute = chunk * CHUNK_MINUTES;
    const lastMinute = firstMinute + CHUNK_MINUTES - 1;
    let rows = this.chunks.get(key);
    if (rows === undefined) {
      rows = this.load(seriesId, firstMinute, lastMinute);
      this.remember(key, rows);
      return rows;
    }
    // Re-insertion keeps the Map in least-recently-read order, for eviction.
    this.chunks.delete(key);
    this.chunks.set(key, rows);
    rows.readAt = this.options.budget.stamp();
    if (rows.version === this.options.storeVersion()) return rows;
    const range = this.dirty.get(key);
    if (range !== undefined) {
      rows = this.patch(key, seriesId, rows, range.from, range.to);
      if (this.options.nowMs() - range.touchedMs >= this.options.settleMs) this.dirty.delete(key);
    }
    const nowMs = this.options.nowMs();
    for (const recent of this.recent) {
      if (recent.to < firstMinute || recent.from > lastMinute) continue;
      if (nowMs - recent.touchedMs >= this.options.settleMs) continue;
      rows = this.patch(
        key,
        seriesId,
        rows,
        Math.max(firstMinute, recent.from),
        Math.min(lastMinute, recent.to),
      );
    }
    if (lastMinute >= volatileFrom) {
      rows = this.patch(key, seriesId, rows, Math.max(firstMinute, volatileFrom), lastMinute);
    }
    rows.version = this.options.storeVersion();
    return rows;
  }

  /** The chunk's form, made now where it was not yet (or for older rows); null if optional and no room. */
  private formOf(seriesId: number, chunk: number, cached: Chunk<Form>): Form | null {
    if (cached.form !== null && cached.formRows === cached.length) return cached.form;
    const form = this.options.form as ChunkForm<Form>;
    const rows = this.rowsOf(cached);
    const { budget } = this.options;
    if (form.optionalBytes !== undefined && budget.usedBytes + form.optionalBytes(rows) > budget.maxBytes) {
      return null;
    }
    const before = this.chunkBytes(cached);
    cached.form = form.make(rows, cached.form, cached.formRows);
    cached.formRows = cached.length;
    if (form.rows !== undefined) cached.rows = null;
    this.changeBytes(this.chunkBytes(cached) - before);
    this.options.budget.enforce(this, seriesId * CHUNK_KEY_FACTOR + chunk);
    return cached.form;
  }

  /** The chunk's rows, made from its form where only that is kept. */
  private rowsOf(cached: Chunk<Form>): MinuteRows {
    if (cached.rows !== null) return cached.rows;
    const { form } = this.options;
    if (form?.rows === undefined || cached.form === null) {
      throw new Error(`${this.spec.table}: a chunk with neither its rows nor a form that holds them`);
    }
    return form.rows(cached.form);
  }

  private noteRecent(minute: number, atMs: number): void {
    this.recent = this.recent.filter((range) => atMs - range.touchedMs < this.options.settleMs);
    const near = this.recent.find(
      (range) => minute >= range.from - RANGE_GAP_MINUTES && minute <= range.to + RANGE_GAP_MINUTES,
    );
    if (near !== undefined) {
      near.from = Math.min(near.from, minute - SCORED_BEHIND_MINUTES);
      near.to = Math.max(near.to, minute);
      near.touchedMs = atMs;
    } else if (this.recent.length < MAX_RECENT_RANGES) {
      this.recent.push({ from: minute - SCORED_BEHIND_MINUTES, to: minute, touchedMs: atMs });
    } else {
      this.clear();
    }
  }

  private load(seriesId: number, fromMinute: number, toMinute: number): Chunk<Form> {
    const found = this.selectRange.all(seriesId, fromMinute, toMinute);
    const rows = {
      minutes: new Int32Array(found.length),
      keys: this.keys(found.length),
      values: new Float64Array(found.length),
    };
    for (let i = 0; i < found.length; i++) {
      const [minute, key, value] = found[i] as [number, number, number];
      rows.minutes[i] = minute;
      rows.keys[i] = key;
      rows.values[i] = value;
    }
    return {
      rows,
      version: this.options.storeVersion(),
      form: null,
      formRows: 0,
      length: found.length,
      readAt: this.options.budget.stamp(),
    };
  }

  /** Replaces the rows of minutes [fromMinute, toMinute] with what the table holds now. */
  private patch(
    key: number,
    seriesId: number,
    rows: Chunk<Form>,
    fromMinute: number,
    toMinute: number,
  ): Chunk<Form> {
    const fresh = this.load(seriesId, fromMinute, toMinute);
    const freshRows = fresh.rows as MinuteRows;
    const old = this.rowsOf(rows);
    const head = lowerBound(old.minutes, fromMinute);
    const tail = lowerBound(old.minutes, toMinute + 1);
    const length = head + fresh.length + (rows.length - tail);
    const splicedRows = {
      minutes: new Int32Array(length),
      keys: this.keys(length),
      values: new Float64Array(length),
    };
    const spliced: Chunk<Form> = {
      rows: splicedRows,
      version: fresh.version,
      form: rows.form,
      formRows: Math.min(rows.formRows, head),
      length,
      readAt: fresh.readAt,
    };
    for (const column of ['minutes', 'keys', 'values'] as const) {
      const target = splicedRows[column];
      target.set(old[column].subarray(0, head), 0);
      target.set(freshRows[column], head);
      target.set(old[column].subarray(tail), head + fresh.length);
    }
    this.changeBytes(-this.chunkBytes(rows));
    this.chunks.delete(key);
    this.remember(key, spliced);
    return spliced;
  }

  private remember(key: number, rows: Chunk<Form>): void {
    this.chunks.set(key, rows);
    this.changeBytes(this.chunkBytes(rows));
    this.options.budget.enforce(this, key);
  }

  private changeBytes(bytes: number): void {
    this.bytes += bytes;
    this.options.budget.change(bytes);
  }

  private keys(length: number): Int32Array {
    return this.spec.keyColumn === null ? NO_KEYS.subarray(0, length) : new Int32Array(length);
  }

  private chunkBytes(cached: Chunk<Form>): number {
    const form = cached.form === null ? 0 : (this.options.form as ChunkForm<Form>).bytes(cached.form);
    const rowBytes = this.spec.keyColumn === null ? ROW_BYTES - KEY_BYTES : ROW_BYTES;
    return CHUNK_OVERHEAD_BYTES + (cached.rows === null ? 0 : cached.length * rowBytes) + form;
  }
}

/**
 * Rows [from, to) of a chunk into `scratch` at `at`: whole chunks (most of a long range) are copied by
 * `set` without the three views a slice would cost; the partial chunks at the ends element by element.
 */
function copyRows(rows: MinuteRows, from: number, to: number, scratch: RowScratch, at: number): void {
  if (from === 0 && to === rows.minutes.length) {
    scratch.minutes.set(rows.minutes, at);
    scratch.keys.set(rows.keys, at);
    scratch.values.set(rows.values, at);
    return;
  }
  const { minutes, keys, values } = scratch;
  for (let i = from, j = at; i < to; i++, j++) {
    minutes[j] = rows.minutes[i] as number;
    keys[j] = rows.keys[i] as number;
    values[j] = rows.values[i] as number;
  }
}

/** The first index whose minute is at or after `minute`. */
function lowerBound(minutes: Int32Array, minute: number): number {
  let low = 0;
  let high = minutes.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if ((minutes[middle] as number) < minute) low = middle + 1;
    else high = middle;
  }
  return low;
}
