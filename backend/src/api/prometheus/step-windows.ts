import type { StepGrid } from './grid.ts';

/** Where each step's window (t - offset - range, t - offset] lies in a series' timestamps. */
export interface StepWindows {
  /** Per step, the first sample in the window. */
  readonly from: Int32Array;
  /** Per step, one past the last sample in the window (`from` when it is empty). */
  readonly to: Int32Array;
}

/**
 * Finds the windows of every step in a series' samples. The series of one selection mostly share their
 * timestamps (the store's minute grid), so the windows of the last timestamps seen are kept and handed
 * out again when the next series has the same timestamps: then only its values need reading, and
 * whatever a caller derived from the windows' times holds as well, while `version` stays the same.
 * The arrays are rewritten for other timestamps.
 */
export class StepWindowFinder {
  /** Moves whenever the windows were found afresh. */
  version = 0;
  private planned = new Float64Array(0);
  private plannedLength = -1;
  private readonly windows: StepWindows;

  constructor(
    private readonly grid: StepGrid,
    private readonly offsetMs: number,
    private readonly rangeMs: number,
  ) {
    this.windows = { from: new Int32Array(grid.steps), to: new Int32Array(grid.steps) };
  }

  windowsOf(timestamps: Float64Array): StepWindows {
    if (!this.planFor(timestamps)) return this.windows;
    const { startMs, stepMs, steps } = this.grid;
    const { from, to } = this.windows;
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
    return this.windows;
  }

  /** The end of step `step`'s window, t - offset, in ms. */
  lastMs(step: number): number {
    return this.grid.startMs + step * this.grid.stepMs - this.offsetMs;
  }

  /** Remembers these timestamps; false when they are the ones planned for already. */
  private planFor(timestamps: Float64Array): boolean {
    const length = timestamps.length;
    if (length === this.plannedLength) {
      const planned = this.planned;
      let same = true;
      for (let i = 0; i < length && same; i++) same = timestamps[i] === planned[i];
      if (same) return false;
    }
    if (this.planned.length < length)
      this.planned = new Float64Array(Math.max(length, 2 * this.planned.length));
    this.planned.set(timestamps);
    this.plannedLength = length;
    this.version++;
    return true;
  }
}
