import { parseDuration } from './duration.ts';
import { badData } from './errors.ts';

/**
 * A number as PromQL reads it (Go's `ParseInt(s, 0, 64)`, then `ParseFloat`): decimal and exponent
 * forms, `0x1F`, `017` (octal, as in Go), `1_000`, `Inf`, `NaN`, and a duration such as `5m` (seconds).
 */
export function parseNumberLiteral(text: string): number {
  const sign = text.startsWith('-') ? -1 : 1;
  const unsigned = text.replace(/^[+-]\s*/, '');
  const lower = unsigned.toLowerCase();
  if (lower === 'inf') return sign * Infinity;
  if (lower === 'nan') return NaN;
  const digits = unsigned.replace(/_/g, '');
  if (/^0x[0-9a-f]+$/i.test(digits)) return sign * Number.parseInt(digits.slice(2), 16);
  if (/^0[0-7]+$/.test(digits)) return sign * Number.parseInt(digits.slice(1), 8);
  if (/^(?:\d+(?:\.\d*)?|\.\d+)(?:e[+-]?\d+)?$/i.test(digits)) return sign * Number(digits);
  return (sign * parseDuration(unsigned)) / 1000;
}

const SIMPLE_ESCAPES: Record<string, string> = {
  a: '\u0007',
  b: '\b',
  f: '\f',
  n: '\n',
  r: '\r',
  t: '\t',
  v: '\u000b',
  '\\': '\\',
  "'": "'",
  '"': '"',
};

/**
 * The value of a PromQL string literal: Go escapes (`\n`, `\x41`, `\u00e9`, `\101`) in "double" and
 * 'single' quotes; `backticks` are raw.
 */
export function unquoteString(literal: string): string {
  const quote = literal[0];
  if (literal.length < 2 || literal[literal.length - 1] !== quote)
    throw badData('unterminated quoted string');
  const body = literal.slice(1, -1);
  if (quote === '`') return body;
  let value = '';
  for (let i = 0; i < body.length; i++) {
    const char = body[i] ?? '';
    if (char !== '\\') {
      value += char;
      continue;
    }
    const next = body[i + 1] ?? '';
    const simple = SIMPLE_ESCAPES[next];
    if (simple !== undefined) {
      value += simple;
      i += 1;
      continue;
    }
    const hexLength = next === 'x' ? 2 : next === 'u' ? 4 : next === 'U' ? 8 : 0;
    if (hexLength > 0) {
      const hex = body.slice(i + 2, i + 2 + hexLength);
      if (!new RegExp(`^[0-9a-fA-F]{${hexLength}}$`).test(hex))
        throw badData(`invalid escape sequence in ${literal}`);
      const codePoint = Number.parseInt(hex, 16);
      if (codePoint > 0x10ffff) throw badData(`invalid escape sequence in ${literal}`);
      value += String.fromCodePoint(codePoint);
      i += 1 + hexLength;
      continue;
    }
    const octal = body.slice(i + 1, i + 4);
    if (/^[0-7]{3}$/.test(octal)) {
      value += String.fromCharCode(Number.parseInt(octal, 8));
      i += 3;
      continue;
    }
    throw badData(`unknown escape sequence ${JSON.stringify(`\\${next}`)} in ${literal}`);
  }
  return value;
}
