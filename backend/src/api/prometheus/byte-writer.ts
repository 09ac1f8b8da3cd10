import { writeDigitGroup, writePlainDecimal } from './decimal-text.ts';
import { formatSampleValue, formatTimestamp } from './sample-text.ts';

const COMMA = 0x2c;
const QUOTE = 0x22;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
const ZERO = 0x30;
const DOT = 0x2e;
const MINUS = 0x2d;
/** Integers below this are written digit by digit; beyond it a double has no integer precision left. */
const SAFE_DIGITS_BELOW = 2 ** 53;
/**
 * `[-9007199254740.991,"-0.0000012345678901234567"]`: the longest timestamp written digit by digit
 * (others are reserved for apart) and the longest sample value text, `-1.7976931348623157e+308` is
 * one shorter.
 */
const MAX_POINT_BYTES = 48;
/** The magnitudes writePlainDecimal takes. */
const PLAIN_FROM = 1e-6;
const PLAIN_BELOW = 1e16;

/**
 * A response body written straight into a growing Buffer. A matrix of a million points built as one
 * JavaScript string keeps every piece alive until the end, which the young-generation GC then copies
 * over and over (scavenges of 30–90 ms were seen); written here, each point's text dies at once.
 */
export class ByteWriter {
  private buffer: Buffer;
  private length = 0;

  constructor(expectedBytes: number) {
    this.buffer = Buffer.allocUnsafe(Math.max(256, expectedBytes));
  }

  /** Text known to be ASCII (numbers, fixed JSON punctuation). */
  ascii(text: string): void {
    this.reserve(text.length);
    const { buffer } = this;
    let at = this.length;
    for (let i = 0; i < text.length; i++) buffer[at++] = text.charCodeAt(i);
    this.length = at;
  }

  /** Any text, as UTF-8 (label values may be anything). */
  utf8(text: string): void {
    this.reserve(Buffer.byteLength(text));
    this.length += this.buffer.write(text, this.length, 'utf8');
  }

  comma(): void {
    this.reserve(1);
    this.buffer[this.length++] = COMMA;
  }

  /**
   * A sample as Prometheus writes it, `[<seconds>,"<value>"]`. The time in milliseconds becomes Unix
   * seconds with three decimals when there are milliseconds (`1435781451.781`, `12.500`); the value is
   * written digit by digit where writePlainDecimal can, else as `formatSampleValue` spells it.
   */
  point(ms: number, value: number): void {
    this.reserve(MAX_POINT_BYTES);
    this.buffer[this.length++] = OPEN_BRACKET;
    if (Number.isInteger(ms) && Math.abs(ms) < SAFE_DIGITS_BELOW) this.timestamp(ms);
    else this.ascii(formatTimestamp(ms));
    this.reserve(MAX_POINT_BYTES);
    const { buffer } = this;
    buffer[this.length++] = COMMA;
    buffer[this.length++] = QUOTE;
    this.value(value);
    buffer[this.length++] = QUOTE;
    buffer[this.length++] = CLOSE_BRACKET;
  }

  /** The bytes written so far (a view, not a copy). */
  finish(): Buffer {
    return this.buffer.subarray(0, this.length);
  }

  /** Room for the text written is reserved by the caller: MAX_POINT_BYTES holds any of it. */
  private value(value: number): void {
    const magnitude = Math.abs(value);
    if (magnitude >= PLAIN_FROM && magnitude < PLAIN_BELOW) {
      let at = this.length;
      if (value < 0) this.buffer[at++] = MINUS;
      const end = writePlainDecimal(this.buffer, at, magnitude);
      if (end >= 0) {
        this.length = end;
        return;
      }
    }
    const text = formatSampleValue(value);
    const { buffer } = this;
    let at = this.length;
    for (let i = 0; i < text.length; i++) buffer[at++] = text.charCodeAt(i);
    this.length = at;
  }

  private timestamp(ms: number): void {
    const { buffer } = this;
    if (ms < 0) buffer[this.length++] = MINUS;
    const magnitude = Math.abs(ms);
    // Without %, which V8 leaves to a C call for doubles; the quotient's rounding is corrected.
    let seconds = Math.floor(magnitude / 1000);
    let millis = magnitude - seconds * 1000;
    if (millis < 0) {
      seconds--;
      millis += 1000;
    } else if (millis >= 1000) {
      seconds++;
      millis -= 1000;
    }
    if (seconds >= 1e9 && seconds < 1e10) this.tenDigits(seconds);
    else this.digits(seconds);
    if (millis === 0) return;
    // The group's four digits start with the 0 of thousands, which the dot then replaces.
    writeDigitGroup(buffer, this.length, millis);
    buffer[this.length] = DOT;
    this.length += 4;
  }

  /** Seconds from 2001 to 2286, ten digits: by groups, without a chain of ten divisions. */
  private tenDigits(value: number): void {
    const { buffer } = this;
    const at = this.length;
    const top = (value / 1e8) | 0;
    const rest = value - top * 1e8;
    const high = (rest / 10_000) | 0;
    const topTens = (top * 103) >>> 10;
    buffer[at] = ZERO + topTens;
    buffer[at + 1] = ZERO + top - topTens * 10;
    writeDigitGroup(buffer, at + 2, high);
    writeDigitGroup(buffer, at + 6, rest - high * 10_000);
    this.length = at + 10;
  }

  /** A non-negative integer, last digit first. */
  private digits(value: number): void {
    let count = 1;
    for (let power = 10; power <= value; power *= 10) count++;
    const { buffer } = this;
    let at = this.length + count;
    let rest = value;
    do {
      const tens = Math.floor(rest / 10);
      buffer[--at] = ZERO + (rest - tens * 10);
      rest = tens;
    } while (rest > 0);
    this.length += count;
  }

  private reserve(bytes: number): void {
    if (this.length + bytes <= this.buffer.length) return;
    const larger = Buffer.allocUnsafe(Math.max(2 * this.buffer.length, this.length + bytes));
    this.buffer.copy(larger, 0, 0, this.length);
    this.buffer = larger;
  }
}
