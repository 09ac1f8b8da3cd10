import { isAscii } from 'node:buffer';

/** Lines longer than this are reported and skipped rather than buffered without bound. */
export const MAX_LINE_BYTES = 64 * 1024 * 1024;

/**
 * Bytes decoded at a time (rounded up to the next line end). Small enough that a rare non-ASCII
 * character costs a UTF-8 decode of one block, not of a whole read chunk; large enough that the
 * per-block calls cost nothing.
 */
const DECODE_BLOCK_BYTES = 8 * 1024;
const NEWLINE = 0x0a;

export interface LineHandler {
  line(text: string, lineNumber: number): void;
  /** A line that could not be read whole (too long); its content is gone, its number is kept. */
  oversized(lineNumber: number, bytes: number): void;
}

/**
 * Splits a byte stream into lines, across chunk boundaries and multi-byte characters, numbering
 * them from 1. Holds at most one partial line, so memory stays flat whatever the input size.
 *
 * It splits bytes, not text: a newline byte is never part of a multi-byte UTF-8 character, so every
 * line decodes on its own. Blocks that are pure ASCII (nearly all journald output) are decoded as
 * Latin-1, which is the same text for ASCII and about ten times faster than UTF-8 decoding, and
 * gives one-byte strings, which `JSON.parse` reads faster.
 */
export class LineSplitter {
  private held: Buffer[] = [];
  private heldBytes = 0;
  /** Bytes of the current line seen so far, once it is known to be too long to keep. */
  private oversizedBytes = 0;
  private lineNumber = 0;

  constructor(
    private readonly handler: LineHandler,
    private readonly maxLineBytes = MAX_LINE_BYTES,
  ) {}

  get linesSeen(): number {
    return this.lineNumber;
  }

  push(chunk: Buffer): void {
    const first = chunk.indexOf(NEWLINE);
    if (first === -1) {
      this.hold(chunk);
      return;
    }
    let start = 0;
    if (this.heldBytes > 0 || this.oversizedBytes > 0) {
      this.hold(chunk.subarray(0, first));
      this.emitHeld();
      start = first + 1;
    }
    const last = chunk.lastIndexOf(NEWLINE);
    while (start <= last) {
      const blockEnd =
        start + DECODE_BLOCK_BYTES >= last ? last : chunk.indexOf(NEWLINE, start + DECODE_BLOCK_BYTES);
      this.emitBlock(chunk, start, blockEnd);
      start = blockEnd + 1;
    }
    if (start < chunk.length) this.hold(chunk.subarray(start));
  }

  end(): void {
    if (this.heldBytes > 0 || this.oversizedBytes > 0) this.emitHeld();
  }

  /** Emits the lines of `chunk[start, end)`, where `end` is a newline and `start` begins a line. */
  private emitBlock(chunk: Buffer, start: number, end: number): void {
    const ascii = isAscii(chunk.subarray(start, end));
    const text = ascii ? chunk.toString('latin1', start, end) : chunk.toString('utf8', start, end);
    let from = 0;
    for (;;) {
      const newline = text.indexOf('\n', from);
      const line = newline === -1 ? text.slice(from) : text.slice(from, newline);
      this.lineNumber++;
      const bytes = ascii || line.length * 3 <= this.maxLineBytes ? line.length : Buffer.byteLength(line);
      if (bytes > this.maxLineBytes) this.handler.oversized(this.lineNumber, bytes);
      else this.emit(line);
      if (newline === -1) return;
      from = newline + 1;
    }
  }

  private hold(bytes: Buffer): void {
    if (this.oversizedBytes > 0) {
      this.oversizedBytes += bytes.length;
    } else if (this.heldBytes + bytes.length > this.maxLineBytes) {
      this.oversizedBytes = this.heldBytes + bytes.length;
      this.held = [];
      this.heldBytes = 0;
    } else if (bytes.length > 0) {
      // Copied: the caller may reuse the chunk's memory once push() returns.
      this.held.push(Buffer.from(bytes));
      this.heldBytes += bytes.length;
    }
  }

  private emitHeld(): void {
    this.lineNumber++;
    if (this.oversizedBytes > 0) {
      this.handler.oversized(this.lineNumber, this.oversizedBytes);
      this.oversizedBytes = 0;
    } else {
      this.emit(Buffer.concat(this.held, this.heldBytes).toString('utf8'));
    }
    this.held = [];
    this.heldBytes = 0;
  }

  private emit(text: string): void {
    this.handler.line(text.endsWith('\r') ? text.slice(0, -1) : text, this.lineNumber);
  }
}
