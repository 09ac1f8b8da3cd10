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

/**
 * Splits a message on runs of whitespace and control characters. Reading stops once `maxTokens` are
 * known, so a line of 100,000 tokens costs no more than one of `maxTokens`; its tail becomes
 * {@link TRUNCATED}. A token longer than `maxTokenLength` (a blob, a base64 payload) becomes the
 * wildcard: no template should hold it, and holding it would let one line pin a lot of memory.
 * Fills and returns `tokens` when given, so that a caller can reuse one array from line to line.
 */
export function tokenize(
  message: string,
  maxTokens: number,
  maxTokenLength: number,
  tokens: string[] = [],
): string[] {
  tokens.length = 0;
  const length = message.length;
  let index = 0;
  while (index < length) {
    while (index < length && message.charCodeAt(index) <= 32) index++;
    if (index === length) break;
    const start = index;
    while (index < length && message.charCodeAt(index) > 32) index++;
    const end = index;
    if (tokens.length === maxTokens - 1) {
      while (index < length && message.charCodeAt(index) <= 32) index++;
      if (index < length) {
        tokens.push(TRUNCATED);
        break;
      }
    }
    tokens.push(end - start > maxTokenLength ? WILDCARD : message.slice(start, end));
  }
  return tokens;
}
