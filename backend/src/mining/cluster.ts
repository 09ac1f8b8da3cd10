import type { Linked } from './recency.ts';
import type { PathKey } from './tree.ts';
import { TokenKind, WILDCARD, isValueLike } from './tokens.ts';

/** One template and what the miner knows about it. */
export class Cluster implements Linked<Cluster> {
  readonly id: number;
  /**
   * The template's tokens. A position that has held different tokens is a pattern: {@link WILDCARD},
   * with the text those tokens shared around it (`code=<*>,`).
   */
  readonly tokens: string[];
  /** The {@link TokenKind} of each position: that of the first line, or `variable` once it varied. */
  readonly kinds: Uint8Array;
  /** Keys of the tree nodes from the root to the leaf that holds this cluster. */
  readonly path: readonly PathKey[];
  count: number;
  firstSeenUs: number;
  lastSeenUs: number;
  older: Cluster | null = null;
  newer: Cluster | null = null;
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

  /**
   * Makes every position where `tokens` differs variable, keeping the text both sides share around the
   * difference (`code=exited,` and `code=killed,` become `code=<*>,`); true when the template changed.
   */
  generalise(tokens: readonly string[]): boolean {
    let changed = false;
    for (let index = 0; index < this.tokens.length; index++) {
      const own = this.tokens[index] as string;
      const theirs = tokens[index] as string;
      if (own === theirs) continue;
      if (this.kinds[index] === TokenKind.variable && (own === WILDCARD || matchesPattern(own, theirs)))
        continue;
      this.kinds[index] = TokenKind.variable;
      const widened = widen(own, theirs);
      if (widened !== own) {
        this.tokens[index] = widened;
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
 * not where the wording of an event differs), and tokens that lay out the text around a value
 * differently (`LOGIN(uid=<*>)` against `(uid=<*>)`: that text names the field). Comparing stops as
 * soon as the line can no longer reach `threshold`.
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
    const ownToken = template.tokens[index] as string;
    const token = tokens[index] as string;
    if (own === TokenKind.variable || ownToken === token) continue;
    const theirs = kinds[index] as number;
    if (isValueLike(own) && isValueLike(theirs)) continue;
    if (own === TokenKind.shaped && theirs === TokenKind.shaped && shapeOf(ownToken) !== shapeOf(token)) {
      return INCOMPATIBLE;
    }
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

/**
 * A token's layout: each run of name characters (letters, digits, `_`, `-`, `.`) becomes `a`, other
 * characters stay. `alice(uid=<*>)` and `www-data(uid=<*>)` have one layout, `(uid=<*>)` another.
 */
export function shapeOf(token: string): string {
  let shape = '';
  let inName = false;
  for (let index = 0; index < token.length; index++) {
    const code = token.charCodeAt(index);
    if (isNameChar(code)) {
      if (!inName) shape += 'a';
      inName = true;
    } else {
      shape += token[index] as string;
      inName = false;
    }
  }
  return shape;
}

function isNameChar(code: number): boolean {
  return (
    (code >= 97 && code <= 122) ||
    (code >= 65 && code <= 90) ||
    (code >= 48 && code <= 57) ||
    code === 95 ||
    code === 45 ||
    code === 46
  );
}

/**
 * The pattern covering both tokens: their common prefix and suffix around a wildcard. Prefix and suffix
 * end at punctuation, never inside a word or a wildcard, so `alice.` and `admin.` give `<*>.`, not
 * `a<*>.`.
 */
export function widen(pattern: string, token: string): string {
  const shorter = Math.min(pattern.length, token.length);
  let prefix = 0;
  while (prefix < shorter && pattern.charCodeAt(prefix) === token.charCodeAt(prefix)) prefix++;
  while (
    prefix > 0 &&
    (isAlphanumeric(pattern.charCodeAt(prefix - 1)) ||
      cutsWildcard(pattern, prefix) ||
      cutsWildcard(token, prefix))
  ) {
    prefix--;
  }
  let suffix = 0;
  while (
    suffix < shorter - prefix &&
    pattern.charCodeAt(pattern.length - 1 - suffix) === token.charCodeAt(token.length - 1 - suffix)
  ) {
    suffix++;
  }
  while (
    suffix > 0 &&
    (isAlphanumeric(pattern.charCodeAt(pattern.length - suffix)) ||
      cutsWildcard(pattern, pattern.length - suffix) ||
      cutsWildcard(token, token.length - suffix))
  ) {
    suffix--;
  }
  const widened = pattern.slice(0, prefix) + WILDCARD + pattern.slice(pattern.length - suffix);
  return widened.replaceAll(WILDCARD + WILDCARD, WILDCARD);
}

function isAlphanumeric(code: number): boolean {
  return (code >= 97 && code <= 122) || (code >= 65 && code <= 90) || (code >= 48 && code <= 57);
}

/** Whether cutting the text at `cut` splits a wildcard. */
function cutsWildcard(text: string, cut: number): boolean {
  return (cut >= 1 && text.startsWith(WILDCARD, cut - 1)) || (cut >= 2 && text.startsWith(WILDCARD, cut - 2));
}

/** Whether a token matches a pattern in which each wildcard stands for any text, possibly none. */
export function matchesPattern(pattern: string, token: string): boolean {
  let p = 0;
  let t = 0;
  let star = -1;
  let resume = 0;
  while (t < token.length) {
    if (pattern.startsWith(WILDCARD, p)) {
      star = p;
      p += WILDCARD.length;
      resume = t;
    } else if (p < pattern.length && pattern.charCodeAt(p) === token.charCodeAt(t)) {
      p++;
      t++;
    } else if (star >= 0) {
      p = star + WILDCARD.length;
      t = ++resume;
    } else return false;
  }
  while (pattern.startsWith(WILDCARD, p)) p += WILDCARD.length;
  return p === pattern.length;
}
