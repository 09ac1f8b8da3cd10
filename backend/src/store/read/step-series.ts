import type { Db } from '../database.ts';
import { MS_PER_MINUTE, isoFromMs, minuteOf } from './minutes.ts';
import type { SeriesRow } from './series-catalog.ts';
import type { StoreSeriesSource } from './series-source.ts';

/** A grid of buckets [start + i·step, start + (i+1)·step) over which per-minute rows are folded. */
export interface StepGrid {
  readonly startMs: number;
  readonly stepMs: number;
  readonly buckets: number;
}

export function stepGrid(startMs: number, endMs: number, stepMs: number): StepGrid {
  return { startMs, stepMs, buckets: Math.floor((endMs - startMs) / stepMs) + 1 };
}

export function gridTimes(grid: StepGrid): string[] {
  return Array.from({ length: grid.buckets }, (_, i) => isoFromMs(grid.startMs + i * grid.stepMs));
}

export interface ScoreBuckets {
  host: string;
  unit: string;
  /** The highest score of the minutes in each bucket (peaks are what matter), null without any. */
  score: (number | null)[];
  entry_score: (number | null)[];
  count_score: (number | null)[];
}

export interface CountBuckets {
  host: string;
  unit: string;
  template_id: number | null;
  /** Entries in each bucket. */
  counts: number[];
}

/** Score and count series of chosen (host, unit)s, folded onto a step grid, for the Lookout plugin. */
export class StepSeries {
  private readonly scoreRows;

  constructor(
    db: Db,
    private readonly source: StoreSeriesSource,
  ) {
    this.scoreRows = db
      .prepare<[number, number, number], [number, number, number, number]>(
        `SELECT minute, score, entry_score, count_score FROM anomaly_scores
         WHERE series_id = ? AND minute >= ? AND minute <= ? ORDER BY minute`,
      )
      .raw(true);
  }

  scores(rows: readonly SeriesRow[], grid: StepGrid): ScoreBuckets[] {
    const [fromMinute, toMinute] = minutesOf(grid);
    return rows.map((row) => {
      const buckets: ScoreBuckets = {
        host: row.host,
        unit: row.unit,
        score: new Array<number | null>(grid.buckets).fill(null),
        entry_score: new Array<number | null>(grid.buckets).fill(null),
        count_score: new Array<number | null>(grid.buckets).fill(null),
      };
      for (const [minute, score, entryScore, countScore] of this.scoreRows.iterate(
        row.id,
        fromMinute,
        toMinute,
      )) {
        const bucket = bucketOf(grid, minute);
        if (bucket < 0) continue;
        buckets.score[bucket] = Math.max(buckets.score[bucket] ?? -Infinity, score);
        buckets.entry_score[bucket] = Math.max(buckets.entry_score[bucket] ?? -Infinity, entryScore);
        buckets.count_score[bucket] = Math.max(buckets.count_score[bucket] ?? -Infinity, countScore);
      }
      return buckets;
    });
  }

  /** Entries per bucket of each series; of one template only when `templateId` is given. */
  counts(rows: readonly SeriesRow[], grid: StepGrid, templateId?: number): CountBuckets[] {
    const [fromMinute, toMinute] = minutesOf(grid);
    return rows.map((row) => {
      const counts = new Array<number>(grid.buckets).fill(0);
      const add = (minute: number, key: number, count: number) => {
        const bucket = bucketOf(grid, minute);
        if (bucket >= 0 && (templateId === undefined || key === templateId)) {
          counts[bucket] = (counts[bucket] ?? 0) + count;
        }
      };
      if (templateId === undefined) this.source.visitEntryCounts(row.id, fromMinute, toMinute, add);
      else this.source.visitTemplateCounts(row.id, fromMinute, toMinute, add);
      return { host: row.host, unit: row.unit, template_id: templateId ?? null, counts };
    });
  }
}

function minutesOf(grid: StepGrid): [number, number] {
  const endMs = grid.startMs + grid.buckets * grid.stepMs - 1;
  return [minuteOf(grid.startMs + MS_PER_MINUTE - 1), minuteOf(endMs)];
}

/** The bucket holding the minute's start, or -1 outside the grid. */
function bucketOf(grid: StepGrid, minute: number): number {
  const bucket = Math.floor((minute * MS_PER_MINUTE - grid.startMs) / grid.stepMs);
  return bucket < grid.buckets ? bucket : -1;
}
