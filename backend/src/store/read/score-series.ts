import type { Labels, StoredSeries } from '../../api/prometheus/index.ts';
import type { Db } from '../database.ts';
import type { MetricSelection } from './metric-selection.ts';
import type { MinuteCache } from './minute-cache.ts';
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
    private readonly rows: MinuteCache,
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

  *select(selection: MetricSelection, startMs: number, endMs: number): Iterable<StoredSeries> {
    const fromMinute = Math.ceil(startMs / MS_PER_MINUTE);
    const toMinute = Math.floor(endMs / MS_PER_MINUTE);
    if (toMinute < fromMinute) return;
    let newest: number | undefined;
    const settledUpTo = () => (newest ??= this.newestPerSeries.get() ?? 0) - SETTLED_MINUTES;
    const minutes: number[] = [];
    const scores: number[] = [];
    for (const row of selection.series) {
      const labels = selection.labelsOf(row, '');
      if (labels === null) continue;
      minutes.length = 0;
      scores.length = 0;
      // From the minute before, which decides whether the window opens on a stale marker.
      this.rows.read(row.id, fromMinute - 1, toMinute, (minute, _key, score) => {
        minutes.push(minute);
        scores.push(score);
      });
      const series = withStaleMarkers(labels, minutes, scores, fromMinute, toMinute, settledUpTo);
      if (series !== null) yield series;
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

/**
 * The samples in [fromMinute, toMinute], with a stale marker in the minute after each run of scored
 * minutes once that minute is settled: a later minute of the series is scored, or the detector is
 * SETTLED_MINUTES past it. Null when no minute in the window is scored.
 */
function withStaleMarkers(
  labels: Labels,
  minutes: readonly number[],
  scores: readonly number[],
  fromMinute: number,
  toMinute: number,
  settledUpTo: () => number,
): StoredSeries | null {
  const timestamps: number[] = [];
  const values: number[] = [];
  const stale: number[] = [];
  let markers = 0;
  let samples = 0;
  for (let i = 0; i < minutes.length; i++) {
    const minute = minutes[i] as number;
    if (minute >= fromMinute) {
      timestamps.push(minute * MS_PER_MINUTE);
      values.push(scores[i] as number);
      stale.push(0);
      samples++;
    }
    const next = minutes[i + 1];
    const gapAfter = next === undefined ? minute + 1 <= settledUpTo() : next > minute + 1;
    if (gapAfter && minute + 1 >= fromMinute && minute + 1 <= toMinute) {
      timestamps.push((minute + 1) * MS_PER_MINUTE);
      values.push(0);
      stale.push(1);
      markers++;
    }
  }
  if (samples === 0) return null;
  return {
    labels,
    timestamps: Float64Array.from(timestamps),
    values: Float64Array.from(values),
    ...(markers > 0 && { stale: Uint8Array.from(stale) }),
  };
}
