import { StringDecoder } from 'node:string_decoder';

/** Lines longer than this are reported and skipped rather than buffered without bound. */
export const MAX_LINE_BYTES = 64 * 1024 * 1024;

export interface LineHandler {
  line(text: string, lineNumber: number): void;
  /** A line that could not be read whole (too long); its content is gone, its number is kept. */
  oversized(lineNumber: number, bytes: number): void;
}

/**
 * Splits a byte stream into lines, across chunk boundaries and multi-byte characters, numbering
 * them from 1. Holds at most one partial line, so memory stays flat whatever the input size.
 */
export class LineSplitter {
  private readonly decoder = new StringDecoder('utf8');
  private pending = '';
  private pendingOversized = 0;
  private lineNumber = 0;

  constructor(
    private readonly handler: LineHandler,
    private readonly maxLineBytes = MAX_LINE_BYTES,
  ) {}

  get linesSeen(): number {
    return this.lineNumber;
  }

  push(chunk: Buffer): void {
    this.consume(this.decoder.write(chunk));
  }

  end(): void {
    this.consume(this.decoder.end());
    if (this.pending.length > 0 || this.pendingOversized > 0) this.emit(this.pending);
    this.pending = '';
  }

  private consume(text: string): void {
    let start = 0;
    let newline = text.indexOf('\n');
    while (newline !== -1) {
      const piece = text.slice(start, newline);
      this.emit(this.pending.length > 0 ? this.pending + piece : piece);
      this.pending = '';
      start = newline + 1;
      newline = text.indexOf('\n', start);
    }
    const rest = text.slice(start);
    if (this.pendingOversized > 0) {
      this.pendingOversized += rest.length;
    } else if (this.pending.length + rest.length > this.maxLineBytes) {
      this.pendingOversized = this.pending.length + rest.length;
      this.pending = '';
    } else if (rest.length > 0) {
      this.pending += rest;
    }
  }

  private emit(text: string): void {
    this.lineNumber++;
    if (this.pendingOversized > 0) {
      const size = this.pendingOversized + text.length;
      this.pendingOversized = 0;
      this.handler.oversized(this.lineNumber, size);
      return;
    }
    const line = text.endsWith('\r') ? text.slice(0, -1) : text;
    this.handler.line(line, this.lineNumber);
  }
}
