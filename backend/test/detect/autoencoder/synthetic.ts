// Deterministic synthetic per-minute count series with daily and weekly seasonality, for the autoencoder's
// tests and benchmark, and the anomalies the model must catch, injected at known minutes.
import type { CountSeries } from '../../../src/detect/autoencoder/series.ts';
import { MINUTES_PER_DAY, MINUTES_PER_WEEK } from '../../../src/detect/autoencoder/series.ts';
import { SeededRandom } from '../../../src/detect/random.ts';

/** Monday 2024-01-01 00:00 UTC, in minutes since the epoch. */
export const MONDAY = Date.UTC(2024, 0, 1) / 60_000;

/** How one synthetic unit behaves; rates are expected entries per minute. */
export interface UnitProfile {
  /** Rate at the daily peak on a weekday. */
  peakRate: number;
  /** Hour (UTC) of the daily peak. */
  peakHour: number;
  /** Night rate as a share of the peak rate. */
  nightShare: number;
  /** Weekend rate as a share of the weekday rate. */
  weekendShare: number;
  /** A weekly job: Monday 09:00–09:19 at this multiple of the usual rate (1 = no job). */
  mondayJob: number;
}

/** Peak rates from a unit that logs a line every few minutes to one that logs hundreds a minute. */
const PEAK_RATES = [0.5, 3, 12, 60, 300];

export function unitProfiles(count: number, seed: number): UnitProfile[] {
  const random = new SeededRandom(seed);
  return Array.from({ length: count }, (_, i) => ({
    peakRate: (PEAK_RATES[i % PEAK_RATES.length] ?? 1) * (0.7 + 0.6 * random.next()),
    peakHour: 10 + 8 * random.next(),
    nightShare: 0.05 + 0.4 * random.next(),
    weekendShare: 0.3 + 0.7 * random.next(),
    mondayJob: i % 2 === 0 ? 6 : 1,
  }));
}

export function isMondayJobMinute(minute: number): boolean {
  const ofWeek = (((minute - MONDAY) % MINUTES_PER_WEEK) + MINUTES_PER_WEEK) % MINUTES_PER_WEEK;
  return ofWeek >= 9 * 60 && ofWeek < 9 * 60 + 20;
}

/** Expected rate of a unit at a minute: a smooth daily cycle, quieter weekends, the Monday job. */
export function usualRate(profile: UnitProfile, minute: number): number {
  const sinceMonday = (((minute - MONDAY) % MINUTES_PER_WEEK) + MINUTES_PER_WEEK) % MINUTES_PER_WEEK;
  const hour = (sinceMonday % MINUTES_PER_DAY) / 60;
  const weekend = sinceMonday >= 5 * MINUTES_PER_DAY;
  const daily =
    profile.nightShare +
    (1 - profile.nightShare) * 0.5 * (1 + Math.cos(((hour - profile.peakHour) * Math.PI) / 12));
  const job = isMondayJobMinute(minute) ? profile.mondayJob : 1;
  return profile.peakRate * daily * (weekend ? profile.weekendShare : 1) * job;
}

/**
 * Counts drawn around the usual rate: a day-to-day level that wanders by about 10%, 15% minute-to-minute
 * overdispersion, then Poisson sampling.
 */
export function generateSeries(
  profiles: readonly UnitProfile[],
  startMinute: number,
  minutes: number,
  seed: number,
): CountSeries[] {
  const random = new SeededRandom(seed);
  return profiles.map((profile, s) => {
    const counts = new Float32Array(minutes);
    let dayLevel = 1;
    for (let i = 0; i < minutes; i++) {
      if ((startMinute + i) % MINUTES_PER_DAY === 0) dayLevel = Math.exp(0.1 * random.nextGaussian());
      const rate = usualRate(profile, startMinute + i) * dayLevel * Math.exp(0.15 * random.nextGaussian());
      counts[i] = poisson(rate, random);
    }
    return { key: `unit-${s}`, startMinute, counts };
  });
}

export function poisson(rate: number, random: SeededRandom): number {
  if (rate > 50) return Math.max(0, Math.round(rate + Math.sqrt(rate) * random.nextGaussian()));
  const limit = Math.exp(-rate);
  let count = 0;
  for (let product = random.next(); product > limit; product *= random.next()) count++;
  return count;
}

export type InjectedKind = 'burst' | 'silence' | 'trend' | 'crash-loop';

/** Minutes (relative to the series start) that an injected anomaly made anomalous. */
export interface Injected {
  kind: InjectedKind;
  seriesIndex: number;
  indices: number[];
}

/** `minutes` minutes at `factor` times the counts plus `extra` (so that a nearly silent unit bursts too). */
export function injectBurst(
  series: CountSeries,
  seriesIndex: number,
  at: number,
  minutes: number,
  factor: number,
  extra: number,
): Injected {
  const indices = range(at, at + minutes);
  for (const i of indices) series.counts[i] = Math.round((series.counts[i] ?? 0) * factor + extra);
  return { kind: 'burst', seriesIndex, indices };
}

export function injectSilence(
  series: CountSeries,
  seriesIndex: number,
  at: number,
  minutes: number,
): Injected {
  const indices = range(at, at + minutes);
  for (const i of indices) series.counts[i] = 0;
  return { kind: 'silence', seriesIndex, indices };
}

/**
 * Counts that grow linearly to `factor` times their usual size over `minutes` minutes and stay there for
 * `plateau` minutes; the minutes from where the growth passes `labelFrom` on are labelled anomalous.
 */
export function injectTrend(
  series: CountSeries,
  seriesIndex: number,
  at: number,
  minutes: number,
  plateau: number,
  factor: number,
  labelFrom: number,
  random: SeededRandom,
): Injected {
  const indices: number[] = [];
  for (let i = at; i < at + minutes + plateau; i++) {
    const growth = 1 + (factor - 1) * Math.min(1, (i - at) / minutes);
    series.counts[i] = poisson((series.counts[i] ?? 0) * growth, random);
    if (growth >= labelFrom) indices.push(i);
  }
  return { kind: 'trend', seriesIndex, indices };
}

/** A unit that restarts every `period` minutes: one minute of `factor` times its counts plus `extra` each time. */
export function injectCrashLoop(
  series: CountSeries,
  seriesIndex: number,
  at: number,
  minutes: number,
  period: number,
  factor: number,
  extra: number,
): Injected {
  const indices: number[] = [];
  for (let i = at; i < at + minutes; i += period) {
    series.counts[i] = Math.round((series.counts[i] ?? 0) * factor + extra);
    indices.push(i);
  }
  return { kind: 'crash-loop', seriesIndex, indices };
}

function range(from: number, to: number): number[] {
  return Array.from({ length: to - from }, (_, i) => from + i);
}
