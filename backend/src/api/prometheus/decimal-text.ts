/**
 * The shortest decimal text of a double, written straight into a byte buffer: what `String(x)` gives
 * for positive x in [1e-6, 1e16), without a string per value (V8's conversion of each of a response's
 * 144,000 values was about 40% of the time to write it). Exact arithmetic on doubles decides every
 * digit; the rare values it cannot decide that way are left to `String(x)` (see writePlainDecimal).
 *
 * How: X = x · 10^k with k chosen so that X is in [1e16, 1e17), held exactly as hi + lo (Dekker's
 * product; 10^k is exact for k ≤ 22). Every decimal strictly within half an ulp of x reads back as x,
 * and that half ulp, scaled, is H = 2^(e-1) · 10^k, also exact (5^22 < 2^53). The shortest text is
 * the multiple of the largest power of ten that lies within H of X, the nearest one if several do
 * (as ECMAScript's Number::toString asks). A distance to X is rounded once, and rounding keeps it on
 * the same side of any bound it is compared with, so only equality is ambiguous.
 */

/** 10^0 … 10^22: every one is a double exactly. */
const POW10 = Float64Array.from({ length: 23 }, (_, k) => Number(`1e${k}`));
/** Veltkamp's split of each power of ten into two halves of 26 bits, for Dekker's exact product. */
const SPLITTER = 2 ** 27 + 1;
const POW10_HIGH = POW10.map((power) => {
  const scaled = SPLITTER * power;
  return scaled - (scaled - power);
});
const POW10_LOW = POW10.map((power, k) => power - (POW10_HIGH[k] as number));

const word = new Float64Array(1);
const words = new Uint32Array(word.buffer);
/** Which 32-bit half of a double holds its sign and exponent (the platform's byte order). */
const HIGH = new Uint32Array(new Float64Array([1]).buffer)[1] === 0x3ff00000 ? 1 : 0;
const LOW = 1 - HIGH;

const LOG10_2 = Math.log10(2);
const ZERO = 0x30;
const DOT = 0x2e;
/** The 17 digits of the chosen multiple, most significant first, as ASCII. */
const digits = new Uint8Array(17);

/**
 * Writes the shortest decimal text of `value`, the magnitude of `values[index]` (in [1e-6, 1e16)),
 * at `at` and returns where it ends, or -1 without writing when the arithmetic here cannot tell: a candidate on the very edge of
 * the interval or halfway between two, a power of two (its interval is lopsided), or X within reach
 * of 1e17 (18 digits). The caller then writes `String(value)`. An array and an index, not a number:
 * a double passed to a call that is not inlined is boxed on the heap.
 */
export function writePlainDecimal(
  buffer: Uint8Array,
  at: number,
  values: Float64Array,
  index: number,
): number {
  const value = Math.abs(values[index] as number);
  if (Number.isInteger(value)) return writeInteger(buffer, at, value);
  word[0] = value;
  const high = words[HIGH] as number;
  const exponent = (high >>> 20) & 0x7ff;
  if ((high & 0xfffff) === 0 && words[LOW] === 0) return -1;

  // log10(value) from the binary exponent, off by one at most: X then lands a decade off, and k moves.
  let k = Math.min(22, Math.max(1, 16 - Math.floor((exponent - 1023) * LOG10_2)));
  let power = POW10[k] as number;
  let hi = value * power;
  if (hi < 1e16 || hi >= 1e17) {
    k += hi < 1e16 ? 1 : -1;
    if (k < 1 || k > 22) return -1;
    power = POW10[k] as number;
    hi = value * power;
    if (hi < 1e16 || hi >= 1e17) return -1;
  }
  // Within 22 (the widest interval) of 1e17, the answer could have 18 digits.
  if (hi > 1e17 - 64) return -1;
  const scaled = SPLITTER * value;
  const valueHigh = scaled - (scaled - value);
  const valueLow = value - valueHigh;
  const powerHigh = POW10_HIGH[k] as number;
  const powerLow = POW10_LOW[k] as number;
  const lo = valueHigh * powerHigh - hi + valueHigh * powerLow + valueLow * powerHigh + valueLow * powerLow;

  // Half an ulp of value, 2^(exponent - 1076), built from its bits: exact, unlike a pow().
  words[HIGH] = (exponent - 53) << 20;
  words[LOW] = 0;
  const halfInterval = (word[0] as number) * power;

  // X = base · 10^4 + rest + lo, base and rest integers.
  const base = floorQuotient(hi, 10_000);
  const rest = hi - base * 10_000;
  // The nearest integer (17 digits) is always within the interval, which is at least 2.2 wide here.
  const roundedLo = Math.round(lo);
  if (Math.abs(roundedLo - lo) === 0.5) return -1;
  // The answer: 13 leading digits, then the last four (below 0 or past 9,999 until carried). Fifteen
  // significant digits are tried first: such decimals are 100 apart here and the interval at most 22
  // wide, so at most one lies within it, and if one does, the shortest text is that one without its
  // trailing zeros (any shorter one is the same decimal, padded). Else the answer has sixteen digits or
  // seventeen. A candidate is the multiple of 100 (of 10) nearest to X, roughly; its distance to X,
  // rounded once, is on the same side of every bound it is compared with as the true distance
  // (rounding is monotonic), and ambiguous only when equal to one.
  let tail = rest + roundedLo;
  let zeros = 0;
  const hundred = Math.round((rest + lo) * 0.01) * 100;
  const hundredDistance = Math.abs(hundred - rest - lo);
  if (hundredDistance === halfInterval) return -1;
  const fifteenDigits = hundredDistance < halfInterval;
  if (fifteenDigits) tail = hundred;
  else {
    // Outside: so is every other multiple of 100, unless this one was not the nearest and the
    // nearest (100 - distance away) might be inside.
    if (hundredDistance > 50 && 100 - hundredDistance < halfInterval + 1) return -1;
    const ten = Math.round((rest + lo) * 0.1) * 10;
    const distance = Math.abs(ten - rest - lo);
    if (distance === halfInterval) return -1;
    if (distance < halfInterval) {
      // Inside; the answer if it is the nearest multiple of 10, which it is when less than 5 away.
      if (!(distance < 5)) return -1;
      tail = ten;
      zeros = 1;
    } else if (distance > 5 && 10 - distance < halfInterval + 1) return -1;
  }

  const carry = Math.floor(tail / 10_000);
  const lead = base + carry;
  if (lead < 1e12 || lead >= 1e13) return -1;
  // Four digits at a time, each group split by integer arithmetic: a chain of 17 divisions by ten took
  // as long as V8's own conversion.
  const top = Math.floor(lead / 1e8);
  const middle = lead - top * 1e8;
  const middleHigh = (middle / 10_000) | 0;
  const topHigh = (top / 10_000) | 0;
  writeDigitGroup(digits, 13, tail - carry * 10_000);
  writeDigitGroup(digits, 9, middle - middleHigh * 10_000);
  writeDigitGroup(digits, 5, middleHigh);
  writeDigitGroup(digits, 1, top - topHigh * 10_000);
  digits[0] = ZERO + topHigh;

  if (fifteenDigits) while (zeros < 16 && digits[16 - zeros] === ZERO) zeros++;
  const significant = 17 - zeros;
  const whole = 17 - k;
  let end = at;
  if (whole <= 0) {
    buffer[end++] = ZERO;
    buffer[end++] = DOT;
    for (let i = whole; i < 0; i++) buffer[end++] = ZERO;
    for (let i = 0; i < significant; i++) buffer[end++] = digits[i] as number;
    return end;
  }
  for (let i = 0; i < whole; i++) buffer[end++] = digits[i] as number;
  if (significant > whole) {
    buffer[end++] = DOT;
    for (let i = whole; i < significant; i++) buffer[end++] = digits[i] as number;
  }
  return end;
}

/** The four digits of `group` (0 … 9,999, leading zeros included) as ASCII into `target` at `at`. */
export function writeDigitGroup(target: Uint8Array, at: number, group: number): void {
  const hundreds = (group * 5243) >>> 19;
  const below = group - hundreds * 100;
  const thousands = (hundreds * 103) >>> 10;
  const tens = (below * 103) >>> 10;
  target[at] = ZERO + thousands;
  target[at + 1] = ZERO + hundreds - thousands * 10;
  target[at + 2] = ZERO + tens;
  target[at + 3] = ZERO + below - tens * 10;
}

/**
 * An integer below 1e16 in full: its shortest text. Below 2^53 every integer is a double; above, they
 * are two apart, so no other integer (and a shorter decimal would be one) reads back as this one.
 */
function writeInteger(buffer: Uint8Array, at: number, value: number): number {
  const top = Math.floor(value / 1e8);
  const bottom = value - top * 1e8;
  const topHigh = (top / 10_000) | 0;
  const bottomHigh = (bottom / 10_000) | 0;
  writeDigitGroup(digits, 1, topHigh);
  writeDigitGroup(digits, 5, top - topHigh * 10_000);
  writeDigitGroup(digits, 9, bottomHigh);
  writeDigitGroup(digits, 13, bottom - bottomHigh * 10_000);
  let first = 1;
  while (first < 16 && digits[first] === ZERO) first++;
  let end = at;
  for (let i = first; i <= 16; i++) buffer[end++] = digits[i] as number;
  return end;
}

/**
 * ⌊value / divisor⌋ (divisor > 0) without %, which V8 leaves to a C call for doubles: the float
 * quotient, corrected where its rounding crossed a whole number.
 */
export function floorQuotient(value: number, divisor: number): number {
  const quotient = Math.floor(value / divisor);
  const remainder = value - quotient * divisor;
  if (remainder < 0) return quotient - 1;
  if (remainder >= divisor) return quotient + 1;
  return quotient;
}
