import {
  writtenBytes,
  writtenPoints,
  type Labels,
  type PointText,
  type StoredSeries,
  type WrittenPoints,
} from '../../api/prometheus/index.ts';
import type { Db } from '../database.ts';
import type { MetricSelection } from './metric-selection.ts';
import {
  rowScratch,
  type ChunkForm,
  type FormedRows,
  type MinuteCache,
  type MinuteRows,
} from './minute-cache.ts';
import { MS_PER_MINUTE } from './minutes.ts';

/**
 * Once the detector has scored minutes this far past a series' silence, the silence is real: the series
 * gets a stale marker, as a vanished scrape target does, instead of showing its last score for the
 * five minutes of lookback.
 */
const SETTLED_MINUTES = 2;

/** lookout_anomaly_score: one sample per scored (host, unit) minute, stamped at the minute's start. */
export class ScoreSeries {
  private readonly newestPerSeries;
  private readonly anyInRange;

  constructor(
    db: Db,
    private readonly rows: MinuteCache<WrittenPoints>,
  ) {
    // One index seek per series: a max() over the whole table would scan it (its key starts with the series).
    this.newestPerSeries = db
      .prepare<[], number | null>(
        'SELECT max((SELECT max(minute) FROM anomaly_scores WHERE series_id = series.id)) FROM series',
      )
      .pluck();
    this.anyInRange = db
      .prepare<[number, number, number], number>(
        'SELECT 1 FROM anomaly_scores WHERE series_id = ? AND minute >= ? AND minute <= ? LIMIT 1',
      )
      .pluck();
  }

  /**
   * With `text`, the samples come with their text as response points (see PointText). In the
   * selection's (the catalog's) order, which is the series' label order.
   */
  *select(selection: MetricSelection, startMs: number, endMs: number, text: boolean): Iterable<StoredSeries> {
    const fromMinute = Math.ceil(startMs / MS_PER_MINUTE);
    const toMinute = Math.floor(endMs / MS_PER_MINUTE);
    if (toMinute < fromMinute) return;
    let newest: number | undefined;
    const settledUpTo = () => (newest ??= this.newestPerSeries.get() ?? 0) - SETTLED_MINUTES;
    const scratch = rowScratch();
    const timestamps = new SharedTimestamps();
    const formed: FormedRows<WrittenPoints>[] | null = text ? [] : null;
    for (const row of selection.series) {
      const labels = selection.labelsOf(row, '');
      if (labels === null) continue;
      if (formed !== null) formed.length = 0;
      // From the minute before, which decides whether the window opens on a stale marker.
      const rows = this.rows.rows(row.id, fromMinute - 1, toMinute, scratch, formed);
      const series = withStaleMarkers(labels, rows, fromMinute, toMinute, settledUpTo, timestamps);
      if (series === null) continue;
      yield formed === null || series.stale !== undefined
        ? series
        : { ...series, text: pointText(formed, rows.values.length - series.values.length) };
    }
  }

  /** The label sets of the series with a score in the range: one index seek each. */
  labels(selection: MetricSelection, startMs: number, endMs: number): Labels[] {
    const fromMinute = Math.max(Math.ceil(startMs / MS_PER_MINUTE), Number.MIN_SAFE_INTEGER);
    const toMinute = Math.min(Math.floor(endMs / MS_PER_MINUTE), Number.MAX_SAFE_INTEGER);
    const found: Labels[] = [];
    for (const row of selection.series) {
      const labels = selection.labelsOf(row, '');
      if (labels !== null && this.anyInRange.get(row.id, fromMinute, toMinute) !== undefined)
        found.push(labels);
    }
    return found;
  }

  forget(): void {
    this.rows.clear();
  }

  get cachedBytes(): number {
    return this.rows.cachedBytes;
  }
}

/** One timestamp array for every series scored in the same run of minutes: most are, every minute. */
class SharedTimestamps {
  private readonly arrays = new Map<string, Float64Array>();

  of(firstMinute: number, length: number): Float64Array {
    const key = `${firstMinute}:${length}`;
    let timestamps = this.arrays.get(key);
    if (timestamps === undefined) {
      timestamps = new Float64Array(length);
      for (let i = 0; i < length; i++) timestamps[i] = (firstMinute + i) * MS_PER_MINUTE;
      this.arrays.set(key, timestamps);
    }
    return timestamps;
  }
}

/** `[1700000000,"0.0123456789012345"],` and its bound. */
const TYPICAL_TEXT_BYTES = 40;

/** Chunks of score rows kept as response points, each stamped at its minute's start. */
export const SCORE_TEXT: ChunkForm<WrittenPoints> = {
  make(rows, earlier, unchanged) {
    const timestamps = new Float64Array(rows.minutes.length);
    for (let i = 0; i < timestamps.length; i++) timestamps[i] = (rows.minutes[i] as number) * MS_PER_MINUTE;
    return writtenPoints(timestamps, rows.values, timestamps.length, earlier, unchanged);
  },
  bytes: writtenBytes,
  // A raw query can write the points itself; rows and the counters' forms cannot be done without.
  optionalBytes: (rows) => TYPICAL_TEXT_BYTES * rows.minutes.length,
};

/**
 * The text of the rows taken from each chunk that has it, without the first `dropped` rows, numbered
 * from there.
 */
function pointText(formed: readonly FormedRows<WrittenPoints>[], dropped: number): PointText[] {
  const text: PointText[] = [];
  for (const { first, from, to, form } of formed) {
    const skip = Math.max(0, dropped - first);
    if (from + skip === to || form === null) continue;
    text.push({
      first: first + skip - dropped,
      bytes: form.bytes,
      bounds: form.bounds.subarray(from + skip, to + 1),
    });
  }
  return text;
}

/**
 * The samples in [fromMinute, toMinute], with a stale marker in the minute after each run of scored
 * minutes once that minute is settled: a later minute of the series is scored, or the detector is
 * SETTLED_MINUTES past it. Null when no minute in the window is scored.
 */
function withStaleMarkers(
  labels: Labels,
  { minutes, values: scores }: MinuteRows,
  fromMinute: number,
  toMinute: number,
  settledUpTo: () => number,
  sharedTimestamps: SharedTimestamps,
): StoredSeries | null {
  const first = minutes[0] === fromMinute - 1 ? 1 : 0;
  if (first === minutes.length) return null;
  const last = minutes[minutes.length - 1] as number;
  const endsSettled = last + 1 <= toMinute && last + 1 <= settledUpTo();
  const gaps = gapsBetween(minutes);
  if (gaps === 0 && !endsSettled) {
    const timestamps = sharedTimestamps.of(minutes[first] as number, minutes.length - first);
    return { labels, timestamps, values: scores.subarray(first) };
  }
  // A marker in the minute after each run of scored minutes that ends inside the window.
  const size = minutes.length + gaps + 1;
  const timestamps = new Float64Array(size);
  const values = new Float64Array(size);
  const stale = new Uint8Array(size);
  let length = 0;
  for (let i = 0; i < minutes.length; i++) {
    const minute = minutes[i] as number;
    if (minute >= fromMinute) {
      timestamps[length] = minute * MS_PER_MINUTE;
      values[length++] = scores[i] as number;
    }
    const next = minutes[i + 1];
    const gapAfter = next === undefined ? endsSettled : next > minute + 1;
    if (gapAfter && minute + 1 >= fromMinute && minute + 1 <= toMinute) {
      timestamps[length] = (minute + 1) * MS_PER_MINUTE;
      stale[length++] = 1;
    }
  }
  return {
    labels,
    timestamps: timestamps.subarray(0, length),
    values: values.subarray(0, length),
    stale: stale.subarray(0, length),
  };
}

/** Runs of missing minutes in ascending, distinct minutes: none when the ends are as far apart as the count says. */
function gapsBetween(minutes: Int32Array): number {
  if (
    minutes.length === 0 ||
    (minutes[minutes.length - 1] as number) - (minutes[0] as number) === minutes.length - 1
  )
    return 0;
  let gaps = 0;
  for (let i = 1; i < minutes.length; i++)
    if ((minutes[i] as number) > (minutes[i - 1] as number) + 1) gaps++;
  return gaps;
}
