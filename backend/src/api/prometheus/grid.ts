import { executionError } from './errors.ts';
import { labelsKey, type Labels } from './labels.ts';

/**
 * The evaluation timestamps of a query: `startMs`, `startMs + stepMs`, ... (`steps` of them). An instant
 * query is a grid of one step. The engine evaluates every node for all steps at once, series by series,
 * which is what makes 1,000 series × 1,440 steps cheap.
 */
export interface StepGrid {
  readonly startMs: number;
  readonly stepMs: number;
  readonly steps: number;
}

/**
 * A series' value at each step of the grid; `present[i]` is 0 where the series has no sample, and
 * `values[i]` is then anything: nothing reads it.
 */
export interface StepSeries {
  readonly labels: Labels;
  readonly values: Float64Array;
  readonly present: Uint8Array;
}

export type StepValue =
  | { readonly type: 'scalar'; readonly values: Float64Array }
  | { readonly type: 'vector'; readonly series: StepSeries[] }
  | { readonly type: 'string'; readonly value: string };

/** Prometheus's default `--query.max-samples`: the most points one query may hold in memory. */
export const MAX_SAMPLES = 50_000_000;

/** Refuses a selection before allocating it, counting one point per series and step. */
export function checkSampleLimit(series: number, steps: number): void {
  if (series * steps > MAX_SAMPLES) {
    throw executionError('query processing would load too many samples into memory in query execution');
  }
}

export function stepTimeMs(grid: StepGrid, index: number): number {
  return grid.startMs + index * grid.stepMs;
}

export function emptyStepSeries(labels: Labels, steps: number): StepSeries {
  return { labels, values: new Float64Array(steps), present: new Uint8Array(steps) };
}

/** Series a block holds: about 1 MB at a day of minutes. */
const SERIES_PER_BLOCK = 64;
/** What ScratchBlocks keeps between evaluations at most (values and presence). */
const RETAINED_SCRATCH_BYTES = 64 * 2 ** 20;

/**
 * Blocks for step series that live only until an aggregation has read them, reused from one
 * evaluation to the next. Fresh blocks for the 2,000 series of a rate() over a day are 26 MB of zeroed
 * memory from the system per query, and V8 collects garbage as such external memory comes and goes.
 * Scopes nest: `release(mark)` hands back only what was taken after `mark()`.
 */
export class ScratchBlocks {
  private readonly values: Float64Array[] = [];
  private readonly present: Uint8Array[] = [];
  private taken = 0;

  mark(): number {
    return this.taken;
  }

  release(mark: number): void {
    this.taken = mark;
    if (mark > 0) return;
    let bytes = 0;
    let kept = 0;
    while (kept < this.values.length && bytes < RETAINED_SCRATCH_BYTES) {
      bytes += 9 * (this.values[kept] as Float64Array).length;
      kept++;
    }
    this.values.length = kept;
    this.present.length = kept;
  }

  /**
   * Arrays of `length` elements, valid until the scope they were taken in is released: zeroed, but for
   * the values when not `zeroValues`.
   */
  block(length: number, zeroValues = true): { values: Float64Array; present: Uint8Array } {
    const index = this.taken++;
    const values = this.values[index];
    const present = this.present[index];
    if (values === undefined || present === undefined || values.length < length) {
      const block = { values: new Float64Array(length), present: new Uint8Array(length) };
      this.values[index] = block.values;
      this.present[index] = block.present;
      return block;
    }
    const kept = values.subarray(0, length);
    return { values: zeroValues ? kept.fill(0) : kept, present: present.subarray(0, length).fill(0) };
  }
}

/**
 * Step series for the many series of one selection, their arrays cut from shared blocks: allocating two
 * typed arrays per series cost more than filling them. A block lives as long as any series cut from it.
 */
export class StepSeriesBlocks {
  private values: Float64Array = new Float64Array(0);
  private present: Uint8Array = new Uint8Array(0);
  private used = 0;

  /**
   * With `scratch`, the blocks are taken from it: for series that an aggregation reads and drops. Their
   * values are zeroed only when `zeroValues` (see empty()).
   */
  constructor(
    private readonly steps: number,
    private readonly scratch: ScratchBlocks | null,
    private readonly zeroValues = false,
  ) {}

  empty(labels: Labels): StepSeries {
    const { steps } = this;
    if (this.used + steps > this.present.length) {
      const length = steps * SERIES_PER_BLOCK;
      if (this.scratch === null) {
        this.values = new Float64Array(length);
        this.present = new Uint8Array(length);
      } else {
        // A step series' values are read only where present (26 MB a day of 2,000 rate()s would be
        // zeroed for nothing); an aggregation's running compensations and counts are read everywhere.
        ({ values: this.values, present: this.present } = this.scratch.block(length, this.zeroValues));
      }
      this.used = 0;
    }
    const from = this.used;
    this.used += steps;
    return {
      labels,
      values: this.values.subarray(from, from + steps),
      present: this.present.subarray(from, from + steps),
    };
  }
}

export function hasAnyPoint(series: StepSeries): boolean {
  return series.present.includes(1);
}

/**
 * After labels were rewritten (the metric name dropped), two series may carry the same labels. That is
 * fine while they never have a point at the same step (they are then one series), and an error when they
 * do, as in Prometheus.
 */
export function mergeSameLabelsets(series: StepSeries[]): StepSeries[] {
  if (series.length < 2) return series;
  const byKey = new Map<string, StepSeries>();
  const merged: StepSeries[] = [];
  for (const current of series) {
    const key = labelsKey(current.labels);
    const earlier = byKey.get(key);
    if (!earlier) {
      byKey.set(key, current);
      merged.push(current);
      continue;
    }
    for (let i = 0; i < current.present.length; i++) {
      if (current.present[i] !== 1) continue;
      if (earlier.present[i] === 1)
        throw executionError('vector cannot contain metrics with the same labelset');
      earlier.present[i] = 1;
      earlier.values[i] = current.values[i] ?? 0;
    }
  }
  return merged;
}
