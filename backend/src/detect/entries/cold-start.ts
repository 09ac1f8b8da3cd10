import { isBrandNewError } from './alert-policy.ts';
import { REASONS, ReasonBit } from './reasons.ts';
import type { Reason } from './reasons.ts';

/**
 * Before the first model is fitted there is nothing to compare an entry with but its reasons. Each
 * reason is a chance that the entry is odd, combined as independent chances (noisy-or), so that more
 * reasons score higher and no sum passes 1.
 */
const REASON_WEIGHTS: Record<Reason, number> = {
  'new-template': 0.5,
  'new-on-host': 0.3,
  'unit-never-says-this': 0.2,
  'new-unit': 0.1,
  'rare-template': 0.2,
  'off-hours': 0.2,
  'new-parameter': 0.3,
  'unusual-length': 0.1,
  'high-priority': 0.4,
  muted: 0,
  'at-boot': 0,
};

export function coldStartScore(reasons: number): number {
  let normal = 1;
  for (const reason of REASONS) {
    if ((reasons & ReasonBit[reason]) !== 0) normal *= 1 - REASON_WEIGHTS[reason];
  }
  return 1 - normal;
}

/**
 * Without a model only brand-new errors alert: on a new deployment everything else is new too, and
 * would drown them.
 */
export function coldStartAlerts(reasons: number): boolean {
  return isBrandNewError(reasons);
}
