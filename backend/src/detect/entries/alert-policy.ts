import { ReasonBit } from './reasons.ts';

/**
 * Reasons that say the entry is something this host, unit or template has not done before. An entry
 * alerts only when the model finds it odd AND one of these holds: what is merely rare (a 500 now and
 * then, a daily backup line, a login at an unusual hour by someone who logs in) is odd every day, and
 * on-call learns to ignore a pager that says so. Such entries still score high, so they show in the
 * score series, in `analyze --all` and in events with their reasons; a burst of them is the rate
 * model's to catch.
 */
export const NOVELTY =
  ReasonBit['new-template'] |
  ReasonBit['new-on-host'] |
  ReasonBit['unit-never-says-this'] |
  ReasonBit['new-parameter'];

const BRAND_NEW_ERROR = ReasonBit['new-template'] | ReasonBit['high-priority'];

/** A template never seen anywhere, at priority err or worse. */
export function isBrandNewError(reasons: number): boolean {
  return (reasons & BRAND_NEW_ERROR) === BRAND_NEW_ERROR;
}

/**
 * Whether the entry's reasons allow it to alert. In the minutes after a boot, a host says things it
 * says only then (the kernel's banner, units starting, a new pid everywhere): there, only a brand-new
 * error does.
 */
export function mayAlert(reasons: number): boolean {
  if ((reasons & ReasonBit['at-boot']) !== 0) return isBrandNewError(reasons);
  return (reasons & NOVELTY) !== 0;
}

/**
 * Whether an entry alerts: something new (its reasons) that the model finds odd for the fleet (its raw
 * score among the window's top; see Calibration). Whether it is also odd for its own (host, unit) does
 * not matter: the novelty rules already keep a series' routine quiet, and the top of a busy series is
 * routine it knows well (a declined payment, a retried job, its scanners' knocks), which a new value in
 * one of its lines need not outrank.
 */
export function shouldAlert(reasons: number, oddForFleet: boolean): boolean {
  return oddForFleet && mayAlert(reasons);
}
