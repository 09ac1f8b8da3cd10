/**
 * Why an entry may be odd, in words on-call can act on. Internally a bit set, so that extracting
 * features allocates nothing; {@link reasonList} spells it out for a score.
 */
export const REASONS = [
  /** The template was never seen before, anywhere. */
  'new-template',
  /** The template is known on other hosts but never appeared on this one. */
  'new-on-host',
  /** This host has said the template, but never from this unit. */
  'unit-never-says-this',
  /** The first entry of a (host, unit) on a host that was already known. */
  'new-unit',
  /** Seen before, but a tiny share of all entries, or of its unit's. */
  'rare-template',
  /** The template (or the unit) is hardly ever seen at this hour of the day. */
  'off-hours',
  /** A parameter took a value never seen there, where values usually repeat. */
  'new-parameter',
  /** The message is much longer or shorter than the template's usual. */
  'unusual-length',
  /** Priority err or more severe. */
  'high-priority',
  /** A mute rule matched: on-call said this is normal. */
  'muted',
  /** The host booted minutes ago: it says what only boots say. */
  'at-boot',
] as const;

export type Reason = (typeof REASONS)[number];

/** One bit per reason, in {@link REASONS} order. */
export const ReasonBit = Object.fromEntries(REASONS.map((reason, index) => [reason, 1 << index])) as Record<
  Reason,
  number
>;

/** Each bit set's list, spelt out once: every score with those reasons shares it (frozen). */
const LISTS: (readonly Reason[] | undefined)[] = [];

export function reasonList(bits: number): readonly Reason[] {
  let reasons = LISTS[bits];
  if (reasons === undefined) {
    const spelt: Reason[] = [];
    for (let index = 0; index < REASONS.length; index++) {
      if ((bits & (1 << index)) !== 0) spelt.push(REASONS[index] as Reason);
    }
    LISTS[bits] = reasons = Object.freeze(spelt);
  }
  return reasons;
}
