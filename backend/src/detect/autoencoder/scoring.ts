import { median, robustCentreAndSpread } from './statistics.ts';
import { WINDOW_STEPS } from './windows.ts';

/**
 * From reconstruction error to a calibrated 0..1 score and a hint of what kind of anomaly it is.
 *
 * The residual of a step is observed z − reconstructed z. A window ending at minute m yields two statistics:
 *   point  |residual of m|: a burst or a gap at m itself;
 *   drift  |median residual over the window|: moves only when most of the window is off (a level shift or a
 *          slow trend), and not at all for one spike, which therefore does not smear over the next half hour.
 *
 * Calibration is per series, against the same statistics on windows from the series' own training history:
 * deviations = (statistic − median) / robust spread (scaled MAD), mapped through a logistic that is 0.5 at
 * MIDPOINT deviations: 3 → 0.5, 5 → 0.88, 6 → 0.95, 8 → 0.99; a usual minute (about 0) scores ≈ 0.05.
 * A logistic of a robust z needs only a median and a spread, where ranking against training errors would
 * need hundreds of windows per series to resolve the tail near 1. The point statistic is calibrated on the
 * residuals of every step of the calibration windows, not only their newest: the autoencoder rebuilds all
 * positions about equally well (measured: median and 95th percentile of |residual| within 10% across the
 * window), and 32 windows then give 960 residuals per series instead of 32. Spreads are floored at the
 * median spread over all series, so a series that happened to be very regular in training (or is mostly
 * zeros) is not held to a stricter standard than the typical series.
 *
 * The score of a minute is the larger of its point and drift scores.
 */
export type AnomalyKind = 'burst' | 'silence' | 'trend' | 'periodic';

export interface PointScore {
  minute: number;
  /** 0..1; 0.5 is three robust deviations above what is usual for this series, ≥ 0.9 is clearly anomalous. */
  score: number;
  /**
   * What the newest minute looks like, when the score is at least 0.5: `burst` (far above expected),
   * `periodic` (a burst that is the third or later separate spike in the window: a crash loop),
   * `silence` (far below expected, or a drift down to zero), `trend` (most of the window drifted).
   */
  kind: AnomalyKind | null;
  /** Entries the model expected at this minute (its reconstruction, as a count). */
  expected: number;
  observed: number;
}

export interface RobustScale {
  centre: number;
  spread: number;
}

export interface SeriesCalibration {
  point: RobustScale;
  drift: RobustScale;
}

/** What a series' calibration is fitted on: |residual| of every step, and the drift of every window. */
export interface CalibrationSample {
  point: Float64Array;
  drift: Float64Array;
}

const MIDPOINT = 3;
const KIND_THRESHOLD = 0.5;
const PERIODIC_SPIKES = 3;

/** Residuals (observed − reconstructed z) of window `row` of a batch. */
export function windowResiduals(
  observed: Float32Array,
  reconstructed: Float32Array,
  row: number,
): Float64Array {
  const residuals = new Float64Array(WINDOW_STEPS);
  for (let step = 0; step < WINDOW_STEPS; step++) {
    const cell = row * WINDOW_STEPS + step;
    residuals[step] = (observed[cell] ?? 0) - (reconstructed[cell] ?? 0);
  }
  return residuals;
}

export function pointStatistic(residuals: Float64Array): number {
  return Math.abs(residuals[WINDOW_STEPS - 1] ?? 0);
}

export function driftStatistic(residuals: Float64Array): number {
  return Math.abs(median(Float64Array.from(residuals)));
}

/** The calibration sample of one series, from `rows` windows of a batch starting at `firstRow`. */
export function calibrationSample(
  observed: Float32Array,
  reconstructed: Float32Array,
  firstRow: number,
  rows: number,
): CalibrationSample {
  const point = new Float64Array(rows * WINDOW_STEPS);
  const drift = new Float64Array(rows);
  for (let k = 0; k < rows; k++) {
    const residuals = windowResiduals(observed, reconstructed, firstRow + k);
    point.set(residuals.map(Math.abs), k * WINDOW_STEPS);
    drift[k] = driftStatistic(residuals);
  }
  return { point, drift };
}

export function fitCalibrations(samples: readonly CalibrationSample[]): SeriesCalibration[] {
  const raw = samples.map((sample) => ({
    point: robustCentreAndSpread(sample.point),
    drift: robustCentreAndSpread(sample.drift),
  }));
  const floor = (pick: (calibration: SeriesCalibration) => RobustScale): number =>
    median(Float64Array.from(raw, (calibration) => pick(calibration).spread));
  const pointFloor = floor((calibration) => calibration.point);
  const driftFloor = floor((calibration) => calibration.drift);
  return raw.map(({ point, drift }) => ({
    point: { centre: point.centre, spread: Math.max(point.spread, pointFloor) },
    drift: { centre: drift.centre, spread: Math.max(drift.spread, driftFloor) },
  }));
}

export function calibrate(statistic: number, scale: RobustScale): number {
  const deviations = (statistic - scale.centre) / scale.spread;
  return 1 / (1 + Math.exp(MIDPOINT - deviations));
}

/** Score and kind of the newest minute of a window, from the window's residuals. */
export function judgeWindow(
  residuals: Float64Array,
  observed: number,
  calibration: SeriesCalibration,
): Pick<PointScore, 'score' | 'kind'> {
  const pointScore = calibrate(pointStatistic(residuals), calibration.point);
  const driftScore = calibrate(driftStatistic(residuals), calibration.drift);
  const score = Math.max(pointScore, driftScore);
  if (score < KIND_THRESHOLD) return { score, kind: null };
  const last = residuals[WINDOW_STEPS - 1] ?? 0;
  if (pointScore >= driftScore) {
    if (last < 0) return { score, kind: 'silence' };
    return { score, kind: spikeRuns(residuals, calibration.point) >= PERIODIC_SPIKES ? 'periodic' : 'burst' };
  }
  return { score, kind: observed === 0 && last < 0 ? 'silence' : 'trend' };
}

/** Separate runs of steps that would each score at least 0.5 as an upward point anomaly. */
function spikeRuns(residuals: Float64Array, point: RobustScale): number {
  const threshold = point.centre + MIDPOINT * point.spread;
  let runs = 0;
  let inRun = false;
  for (const residual of residuals) {
    const spiking = residual > threshold;
    if (spiking && !inRun) runs++;
    inRun = spiking;
  }
  return runs;
}
