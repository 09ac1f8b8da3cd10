/** The wildcard that marks a variable position, both in masked tokens and in templates. */
export const WILDCARD = '<*>';

/** Stands for every token cut off a message that has more than the allowed number of tokens. */
export const TRUNCATED = '<…>';

/** What a token looks like after masking; similarity and the tree treat the kinds differently. */
export const TokenKind = {
  /** Plain text without digits: most likely part of the template. */
  word: 0,
  /** Text with digits that no mask recognised (`eth0`, `c2`, `sda1`): likely a value. */
  numbered: 1,
  /** A whole value replaced by a mask: exactly {@link WILDCARD}. */
  value: 2,
  /** Constant text around a masked value (`port=<*>`, `[<*>]`, `blk_<*>`). */
  shaped: 3,
  /** A template position that has held different tokens (templates only). */
  variable: 4,
} as const;

export type TokenKind = (typeof TokenKind)[keyof typeof TokenKind];

/** Whether a token of this kind stands for a value rather than for fixed text. */
export function isValueLike(kind: number): boolean {
  return kind === TokenKind.numbered || kind === TokenKind.value;
}

/** Where {@link tokenBounds} puts a token that stands for the cut-off tail of a long line. */
export const TAIL = -1;

const HASH_SEED = 0x811c9dc5;
const HASH_PRIME = 0x01000193;

/**
 * Where the tokens of a message lie: runs of characters other than whitespace and control characters.
 * Writes token i's start and end offsets to `bounds[2i]` and `bounds[2i + 1]` and returns how many tokens
 * it found, reading at most `wanted` of them (`maxTokens` at most). Reading stops once `maxTokens` are
 * known, so a line of 100,000 tokens costs no more than one of `maxTokens`: the last one's start is
 * {@link TAIL} when more text follows it, as it then stands for all of that text. With `hashes`, token
 * i's FNV-1a hash (of its UTF-16 code units) goes to `hashes[i]`, computed in the same pass.
 */
export function tokenBounds(
  message: string,
  maxTokens: number,
  bounds: Int32Array,
  wanted: number = maxTokens,
  hashes?: Int32Array,
): number {
  const length = message.length;
  let count = 0;
  let index = 0;
  while (index < length && count < wanted) {
    while (index < length && message.charCodeAt(index) <= 32) index++;
    if (index === length) break;
    const start = index;
    let hash = HASH_SEED;
    let code: number;
    while (index < length && (code = message.charCodeAt(index)) > 32) {
      hash = Math.imul(hash ^ code, HASH_PRIME);
      index++;
    }
    bounds[2 * count] = start;
    bounds[2 * count + 1] = index;
    if (hashes !== undefined) hashes[count] = hash;
    if (count === maxTokens - 1) {
      while (index < length && message.charCodeAt(index) <= 32) index++;
      if (index < length) bounds[2 * count] = TAIL;
    }
    count++;
  }
  return count;
}

/**
 * Splits a message into tokens ({@link tokenBounds}): the tail of a line of more than `maxTokens` becomes
 * {@link TRUNCATED}, and a token longer than `maxTokenLength` (a blob, a base64 payload) the wildcard:
 * no template should hold it, and holding it would let one line pin a lot of memory. Fills and returns
 * `tokens` when given, so that a caller can reuse one array from line to line.
 */
export function tokenize(
  message: string,
  maxTokens: number,
  maxTokenLength: number,
  tokens: string[] = [],
): string[] {
  const bounds = boundsFor(maxTokens);
  const count = tokenBounds(message, maxTokens, bounds);
  tokens.length = count;
  for (let index = 0; index < count; index++) {
    tokens[index] = tokenText(message, bounds, index, maxTokenLength);
  }
  return tokens;
}

/** Token `index` of a line whose {@link tokenBounds} are `bounds`, as {@link tokenize} gives it. */
export function tokenText(
  message: string,
  bounds: Int32Array,
  index: number,
  maxTokenLength: number,
): string {
  const start = bounds[2 * index] as number;
  const end = bounds[2 * index + 1] as number;
  return standIn(start, end, maxTokenLength) ?? message.slice(start, end);
}

/**
 * What stands for the token from `start` to `end` when it is not kept as it is: {@link TRUNCATED} for the
 * cut-off tail ({@link TAIL}), the wildcard for a token over `maxTokenLength`; null for any other token.
 */
export function standIn(start: number, end: number, maxTokenLength: number): string | null {
  if (start === TAIL) return TRUNCATED;
  return end - start > maxTokenLength ? WILDCARD : null;
}

let sharedBounds = new Int32Array(0);
let sharedHashes = new Int32Array(0);

/** Room for the bounds of `maxTokens` tokens, shared by every caller on this thread (none keeps it). */
export function boundsFor(maxTokens: number): Int32Array {
  if (sharedBounds.length < 2 * maxTokens) sharedBounds = new Int32Array(2 * maxTokens);
  return sharedBounds;
}

/** The same for their hashes. */
export function hashesFor(maxTokens: number): Int32Array {
  if (sharedHashes.length < maxTokens) sharedHashes = new Int32Array(maxTokens);
  return sharedHashes;
}
