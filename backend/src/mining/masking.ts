// Masking runs before mining and replaces the parts of a token that are obviously values (addresses,
// numbers, ids, paths …) with the wildcard, so the prefix tree only has to discover the variables
// that no general rule recognises. Rules see one whitespace-separated token at a time: every match
// stays short (no backtracking across a long line), and a token skips every rule whose required
// characters it lacks, so plain words cost one scan and no regular expression at all.
import { TRUNCATED, TokenKind, WILDCARD, boundsFor, hashesFor, standIn, tokenBounds } from './tokens.ts';

/** What a token contains; a rule runs only on tokens that have all of its `needs`. */
export const Needs = {
  digit: 1,
  /** A dot followed by a letter or digit, as in names and addresses (not a full stop). */
  dot: 2,
  colon: 4,
  /**
   * Two colons in a row, or five or more between hexadecimal digits: what IPv6 and MAC addresses have
   * (and a time of day or a JSON object has not).
   */
  colons: 8,
  slash: 16,
  at: 32,
  equals: 64,
  /** Two or more quote characters. */
  quotes: 128,
  dash: 256,
  underscore: 512,
  letter: 1024,
  /** A `<`, which the wildcard starts with: no rule needs it. */
  angle: 2048,
} as const;

export interface MaskRule {
  name: string;
  /** Bit set of {@link Needs}: the rule cannot match a token that lacks any of them. */
  needs: number;
  /** Bit set of {@link Needs} of which the token must have at least one (0: no such condition). */
  needsOneOf: number;
  /**
   * A global pattern whose every match becomes the wildcard. No repetition in it is ambiguous, so it
   * runs in time linear in the token (at most `maxTokenLength` characters anyway). Context that stays
   * is matched by lookaround, not captured: a replacement with `$1` costs three times as much.
   */
  pattern: RegExp;
  /**
   * A cheaper pattern that matches wherever `pattern` does (and maybe elsewhere): tested first, it spares
   * a long token (a JSON object, a URL) the rule's own search, which tries a match at every position.
   */
  prefilter: RegExp | null;
}

// A value starts where no letter or digit is glued to its left, so the digits of `eth0` or `sha256`
// stay part of their name while those of `node-7`, `core.2275`, `port=22` or `[42]` are a value.
const START = String.raw`(?<![A-Za-z0-9])`;
const END = String.raw`(?![A-Za-z0-9])`;
const NUMBER = String.raw`\d+(?:\.\d+)?`;
const HEX4 = '[0-9A-Fa-f]{1,4}';
const PORT = String.raw`(?::\d{1,5})?`;
const GENERIC_TLDS = 'com|net|org|edu|gov|mil|int|info|biz|io|cloud|local|localdomain|lan|home|internal|arpa';
const UNIT_TYPES = 'service|socket|target|timer|mount|automount|swap|path|slice|scope|device';
/** A character of an unquoted value: anything but whitespace and the punctuation that separates fields. */
const VALUE_CHARS = String.raw`[^\s,;&()\[\]{}<>"']`;

function rule(
  name: string,
  needs: number | [all: number, oneOf: number],
  source: string,
  prefilter: RegExp | null = null,
): MaskRule {
  const [all, oneOf] = typeof needs === 'number' ? [needs, 0] : needs;
  return { name, needs: all, needsOneOf: oneOf, pattern: new RegExp(source, 'g'), prefilter };
}

/** The rules in the order they apply; an earlier, more specific rule masks before a later one sees. */
export const MASK_RULES: readonly MaskRule[] = [
  // `uid=0`, `status=1/FAILURE`, `session=c4`, `name="x"`: a value with a digit, or quoted, is masked
  // whole. Word values stay, because they are usually an enumeration that tells events apart
  // (`level=error`, `code=killed`).
  rule(
    'keyValue',
    Needs.equals,
    String.raw`(?<=(?<![\w.-])[A-Za-z_][\w.-]*=)(?:"[^"]*"|'[^']*'|(?=${VALUE_CHARS}*\d)${VALUE_CHARS}+)`,
  ),
  rule('url', Needs.colon | Needs.slash, String.raw`\b[A-Za-z][A-Za-z0-9+.-]*://[^\s"'<>]+`),
  rule(
    'email',
    Needs.at | Needs.dot,
    String.raw`(?<![\w.+-])[\w.+-]+@(?:[A-Za-z0-9-]+\.)+[A-Za-z]{2,}(?![\w-])`,
  ),
  rule(
    'uuid',
    Needs.dash | Needs.digit,
    String.raw`(?<![0-9A-Fa-f])[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}(?![0-9A-Fa-f])`,
    /-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-/,
  ),
  // MAC addresses and the longer colon-separated hardware ids (EUI-64, WWN, key fingerprints).
  rule('mac', Needs.colons, String.raw`(?<![\w:])[0-9A-Fa-f]{2}(?::[0-9A-Fa-f]{2}){5,}(?![\w:])`),
  // PCI addresses in kernel messages: `0000:00:1f.6`.
  rule(
    'pci',
    Needs.colon | Needs.dot,
    String.raw`(?<![\w:.])[0-9A-Fa-f]{4}:[0-9A-Fa-f]{2}:[0-9A-Fa-f]{2}\.[0-7](?![\w:])`,
    /:[0-9A-Fa-f]{2}\.[0-7]/,
  ),
  rule(
    'ipv6',
    Needs.colons,
    String.raw`\[?(?<![\w:.])(?:(?:${HEX4}:){7}${HEX4}|${HEX4}(?::${HEX4}){0,6}::(?:${HEX4}(?::${HEX4}){0,6})?|::${HEX4}(?::${HEX4}){0,6})(?:%\w+)?(?![\w:])(?:\]${PORT})?`,
  ),
  // Host names end in a generic top-level domain, or in a two-letter one after at least two dots (so
  // that `setup.py` or `lib.rs` stay file names).
  rule(
    'hostname',
    Needs.dot | Needs.letter,
    String.raw`(?<![\w.-])(?:(?:[A-Za-z0-9-]+\.)+(?:${GENERIC_TLDS})|(?:[A-Za-z0-9-]+\.){2,}[a-z]{2})(?!\.?[\w-])`,
    /\.[a-z]{2,}(?![\w-])/,
  ),
  rule(
    'ipv4',
    Needs.dot | Needs.digit,
    String.raw`(?<![\w.])(?:\d{1,3}\.){3}\d{1,3}(?:/\d{1,2})?${PORT}(?![\w-]|\.\d)`,
  ),
  // ISO 8601 dates and times, `2024/05/01`, the web servers' `01/May/2024:10:15:00`, and times of day.
  rule(
    'datetime',
    [Needs.digit, Needs.dash | Needs.slash | Needs.colon],
    String.raw`${START}(?:\d{4}[-/]\d{2}[-/]\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:[.,]\d+)?)?)?|\d{2}/[A-Z][a-z]{2}/\d{4}(?::\d{2}:\d{2}:\d{2})?|\d{1,2}:\d{2}:\d{2}(?:[.,]\d+)?)(?:Z|[+-]\d{2}:?\d{2})?${END}`,
  ),
  rule('path', Needs.slash, String.raw`(?<![\w./~-])(?:~|\.\.?)?(?:/[\w.@%+~:,-]*)+`),
  // systemd unit names (`nginx.service`, `user@1000.service`, `dev-sda1.device`).
  rule(
    'unit',
    Needs.dot | Needs.letter,
    String.raw`(?<![\w.@\\-])[\w.@:\\-]+\.(?:${UNIT_TYPES})(?![\w-])`,
    new RegExp(String.raw`\.(?:${UNIT_TYPES})(?![\w-])`),
  ),
  rule('quoted', Needs.quotes, String.raw`(?<=")[^"'\s]+(?=")|(?<=')[^"'\s]+(?=')`),
  // Generated names with a numeric part: `blk_-4273`, `rdd_2_2`, `job_1445144423722_0020`.
  rule(
    'numberedName',
    Needs.digit | Needs.underscore,
    String.raw`(?<![\w-])(?=[\w-]*(?:_-?\d+(?![A-Za-z0-9])|(?<![A-Za-z0-9])\d+_))[A-Za-z0-9]+(?:_-?[A-Za-z0-9]+)+(?![\w-])`,
  ),
  rule(
    'duration',
    Needs.digit | Needs.letter,
    String.raw`${START}(?:${NUMBER}(?:ns|us|µs|ms|s|m|h|d)){1,4}${END}`,
  ),
  rule(
    'size',
    Needs.digit | Needs.letter,
    String.raw`${START}${NUMBER}(?:[kKMGTPE]i?B|[kKMGT]|B|b|bytes)${END}`,
  ),
  rule('number', Needs.digit, String.raw`${START}[-+]?\d+(?:\.\d+)*${END}`),
  rule(
    'hex',
    Needs.digit | Needs.letter,
    String.raw`${START}(?:0[xX][0-9A-Fa-f]+|(?=[0-9A-Fa-f]{8})[a-fA-F]*\d[0-9A-Fa-f]*)${END}`,
  ),
];

/** Characters one of which every rule needs: a token with none of them (a plain word) is left as it is. */
const TRIGGERS = MASK_RULES.reduce((bits, each) => bits | (each.needs & ~Needs.letter), 0);

/** The {@link Needs} bit each ASCII character sets on its own (dots, colons and quotes count apart). */
const NEEDS_BY_CHAR = new Uint16Array(128);
for (let code = 48; code <= 57; code++) NEEDS_BY_CHAR[code] = Needs.digit;
for (let code = 65; code <= 90; code++) NEEDS_BY_CHAR[code] = Needs.letter;
for (let code = 97; code <= 122; code++) NEEDS_BY_CHAR[code] = Needs.letter;
NEEDS_BY_CHAR[47] = Needs.slash;
NEEDS_BY_CHAR[64] = Needs.at;
NEEDS_BY_CHAR[61] = Needs.equals;
NEEDS_BY_CHAR[45] = Needs.dash;
NEEDS_BY_CHAR[95] = Needs.underscore;
NEEDS_BY_CHAR[60] = Needs.angle;

const DOT = 46;
const COLON = 58;

/** What the characters of `text` from `start` to `end` (a token, or the whole text) contain. */
function needsOf(text: string, start = 0, end = text.length): number {
  let present = 0;
  let colons = 0;
  let quotes = 0;
  for (let index = start; index < end; index++) {
    const code = text.charCodeAt(index);
    if (code >= 128) continue;
    // The character after a token is whitespace or none: no bit either way.
    if (code === DOT) {
      const next = text.charCodeAt(index + 1);
      if (next < 128 && (NEEDS_BY_CHAR[next] as number) & (Needs.digit | Needs.letter)) present |= Needs.dot;
    } else if (code === COLON) {
      present |= Needs.colon;
      const next = text.charCodeAt(index + 1);
      if (next === COLON) colons += 5;
      else if (isHexDigit(next) && isHexDigit(text.charCodeAt(index - 1))) colons++;
    } else if (code === 34 || code === 39) quotes++;
    else present |= NEEDS_BY_CHAR[code] as number;
  }
  if (colons >= 5) present |= Needs.colons;
  if (quotes >= 2) present |= Needs.quotes;
  return present;
}

function isHexDigit(code: number): boolean {
  return (code >= 48 && code <= 57) || (code >= 65 && code <= 70) || (code >= 97 && code <= 102);
}

/** Digits, or runs of digits joined by single dots (`42`, `1.5`, `10.0.0.5`): what the number rule masks whole. */
function isDottedNumber(text: string, start = 0, end = text.length): boolean {
  let previousDigit = false;
  for (let index = start; index < end; index++) {
    const code = text.charCodeAt(index);
    if (code >= 48 && code <= 57) previousDigit = true;
    else if (code === 46 && previousDigit) previousDigit = false;
    else return false;
  }
  return previousDigit;
}

/** One rule applied to one token (for testing rules one by one). */
export function applyRule(each: MaskRule, token: string): string {
  return token.replace(each.pattern, WILDCARD);
}

/** The token with every applicable rule applied in order. */
export function maskToken(token: string): string {
  const present = needsOf(token);
  if ((present & TRIGGERS) === 0) return token;
  return isPlainNumber(token, present) ? WILDCARD : applyRules(token, present);
}

/** Numbers and IPv4 addresses alone, the most common values by far, which the rules would mask whole. */
function isPlainNumber(text: string, present: number, start = 0, end = text.length): boolean {
  return (present & ~(Needs.digit | Needs.dot)) === 0 && isDottedNumber(text, start, end);
}

/** What a token is, given what it contains and what masking made of it. */
function kindOf(token: string, masked: string, present: number): TokenKind {
  if (masked === WILDCARD) return TokenKind.value;
  if (masked !== token || ((present & Needs.angle) !== 0 && token.includes(WILDCARD)))
    return TokenKind.shaped;
  return (present & Needs.digit) !== 0 ? TokenKind.numbered : TokenKind.word;
}

/** The kind of the marker that stands for a long line's cut-off tail. */
const TRUNCATED_KIND = kindOf(TRUNCATED, TRUNCATED, needsOf(TRUNCATED));

function applyRules(token: string, present: number): string {
  let masked = token;
  for (const each of MASK_RULES) {
    if (
      (each.needs & present) !== each.needs ||
      (each.needsOneOf !== 0 && (each.needsOneOf & present) === 0) ||
      (each.prefilter !== null && !each.prefilter.test(masked))
    ) {
      continue;
    }
    const replaced = masked.replace(each.pattern, WILDCARD);
    if (replaced === masked) continue;
    masked = replaced;
    // What a match replaced no later rule needs to look at.
    present = needsOf(masked);
    if ((present & TRIGGERS) === 0) break;
  }
  return masked;
}

/**
 * Splits and masks whole lines for one miner, and remembers what it made of recently seen tokens: logs
 * repeat their words and values (the same user, address, port) far more often than they invent new
 * ones. The memory is a table of `slots` tokens placed by their hash. A token found there is not even
 * cut out of its line: it costs its hash and a comparison in place, and the line gets the same string
 * as every earlier line with that token, which the prefix tree and the templates then look up and
 * compare by reference. A new token takes its slot from whichever held it.
 */
export class Masker {
  /** By slot: a token as the line had it, its masked form and its {@link TokenKind}. */
  readonly #tokens: (string | undefined)[];
  readonly #masked: string[];
  readonly #kinds: Uint8Array;
  readonly #slotMask: number;

  constructor(slots = 16384) {
    const size = 2 ** Math.ceil(Math.log2(Math.max(1, slots)));
    this.#tokens = new Array<string | undefined>(size).fill(undefined);
    this.#masked = new Array<string>(size).fill('');
    this.#kinds = new Uint8Array(size);
    this.#slotMask = size - 1;
  }

  /**
   * Splits `message` into tokens exactly as {@link tokenize} does and masks each one: fills `tokens`
   * with the masked tokens and `kinds` with their {@link TokenKind}s, and returns `tokens`.
   */
  maskLine(
    message: string,
    maxTokens: number,
    maxTokenLength: number,
    tokens: string[],
    kinds: Uint8Array,
  ): string[] {
    const bounds = boundsFor(maxTokens);
    const hashes = hashesFor(maxTokens);
    const count = tokenBounds(message, maxTokens, bounds, maxTokens, hashes);
    tokens.length = count;
    for (let index = 0; index < count; index++) {
      const start = bounds[2 * index] as number;
      const end = bounds[2 * index + 1] as number;
      const replaced = standIn(start, end, maxTokenLength);
      if (replaced === null)
        tokens[index] = this.#mask(message, start, end, hashes[index] as number, index, kinds);
      else {
        tokens[index] = replaced;
        kinds[index] = replaced === TRUNCATED ? TRUNCATED_KIND : TokenKind.value;
      }
    }
    return tokens;
  }

  /**
   * The masked form of the token from `start` to `end` of `line`; its kind goes to `kinds[at]`. Plain
   * numbers are masked without taking a slot: they are new too often.
   */
  #mask(line: string, start: number, end: number, hash: number, at: number, kinds: Uint8Array): string {
    const slot = hash & this.#slotMask;
    const known = this.#tokens[slot];
    if (known !== undefined && known.length === end - start && line.startsWith(known, start)) {
      kinds[at] = this.#kinds[slot] as number;
      return this.#masked[slot] as string;
    }
    const present = needsOf(line, start, end);
    if (isPlainNumber(line, present, start, end)) {
      kinds[at] = TokenKind.value;
      return WILDCARD;
    }
    const token = line.slice(start, end);
    const masked = (present & TRIGGERS) === 0 ? token : applyRules(token, present);
    const kind = kindOf(token, masked, present);
    this.#tokens[slot] = token;
    this.#masked[slot] = masked;
    this.#kinds[slot] = kind;
    kinds[at] = kind;
    return masked;
  }
}
