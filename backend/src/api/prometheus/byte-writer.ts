import { floorQuotient, writeDigitGroup, writePlainDecimal } from './decimal-text.ts';
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
/** Holders for point(): see pointAt. */
const ONE_TIME = new Float64Array(1);
const ONE_VALUE = new Float64Array(1);
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
  /** The times of the last series written by points(), and those whose text is kept (see there). */
  private lastTimes: Float64Array | null = null;
  private timesOf: Float64Array | null = null;
  private timeText = new Uint8Array(0);
  private timeEnds = new Uint32Array(0);

  /** With `buffers`, the body is written into one of theirs (to be given back once it is sent). */
  constructor(
    expectedBytes: number,
    private readonly buffers: BodyBuffers | null = null,
  ) {
    this.buffer = this.allocate(Math.max(256, expectedBytes));
    VALUE_TEXTS.restart();
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

  /** Bytes `from` up to `to` of `source`, as they are. */
  copy(source: Uint8Array, from: number, to: number): void {
    this.reserve(to - from);
    this.buffer.set(source.subarray(from, to), this.length);
    this.length += to - from;
  }

  /** Takes back the last byte written (the comma after a list's last item). */
  dropLast(): void {
    this.length--;
  }

  /** How many bytes have been written. */
  get written(): number {
    return this.length;
  }

  /** One sample, `[<seconds>,"<value>"]` (see pointAt). */
  point(ms: number, value: number): void {
    ONE_TIME[0] = ms;
    ONE_VALUE[0] = value;
    this.pointAt(ONE_TIME, ONE_VALUE, 0);
  }

  /**
   * Sample `index` of a series as Prometheus writes it, `[<seconds>,"<value>"]`. The time in
   * milliseconds becomes Unix seconds with three decimals when there are milliseconds
   * (`1435781451.781`, `12.500`); the value as ValueTexts writes it. Arrays and an index rather than
   * two numbers, and the usual timestamp written here rather than by a call: a double handed to a call
   * that is not inlined is boxed, which for a day of 100 series was 11 MB of garbage per response.
   */
  pointAt(timestamps: Float64Array, values: Float64Array, index: number): void {
    this.time(timestamps[index] as number);
    this.value(values, index);
  }

  /**
   * Every point of a series, comma-separated (see pointAt). The series of a range query's body mostly
   * share their times (the steps, where each has a point): once two in a row do, the text of the times,
   * `[<seconds>,"`, is kept and copied for the next ones, which is cheaper than writing it. Series with
   * times of their own (a filter's) are written point by point.
   */
  points(timestamps: Float64Array, values: Float64Array): void {
    const count = timestamps.length;
    const seen = this.lastTimes === timestamps;
    this.lastTimes = timestamps;
    if (!seen) {
      for (let i = 0; i < count; i++) {
        if (i > 0) this.comma();
        this.pointAt(timestamps, values, i);
      }
      return;
    }
    if (timestamps !== this.timesOf) {
      this.timesOf = timestamps;
      if (this.timeText.length < count * MAX_POINT_BYTES)
        this.timeText = new Uint8Array(count * MAX_POINT_BYTES);
      if (this.timeEnds.length < count + 1) this.timeEnds = new Uint32Array(count + 1);
      for (let i = 0; i < count; i++) {
        if (i > 0) this.comma();
        const start = this.length;
        this.time(timestamps[i] as number);
        const textStart = this.timeEnds[i] as number;
        this.timeText.set(this.buffer.subarray(start, this.length), textStart);
        this.timeEnds[i + 1] = textStart + this.length - start;
        this.value(values, i);
      }
      return;
    }
    const { timeText, timeEnds } = this;
    for (let i = 0; i < count; i++) {
      this.reserve(MAX_POINT_BYTES + 1);
      const { buffer } = this;
      let at = this.length;
      if (i > 0) buffer[at++] = COMMA;
      const end = timeEnds[i + 1] as number;
      for (let j = timeEnds[i] as number; j < end; j++) buffer[at++] = timeText[j] as number;
      at = VALUE_TEXTS.write(buffer, at, values, i);
      buffer[at++] = QUOTE;
      buffer[at++] = CLOSE_BRACKET;
      this.length = at;
    }
  }

  /** `[<seconds>,"`: the start of a point (see pointAt). */
  private time(ms: number): void {
    this.reserve(MAX_POINT_BYTES);
    this.buffer[this.length++] = OPEN_BRACKET;
    if (ms >= 1e12 && ms < 1e13 && Number.isInteger(ms)) this.tenDigitSeconds(ms);
    else if (Number.isInteger(ms) && Math.abs(ms) < SAFE_DIGITS_BELOW) this.timestamp(ms);
    else this.ascii(formatTimestamp(ms));
    this.reserve(2);
    this.buffer[this.length++] = COMMA;
    this.buffer[this.length++] = QUOTE;
  }

  /** `<value>"]`: the rest of a point. */
  private value(values: Float64Array, index: number): void {
    this.reserve(MAX_POINT_BYTES);
    const { buffer } = this;
    this.length = VALUE_TEXTS.write(buffer, this.length, values, index);
    buffer[this.length++] = QUOTE;
    buffer[this.length++] = CLOSE_BRACKET;
  }

  /** The bytes written so far (a view, not a copy). */
  finish(): Buffer {
    return this.buffer.subarray(0, this.length);
  }

  /**
   * A time from 2001 to 2286 (ten digits of seconds), by four-digit groups: without a float %, which
   * V8 leaves to a C call, or a chain of ten divisions.
   */
  private tenDigitSeconds(ms: number): void {
    const { buffer } = this;
    const at = this.length;
    const seconds = floorQuotient(ms, 1000);
    const millis = ms - seconds * 1000;
    const top = (seconds / 1e8) | 0;
    const rest = seconds - top * 1e8;
    const high = (rest / 10_000) | 0;
    const topTens = (top * 103) >>> 10;
    buffer[at] = ZERO + topTens;
    buffer[at + 1] = ZERO + top - topTens * 10;
    writeDigitGroup(buffer, at + 2, high);
    writeDigitGroup(buffer, at + 6, rest - high * 10_000);
    this.length = at + 10;
    if (millis === 0) return;
    // The group's four digits start with the 0 of thousands, which the dot then replaces.
    writeDigitGroup(buffer, this.length, millis);
    buffer[this.length] = DOT;
    this.length += 4;
  }

  /** Any other whole number of milliseconds below 2^53. */
  private timestamp(ms: number): void {
    const { buffer } = this;
    if (ms < 0) buffer[this.length++] = MINUS;
    const magnitude = Math.abs(ms);
    const millis = magnitude % 1000;
    this.digits((magnitude - millis) / 1000);
    if (millis === 0) return;
    writeDigitGroup(buffer, this.length, millis);
    buffer[this.length] = DOT;
    this.length += 4;
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
    const larger = this.allocate(Math.max(2 * this.buffer.length, this.length + bytes));
    this.buffer.copy(larger, 0, 0, this.length);
    this.buffers?.give(this.buffer);
    this.buffer = larger;
  }

  private allocate(bytes: number): Buffer {
    return this.buffers === null ? Buffer.allocUnsafe(bytes) : this.buffers.take(bytes);
  }
}

/** Texts remembered (a power of two): the distinct values of a counter query's body are a few hundred. */
const TEXT_SLOTS = 4096;
/** `-0.0000012345678901234567`, the longest text of a value, is 25 bytes. */
const TEXT_SLOT_BYTES = 32;
/** Lookups after which the texts are only used further if they answered at least 1 in HIT_SHARE. */
const TRIAL_LOOKUPS = 4096;
const HIT_SHARE = 8;

/**
 * The text of a sample value, remembered by its bits in a table of recent values: a counter query's
 * values repeat (a rate is a whole number of entries over a fixed span; a day of `sum(rate(...))` over
 * 100 hosts is 144,100 values of which about 600 differ), and copying a remembered text costs about a
 * quarter of writing it. Values that do not repeat (scores) would only pay for the look-ups, so a body stops
 * looking once its first TRIAL_LOOKUPS found too few. The table outlives the body: a text depends on
 * the value alone.
 */
class ValueTexts {
  /** Per slot, the value's two 32-bit halves. */
  private readonly keys = new Uint32Array(2 * TEXT_SLOTS);
  /** Per slot, the text's length; 0 for a slot not used yet (every text has at least one byte). */
  private readonly lengths = new Uint8Array(TEXT_SLOTS);
  private readonly texts = new Uint8Array(TEXT_SLOTS * TEXT_SLOT_BYTES);
  private lookups = 0;
  private hits = 0;

  /** A new body: the next values decide again whether looking up pays. */
  restart(): void {
    this.lookups = 0;
    this.hits = 0;
  }

  /** Writes the text of `values[index]` at `at` in `buffer` (room for MAX_POINT_BYTES) and returns its end. */
  write(buffer: Uint8Array, at: number, values: Float64Array, index: number): number {
    if (this.lookups >= TRIAL_LOOKUPS && this.hits * HIT_SHARE < this.lookups) {
      return writeValue(buffer, at, values, index);
    }
    this.lookups++;
    VALUE_BITS[0] = values[index] as number;
    const low = VALUE_WORDS[0] as number;
    const high = VALUE_WORDS[1] as number;
    const slot = Math.imul(low ^ Math.imul(high, 0x9e3779b1), 0x85ebca6b) >>> (32 - TEXT_SLOT_BITS);
    const { keys, lengths, texts } = this;
    const length = lengths[slot] as number;
    const from = slot * TEXT_SLOT_BYTES;
    if (length > 0 && keys[2 * slot] === low && keys[2 * slot + 1] === high) {
      this.hits++;
      // Byte by byte: a subarray to copy with set() is an object per value.
      for (let i = 0; i < length; i++) buffer[at + i] = texts[from + i] as number;
      return at + length;
    }
    const end = writeValue(buffer, at, values, index);
    keys[2 * slot] = low;
    keys[2 * slot + 1] = high;
    lengths[slot] = end - at;
    for (let i = at; i < end; i++) texts[from + i - at] = buffer[i] as number;
    return end;
  }
}

const TEXT_SLOT_BITS = Math.log2(TEXT_SLOTS);
const VALUE_BITS = new Float64Array(1);
const VALUE_WORDS = new Uint32Array(VALUE_BITS.buffer);
const VALUE_TEXTS = new ValueTexts();

/**
 * The text of `values[index]` at `at`, digit by digit where writePlainDecimal can, else as
 * `formatSampleValue` spells it; returns its end.
 */
function writeValue(buffer: Uint8Array, at: number, values: Float64Array, index: number): number {
  const value = values[index] as number;
  const magnitude = Math.abs(value);
  if (magnitude >= PLAIN_FROM && magnitude < PLAIN_BELOW) {
    const end = writePlainDecimal(buffer, value < 0 ? at + 1 : at, values, index);
    if (end >= 0) {
      if (value < 0) buffer[at] = MINUS;
      return end;
    }
  }
  const text = formatSampleValue(value);
  let end = at;
  for (let i = 0; i < text.length; i++) buffer[end++] = text.charCodeAt(i);
  return end;
}

/** What BodyBuffers keeps for reuse at most. */
const POOLED_BYTES = 64 * 2 ** 20;

/**
 * Response body buffers given back once their response is sent, for later bodies. A new buffer per
 * response (6 MB for a day of 100 series) is external memory, which V8 answers with full garbage
 * collections once enough of it has come and gone. Only buffers lent by `take` are taken back, once.
 */
export class BodyBuffers {
  private readonly free: ArrayBuffer[] = [];
  private readonly lent = new WeakSet<ArrayBuffer>();
  private freeBytes = 0;

  /** A buffer of at least `bytes`: the smallest free one that fits, else a new one of its own. */
  take(bytes: number): Buffer {
    let best = -1;
    for (let i = 0; i < this.free.length; i++) {
      const size = (this.free[i] as ArrayBuffer).byteLength;
      if (size >= bytes && (best < 0 || size < (this.free[best] as ArrayBuffer).byteLength)) best = i;
    }
    let memory: ArrayBuffer;
    if (best < 0) memory = new ArrayBuffer(bytes);
    else {
      memory = this.free.splice(best, 1)[0] as ArrayBuffer;
      this.freeBytes -= memory.byteLength;
    }
    this.lent.add(memory);
    return Buffer.from(memory);
  }

  /** Takes back the memory under `body` (a buffer from take, or a view of one) when nothing reads it any more. */
  give(body: Buffer): void {
    const memory = body.buffer;
    if (!(memory instanceof ArrayBuffer) || !this.lent.has(memory)) return;
    this.lent.delete(memory);
    if (this.freeBytes + memory.byteLength > POOLED_BYTES) return;
    this.free.push(memory);
    this.freeBytes += memory.byteLength;
  }
}
