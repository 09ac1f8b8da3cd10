import type { PathKey } from './tree.ts';
import { TokenKind, WILDCARD, isValueLike } from './tokens.ts';

/** One template and what the miner knows about it. */
export class Cluster {
  readonly id: number;
  /** The template's tokens; a position that has held different tokens is {@link WILDCARD}. */
  readonly tokens: string[];
  /** The {@link TokenKind} of each position: that of the first line, or `variable` once it varied. */
  readonly kinds: Uint8Array;
  /** Keys of the tree nodes from the root to the leaf that holds this cluster. */
  readonly path: readonly PathKey[];
  count: number;
  firstSeenUs: number;
  lastSeenUs: number;
  #template: string | null = null;

  constructor(
    id: number,
    tokens: string[],
    kinds: Uint8Array,
    path: readonly PathKey[],
    count: number,
    firstSeenUs: number,
    lastSeenUs: number,
  ) {
    this.id = id;
    this.tokens = tokens;
    this.kinds = kinds;
    this.path = path;
    this.count = count;
    this.firstSeenUs = firstSeenUs;
    this.lastSeenUs = lastSeenUs;
  }

  get template(): string {
    return (this.#template ??= this.tokens.join(' '));
  }

  /** Makes every position where `tokens` differs variable; true when the template changed. */
  generalise(tokens: readonly string[]): boolean {
    let changed = false;
    for (let index = 0; index < this.tokens.length; index++) {
      if (this.kinds[index] !== TokenKind.variable && this.tokens[index] !== tokens[index]) {
        this.tokens[index] = WILDCARD;
        this.kinds[index] = TokenKind.variable;
        changed = true;
      }
    }
    if (changed) this.#template = null;
    return changed;
  }

  seen(timeUs: number): void {
    this.count++;
    if (timeUs < this.firstSeenUs) this.firstSeenUs = timeUs;
    if (timeUs > this.lastSeenUs) this.lastSeenUs = timeUs;
  }
}

/** Returned by {@link similarity} when a line can never join a template. */
export const INCOMPATIBLE = -1;

/**
 * The share of positions (0..1) where a line of the same length fits a template, or
 * {@link INCOMPATIBLE}. A position fits when the tokens are equal, when the template already found it
 * variable, or when both tokens look like values (masked, or with digits: `c1` and `c2`). Two pairs
 * never fit, whatever the rest of the line says: a masked value facing a plain word (a value slot is
 * not where an event's wording differs), and two different tokens that both keep constant text around
 * a value (`LOGIN(uid=<*>)` against `(uid=<*>)`: the text around the value names the field).
 * Comparing stops as soon as the line can no longer reach `threshold`.
 */
export function similarity(
  template: Cluster,
  tokens: readonly string[],
  kinds: Uint8Array,
  threshold: number,
): number {
  const length = tokens.length;
  if (length === 0) return 1;
  const allowedMisfits = Math.floor(length * (1 - threshold) + 1e-9);
  let misfits = 0;
  for (let index = 0; index < length; index++) {
    const own = template.kinds[index] as number;
    if (own === TokenKind.variable || template.tokens[index] === tokens[index]) continue;
    const theirs = kinds[index] as number;
    if (isValueLike(own) && isValueLike(theirs)) continue;
    if (own === TokenKind.shaped && theirs === TokenKind.shaped) return INCOMPATIBLE;
    if (
      (own === TokenKind.value && theirs === TokenKind.word) ||
      (own === TokenKind.word && theirs === TokenKind.value)
    ) {
      return INCOMPATIBLE;
    }
    if (++misfits > allowedMisfits) return INCOMPATIBLE;
  }
  return (length - misfits) / length;
}
