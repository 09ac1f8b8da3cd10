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
 * Whether an entry alerts, from its reasons and the model's two verdicts (see Calibration): odd for the
 * fleet, and odd for its own (host, unit). A template never seen anywhere needs only the first: the top
 * of a busy series is routine that series knows well (a declined payment, a retried job), while nothing
 * at all is known of this one.
 */
export function shouldAlert(reasons: number, oddForFleet: boolean, oddForSeries: boolean): boolean {
  if (!mayAlert(reasons)) return false;
  return oddForFleet && (oddForSeries || (reasons & ReasonBit['new-template']) !== 0);
}
