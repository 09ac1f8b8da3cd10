import type { CountSeries } from './series.ts';
import { checkCount, MINUTES_PER_DAY, MINUTES_PER_WEEK, minuteOfWeek } from './series.ts';
import { MAD_TO_SIGMA, median } from './statistics.ts';
import type { NormalisedSeries } from './windows.ts';

/**
 * Per-series normalisation of counts, learned from the series' own training history.
 *
 * A count becomes z = (log1p(count) − level) / scale. `level` is the series' typical log1p(count) in that
 * 10-minute slot of the week. One shared model serves every series, and from a 30-minute window alone it
 * cannot know that this unit is busy on Monday mornings and quiet at night: the weekly level removes what is
 * normal for the time, so that z says how far the rate is from its usual value *at this time*. A plain
 * per-series median/IQR would leave every nightly dip and weekly job for the model to memorise, series by
 * series.
 *
 * A slot's level is the median at that time of day over all days of its type (weekdays, or the weekend),
 * unless the slot's own median (that weekday, that time) differs from it by more than DISTINCT_SLOT: then
 * the slot keeps its own (a weekly job, a quiet Friday evening). Pooling matters most when history is one
 * week: each weekly slot has then seen a single day, whose ups and downs would otherwise become the norm,
 * and the calibration, fitted on that same history, would expect next week to match it as closely.
 *
 * `scale` is the spread to expect around the level. Counting noise in log space shrinks as counts grow
 * (log1p of a Poisson count with mean λ has a spread of about √λ / (1 + λ)), while the unit's own
 * burstiness does not, so the scale of a slot combines the two: √(extraSpread² + poisson²), with the
 * Poisson spread at the slot's level and `extraSpread` what the series' history showed beyond counting
 * noise. Below one entry a minute the Poisson spread is taken at λ = 1: a line more or less in one minute
 * says nothing about a unit that logs every few minutes. MIN_SCALE bounds the scale from below.
 *
 * Silence stays visible: the level comes from history, never from the window being scored, so a chatty
 * unit gone quiet gives z far below 0 (clipped at −Z_LIMIT), while a unit that is always quiet at that time
 * gives z near 0.
 */
export interface SeriesNormalisation {
  /** Typical log1p(count) of each 10-minute slot of the week from Monday 00:00 UTC, in LEVEL_STEP units. */
  readonly levelCodes: Uint8Array;
  /** The series' spread of log1p(count) beyond counting noise, in log units. */
  readonly extraSpread: number;
  /** Scale of each slot, derived from the two above. */
  readonly slotScales: Float64Array;
}

export const SLOT_MINUTES = 10;
export const SLOTS_PER_WEEK = MINUTES_PER_WEEK / SLOT_MINUTES;
const SLOTS_PER_DAY = MINUTES_PER_DAY / SLOT_MINUTES;
/**
 * Levels are stored as bytes of 1/16 log unit (at most 3% off, far below any scale), which keeps 1,000
 * series' weekly profiles near 1 MB; counts up to 8 million a minute fit.
 */
const LEVEL_STEP = 1 / 16;
const MAX_LEVEL_CODE = 255;
/**
 * One z unit is at least half a doubling: rate changes of less than 2x in one minute are not worth an alert
 * even on a unit so busy that its counting noise is a few percent.
 */
export const MIN_SCALE = Math.LN2 / 2;
/**
 * A weekly slot keeps its own level when it differs from the same time on days of its type by more than
 * this (half a doubling, as MIN_SCALE): a real weekly habit, not one day's noise.
 */
const DISTINCT_SLOT = Math.LN2 / 2;
/** log1p(5): from five entries a minute on, log counts are continuous enough to measure a spread on. */
const MEASURABLE_LEVEL = Math.log1p(5);
/** Keeps the model's inputs and its training loss bounded; a silenced chatty unit still sits at the limit. */
export const Z_LIMIT = 8;

export function slotOf(minute: number): number {
  return Math.floor(minuteOfWeek(minute) / SLOT_MINUTES);
}

export function levelAt(normalisation: SeriesNormalisation, minute: number): number {
  return (normalisation.levelCodes[slotOf(minute)] ?? 0) * LEVEL_STEP;
}

export function scaleAt(normalisation: SeriesNormalisation, minute: number): number {
  return normalisation.slotScales[slotOf(minute)] ?? MIN_SCALE;
}

export function normalisationFrom(levelCodes: Uint8Array, extraSpread: number): SeriesNormalisation {
  if (levelCodes.length !== SLOTS_PER_WEEK) {
    throw new RangeError(`expected ${SLOTS_PER_WEEK} weekly levels, got ${levelCodes.length}`);
  }
  // A week's 1,008 slots take a few dozen distinct levels: each level's scale is worked out once (a
  // thousand series' snapshot loads on the serving thread, where this was most of the time it took).
  const scaleOfCode = new Float64Array(MAX_LEVEL_CODE + 1).fill(Number.NaN);
  const slotScales = new Float64Array(SLOTS_PER_WEEK);
  for (let slot = 0; slot < SLOTS_PER_WEEK; slot++) {
    const code = levelCodes[slot] ?? 0;
    let scale = scaleOfCode[code] ?? Number.NaN;
    if (Number.isNaN(scale)) {
      scale = Math.max(MIN_SCALE, Math.hypot(extraSpread, countingSpread(code * LEVEL_STEP)));
      scaleOfCode[code] = scale;
    }
    slotScales[slot] = scale;
  }
  return { levelCodes, extraSpread, slotScales };
}

/**
 * Learns the weekly level and the extra spread from a series' history. A slot whose day type was never
 * seen (history shorter than a week) takes the median of the same time of day on the days that were seen.
 */
export function fitNormalisation(series: CountSeries): SeriesNormalisation {
  const n = series.counts.length;
  if (n === 0) throw new RangeError(`series ${series.key} has no counts to learn its normalisation from`);
  const logCounts = new Float64Array(n);
  const slots = new Int32Array(n);
  const slotsOfDay = new Int32Array(n);
  const slotsOfDayType = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const count = series.counts[i] ?? 0;
    checkCount(series, i, count);
    logCounts[i] = Math.log1p(count);
    slots[i] = slotOf(series.startMinute + i);
    slotsOfDay[i] = (slots[i] ?? 0) % SLOTS_PER_DAY;
    slotsOfDayType[i] = dayTypeSlot(slots[i] ?? 0);
  }
  const ownMedians = groupMedians(logCounts, slots, SLOTS_PER_WEEK);
  const dayTypeMedians = groupMedians(logCounts, slotsOfDayType, 2 * SLOTS_PER_DAY);
  const anyDayMedians = groupMedians(logCounts, slotsOfDay, SLOTS_PER_DAY);
  const levelCodes = new Uint8Array(SLOTS_PER_WEEK);
  for (let slot = 0; slot < SLOTS_PER_WEEK; slot++) {
    const own = ownMedians[slot] ?? NaN;
    const dayType = dayTypeMedians[dayTypeSlot(slot)] ?? NaN;
    const pooled = Number.isNaN(dayType) ? (anyDayMedians[slot % SLOTS_PER_DAY] ?? NaN) : dayType;
    const level = !Number.isNaN(own) && !(Math.abs(own - pooled) <= DISTINCT_SLOT) ? own : pooled;
    levelCodes[slot] = Math.min(MAX_LEVEL_CODE, Math.round(level / LEVEL_STEP));
  }
  // Robust total variance less the typical counting variance leaves the series' own. Only where counts are
  // high enough to be near-continuous in log space: elsewhere their steps (log 1, log 2, log 3) make a
  // median absolute deviation overstate the spread, and counting noise dominates anyway.
  const deviations: number[] = [];
  const countingVariances: number[] = [];
  for (let i = 0; i < n; i++) {
    const level = (levelCodes[slots[i] ?? 0] ?? 0) * LEVEL_STEP;
    if (level < MEASURABLE_LEVEL) continue;
    deviations.push(Math.abs((logCounts[i] ?? 0) - level));
    countingVariances.push(countingSpread(level) ** 2);
  }
  const totalVariance = (MAD_TO_SIGMA * median(Float64Array.from(deviations))) ** 2;
  const extraVariance = totalVariance - median(Float64Array.from(countingVariances));
  return normalisationFrom(levelCodes, deviations.length === 0 ? 0 : Math.sqrt(Math.max(0, extraVariance)));
}

/** z of the series' minutes from index `from` up to (not including) `to`, clipped to ±Z_LIMIT. */
export function normalise(
  series: CountSeries,
  normalisation: SeriesNormalisation,
  from = 0,
  to = series.counts.length,
): NormalisedSeries {
  const z = new Float32Array(Math.max(0, to - from));
  for (let i = 0; i < z.length; i++) {
    const count = series.counts[from + i] ?? 0;
    checkCount(series, from + i, count);
    const minute = series.startMinute + from + i;
    const deviation = (Math.log1p(count) - levelAt(normalisation, minute)) / scaleAt(normalisation, minute);
    z[i] = Math.max(-Z_LIMIT, Math.min(Z_LIMIT, deviation));
  }
  return { startMinute: series.startMinute + from, z };
}

/** The count that z stands for at this minute: the inverse of `normalise` (without its clipping). */
export function countFromZ(normalisation: SeriesNormalisation, minute: number, z: number): number {
  return Math.max(0, Math.expm1(levelAt(normalisation, minute) + z * scaleAt(normalisation, minute)));
}

/** Slots 0..143 are the times of day on weekdays, 144..287 at the weekend. */
function dayTypeSlot(slot: number): number {
  const weekend = slot >= 5 * SLOTS_PER_DAY;
  return (weekend ? SLOTS_PER_DAY : 0) + (slot % SLOTS_PER_DAY);
}

/** Spread of log1p of a Poisson count whose log1p mean is `level` (delta method), taken at λ ≥ 1. */
function countingSpread(level: number): number {
  const rate = Math.max(1, Math.expm1(level));
  return Math.sqrt(rate) / (1 + rate);
}

/** Median of each group's values (NaN for an empty group); groups are 0..groupCount-1. */
function groupMedians(values: Float64Array, groups: Int32Array, groupCount: number): Float64Array {
  const starts = new Int32Array(groupCount + 1);
  for (const group of groups) starts[group + 1] = (starts[group + 1] ?? 0) + 1;
  for (let group = 0; group < groupCount; group++)
    starts[group + 1] = (starts[group + 1] ?? 0) + (starts[group] ?? 0);
  const grouped = new Float64Array(values.length);
  const filled = starts.slice(0, groupCount);
  for (let i = 0; i < values.length; i++) {
    const group = groups[i] ?? 0;
    grouped[filled[group] ?? 0] = values[i] ?? 0;
    filled[group] = (filled[group] ?? 0) + 1;
  }
  const medians = new Float64Array(groupCount);
  for (let group = 0; group < groupCount; group++) {
    medians[group] = median(grouped.subarray(starts[group], starts[group + 1]));
  }
  return medians;
}
