import type { JournalEntry } from '../journal/entry.ts';
import type { LineError } from '../journal/parse.ts';

/** What a source hands on: entries, the lines it could not read, and where to resume after them. */
export interface SourceBatch {
  sourceKey: string;
  entries: JournalEntry[];
  errors: LineError[];
  /**
   * Where to resume once this batch is stored: the journal cursor of its last entry, or a line
   * number for files. Null when the source cannot resume (pushes, stdin).
   */
  resumeFrom: string | null;
}

/**
 * The one thing a source writes to. `write` stores a batch and advances the source's resume point
 * in the same transaction, so a crash at any moment neither loses nor repeats an entry.
 */
export interface EntrySink {
  resumePoint(sourceKey: string): string | null;
  write(batch: SourceBatch): void;
  /** Records the source's current trouble (e.g. "connection refused"), or clears it with null. */
  reportError(sourceKey: string, message: string | null): void;
}
