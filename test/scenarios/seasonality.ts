/**
 * How busy each kind of activity is at each time of the week (hosts run in UTC, and so do their users).
 * Rates are constant within a slot of a quarter hour and follow these curves from slot to slot.
 */
import { DAY, HOUR, MINUTE } from '../support/corpus/catalog.ts';

export type Profile =
  /** Customer traffic: a night trough, a business-hours plateau, an evening tail; weekends lighter. */
  | 'traffic'
  /** Daemons that talk all the time and a bit more under load (kubelet, containerd). */
  | 'steady'
  /** People at work: weekdays 08–18, almost nothing at night or on weekends. */
  | 'office'
  /** Machines and the internet: the same at 3 a.m. on Sunday as at noon on Tuesday. */
  | 'flat';

export const SLOT_US = 15 * MINUTE;

// Hourly levels, read at the start of each hour and interpolated in between.
// prettier-ignore
const WEEKDAY_TRAFFIC = [
  0.22, 0.16, 0.12, 0.1, 0.1, 0.13, 0.22, 0.4, 0.65, 0.85, 0.95, 1, 0.97, 0.95, 0.97, 0.95, 0.9, 0.85, 0.8,
  0.75, 0.7, 0.6, 0.45, 0.32,
];
// prettier-ignore
const WEEKEND_TRAFFIC = [
  0.25, 0.18, 0.13, 0.1, 0.09, 0.09, 0.11, 0.16, 0.25, 0.36, 0.46, 0.53, 0.57, 0.58, 0.57, 0.56, 0.55, 0.55,
  0.56, 0.57, 0.55, 0.5, 0.42, 0.33,
];
// prettier-ignore
const WEEKDAY_OFFICE = [
  0, 0, 0, 0, 0, 0, 0, 0.05, 0.45, 0.9, 1, 1, 0.65, 0.85, 1, 1, 0.95, 0.7, 0.3, 0.1, 0.05, 0.02, 0.01, 0,
];
const WEEKEND_OFFICE = 0.02;

/** 0 = Monday … 6 = Sunday (1970-01-01, day 0 of the epoch, was a Thursday). */
export function weekday(us: number): number {
  return (Math.floor(us / DAY) + 3) % 7;
}

export function isWeekend(us: number): boolean {
  return weekday(us) >= 5;
}

/** The slot of the week (0 = Monday 00:00–00:15) that `us` falls in. */
export function slotOfWeek(us: number): number {
  return weekday(us) * (DAY / SLOT_US) + Math.floor((us % DAY) / SLOT_US);
}

function interpolate(levels: readonly number[], hour: number): number {
  const low = Math.floor(hour);
  const fraction = hour - low;
  const from = levels[low % 24] as number;
  const to = levels[(low + 1) % 24] as number;
  return from + (to - from) * fraction;
}

/** The level of `profile` (about 0..1) in slot `slot` of the week, read at the middle of the slot. */
export function level(profile: Profile, slot: number): number {
  const dayIndex = Math.floor(slot / (DAY / SLOT_US));
  const hour = (((slot % (DAY / SLOT_US)) + 0.5) * SLOT_US) / HOUR;
  const weekend = dayIndex >= 5;
  switch (profile) {
    case 'traffic':
      return interpolate(weekend ? WEEKEND_TRAFFIC : WEEKDAY_TRAFFIC, hour);
    case 'steady':
      return 0.75 + 0.25 * interpolate(weekend ? WEEKEND_TRAFFIC : WEEKDAY_TRAFFIC, hour);
    case 'office':
      return weekend ? WEEKEND_OFFICE : interpolate(WEEKDAY_OFFICE, hour);
    case 'flat':
      return 1;
  }
}
