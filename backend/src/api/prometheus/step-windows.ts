import type { StepGrid } from './grid.ts';

/** Where each step's window (t - offset - range, t - offset] lies in a series' timestamps. */
export interface StepWindows {
  /** Per step, the first sample in the window. */
  readonly from: Int32Array;
  /** Per step, one past the last sample in the window (`from` when it is empty). */
  readonly to: Int32Array;
  /** Moves whenever the arrays are rewritten for other timestamps: what was derived from them is stale. */
  readonly version: number;
}

interface Plan {
  /** The timestamps planned for: a source never rewrites them while the query runs. */
  timestamps: Float64Array;
  readonly windows: { readonly from: Int32Array; readonly to: Int32Array; version: number };
}

/**
 * Timestamp sets remembered at once. Counters of one series whose keys start at different minutes
 * alternate between two sets (a day of 2,000 such series found its windows afresh for each).
 */
const PLANS = 4;

/**
 * Finds the windows of every step in a series' samples. The series of one selection mostly share their
 * timestamps (the store's minute grid), often as one array, so the windows of the last few timestamp
 * sets seen are kept and handed out again (the same object) when a series has one of those sets: then
 * only its values need reading, and whatever a caller derived from the windows' times holds as well,
 * while their `version` stays the same. The least recently used windows are rewritten for new timestamps.
 */
export class StepWindowFinder {
  /** Most recently used first. */
  private readonly plans: Plan[] = [];
  private versions = 0;

  constructor(
    private readonly grid: StepGrid,
    private readonly offsetMs: number,
    private readonly rangeMs: number,
  ) {}

  windowsOf(timestamps: Float64Array): StepWindows {
    const { plans } = this;
    for (let i = 0; i < plans.length; i++) {
      const plan = plans[i] as Plan;
      if (!samePlan(plan, timestamps)) continue;
      if (i > 0) {
        plans.splice(i, 1);
        plans.unshift(plan);
      }
      return plan.windows;
    }
    const { startMs, stepMs, steps } = this.grid;
    const plan =
      plans.length < PLANS
        ? { timestamps, windows: { from: new Int32Array(steps), to: new Int32Array(steps), version: 0 } }
        : (plans.pop() as Plan);
    plans.unshift(plan);
    plan.timestamps = timestamps;
    plan.windows.version = ++this.versions;
    const { from, to } = plan.windows;
    const samples = timestamps.length;
    let first = 0;
    let end = 0;
    for (let step = 0; step < steps; step++) {
      const lastMs = startMs + step * stepMs - this.offsetMs;
      const firstMs = lastMs - this.rangeMs;
      while (first < samples && (timestamps[first] as number) <= firstMs) first++;
      if (end < first) end = first;
      while (end < samples && (timestamps[end] as number) <= lastMs) end++;
      from[step] = first;
      to[step] = end;
    }
    return plan.windows;
  }

  /** The end of step `step`'s window, t - offset, in ms. */
  lastMs(step: number): number {
    return this.grid.startMs + step * this.grid.stepMs - this.offsetMs;
  }
}

function samePlan({ timestamps: planned }: Plan, timestamps: Float64Array): boolean {
  if (planned === timestamps) return true;
  const length = timestamps.length;
  if (length !== planned.length) return false;
  for (let i = 0; i < length; i++) if (timestamps[i] !== planned[i]) return false;
  return true;
}
