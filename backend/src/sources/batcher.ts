import type { JournalEntry } from '../journal/entry.ts';
import { isLineError, parseJournalLine } from '../journal/parse.ts';
import type { LineError } from '../journal/parse.ts';
import type { LineHandler } from '../journal/lines.ts';
import type { NormalizeOptions } from '../journal/normalize.ts';
import type { EntrySink } from './sink.ts';

export interface BatcherOptions {
  /** Entries per stored batch: larger batches amortise the transaction, smaller ones cut latency. */
  maxEntries?: number;
  /** A partial batch is stored after this long, so followed entries show up promptly. */
  maxDelayMs?: number;
  normalize?: NormalizeOptions;
  /**
   * The resume cursor: gatewayd's `Range: entries=<cursor>` and `journalctl --cursor` start AT that
   * entry, which is already stored, so the first entry is dropped when it carries this cursor.
   */
  skipCursor?: string | null;
  /** Resume point for sources without journal cursors (files): called with the last line number. */
  resumeFromLine?: (lineNumber: number) => string;
  /** How many of the rejected lines {@link EntryBatcher.firstErrors} keeps for the user. */
  keepErrors?: number;
  /** A timed flush runs outside any caller, so its failure is reported here. */
  onFlushError?: (error: Error) => void;
}

/** Turns journald JSON lines into stored batches for one source. */
export class EntryBatcher implements LineHandler {
  private entries: JournalEntry[] = [];
  /** The cursor of the newest pending entry: the resume point once they are stored (see {@link line}). */
  private pendingCursor: string | null = null;
  private errors: LineError[] = [];
  private lastLine = 0;
  private timer: NodeJS.Timeout | null = null;
  private skipCursor: string | null;
  /** Set once its stream is closed: late lines from a dead stream must not be stored twice. */
  private sealed = false;
  private readonly maxEntries: number;
  private readonly maxDelayMs: number;
  accepted = 0;
  rejected = 0;
  /** The first rejected lines with their numbers, to show the user; the rest are counted. */
  readonly firstErrors: LineError[] = [];

  constructor(
    private readonly sourceKey: string,
    private readonly sink: EntrySink,
    private readonly options: BatcherOptions = {},
  ) {
    this.maxEntries = options.maxEntries ?? 5000;
    this.maxDelayMs = options.maxDelayMs ?? 250;
    this.skipCursor = options.skipCursor ?? null;
  }

  line(text: string, lineNumber: number): void {
    if (this.sealed) return;
    this.lastLine = lineNumber;
    const parsed = parseJournalLine(text, lineNumber, this.options.normalize);
    if (parsed === null) return;
    if (isLineError(parsed)) {
      this.reject(parsed);
    } else {
      if (this.skipCursor !== null) {
        const alreadyStored = parsed.cursor === this.skipCursor;
        this.skipCursor = null;
        if (alreadyStored) return;
      }
      // Only the newest cursor is ever read (it is where the source resumes), so the entries wait for
      // their batch without theirs: a cursor is about 150 bytes that each young collection would copy
      // until the batch is stored, and that then end up in the old generation (2.4 % of ingest CPU).
      this.pendingCursor = parsed.cursor;
      parsed.cursor = null;
      this.entries.push(parsed);
      this.accepted++;
    }
    if (this.entries.length >= this.maxEntries) this.flush();
    else this.timer ??= setTimeout(() => this.timedFlush(), this.maxDelayMs).unref();
  }

  oversized(lineNumber: number, bytes: number): void {
    if (this.sealed) return;
    this.lastLine = lineNumber;
    this.reject({ line: lineNumber, error: `line of ${bytes} bytes is over the line limit and was skipped` });
  }

  private reject(error: LineError): void {
    this.errors.push(error);
    this.rejected++;
    if (this.firstErrors.length < (this.options.keepErrors ?? 100)) this.firstErrors.push(error);
  }

  private timedFlush(): void {
    this.timer = null;
    try {
      this.flush();
    } catch (error) {
      this.options.onFlushError?.(error as Error);
    }
  }

  /** Stores what is pending. Throws what the sink throws; the pending lines are then kept for a retry. */
  flush(): void {
    if (this.timer !== null) {
      clearTimeout(this.timer);
      this.timer = null;
    }
    if (this.entries.length === 0 && this.errors.length === 0) return;
    const resumeFrom = this.options.resumeFromLine
      ? this.options.resumeFromLine(this.lastLine)
      : this.pendingCursor;
    this.sink.write({ sourceKey: this.sourceKey, entries: this.entries, errors: this.errors, resumeFrom });
    this.entries = [];
    this.errors = [];
    this.pendingCursor = null;
  }

  /** Drops what is pending without storing it: for a source that will re-read it after reconnecting. */
  discard(): void {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    this.entries = [];
    this.errors = [];
    this.pendingCursor = null;
  }

  /** Ignores every line from now on; what is pending must be flushed or discarded first. */
  seal(): void {
    this.discard();
    this.sealed = true;
  }
}
