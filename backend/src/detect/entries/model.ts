import { IsolationForest } from '../isolation-forest.ts';
import type { IsolationForestSnapshot } from '../isolation-forest.ts';
import { withoutAlerted } from './window.ts';

/** What fitting a model needs: plain data, so that it can be posted to a worker thread. */
export interface TrainingJob {
  /** The window's rows, row-major, `featureCount` columns. */
  rows: Float64Array;
  /** Per row, 1 when it alerted: left out of the fit, kept for the threshold. */
  alerted: Uint8Array;
  featureCount: number;
  trees: number;
  sampleSize: number;
  seed: number;
}

/** A fitted model, as a worker thread posts it back. */
export interface TrainedEntryModel {
  forest: IsolationForestSnapshot;
  /** The raw scores of all the window's rows under the new forest, ascending: the global calibration. */
  windowScores: Float64Array;
}

/**
 * Fits a forest on the window's rows that did not alert, and scores all of them; pure, for a worker
 * thread or in place.
 */
export function trainEntryModel(job: TrainingJob): TrainedEntryModel {
  const { rows, alerted, featureCount, trees, sampleSize, seed } = job;
  const training = withoutAlerted(rows, alerted, featureCount);
  const forest = IsolationForest.fit(training, featureCount, { trees, sampleSize, seed });
  return { forest: forest.toSnapshot(), windowScores: forest.score(rows).sort() };
}

/** Refit after this many entries or this much entry time since the last fit, whichever comes first. */
export interface RefitSchedule {
  everyEntries: number;
  everyMinutes: number;
  /** No fit before the window holds this many rows. */
  minRows: number;
}

export interface ScheduleState {
  entriesSinceFit: number;
  /** Entry time of the last fit (µs); null before the first. */
  lastFitUs: number | null;
  latestUs: number | null;
}

/** Counts entries and entry time since the last fit and says when the next is due. */
export class RefitClock {
  readonly schedule: Readonly<RefitSchedule>;
  entriesSinceFit = 0;
  lastFitUs: number | null = null;
  latestUs: number | null = null;

  constructor(schedule: RefitSchedule, state?: ScheduleState) {
    for (const [name, value] of Object.entries(schedule)) {
      if (!(value > 0)) throw new RangeError(`${name} must be above 0, got ${value}`);
    }
    this.schedule = Object.freeze({ ...schedule });
    if (state) Object.assign(this, state);
  }

  tick(timeUs: number): void {
    this.entriesSinceFit++;
    if (this.latestUs === null || timeUs > this.latestUs) this.latestUs = timeUs;
  }

  due(windowRows: number): boolean {
    if (windowRows < this.schedule.minRows) return false;
    if (this.lastFitUs === null || this.latestUs === null) return true;
    return (
      this.entriesSinceFit >= this.schedule.everyEntries ||
      this.latestUs - this.lastFitUs >= this.schedule.everyMinutes * 60e6
    );
  }

  /** A fit starts now: the next is due a full period later. */
  started(): void {
    this.entriesSinceFit = 0;
    this.lastFitUs = this.latestUs;
  }

  /** The fit that started did not finish: the next is due now. */
  abandoned(): void {
    this.lastFitUs = null;
  }

  state(): ScheduleState {
    return { entriesSinceFit: this.entriesSinceFit, lastFitUs: this.lastFitUs, latestUs: this.latestUs };
  }
}
