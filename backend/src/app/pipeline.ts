import type { EntrySink, SourceBatch } from '../sources/sink.ts';
import type { Store } from '../store/store.ts';

export interface PipelineLog {
  warn(message: string): void;
}

/** How many rejected lines of one batch are named in the log; the rest are counted. */
const LOGGED_ERRORS_PER_BATCH = 5;

/**
 * The single path every entry takes after its source: journal → (mining → detect) → store.
 * Sources see it only as an {@link EntrySink}.
 */
export class IngestPipeline implements EntrySink {
  constructor(
    private readonly store: Store,
    private readonly log: PipelineLog = { warn: (message) => console.warn(message) },
  ) {}

  resumePoint(sourceKey: string): string | null {
    return this.store.sources.get(sourceKey)?.resumeFrom ?? null;
  }

  write(batch: SourceBatch): void {
    this.store.writeBatch(batch);
    if (batch.errors.length > 0) {
      const named = batch.errors
        .slice(0, LOGGED_ERRORS_PER_BATCH)
        .map((error) => `line ${error.line}: ${error.error}`)
        .join('; ');
      const more = batch.errors.length - LOGGED_ERRORS_PER_BATCH;
      this.log.warn(`${batch.sourceKey}: rejected ${named}${more > 0 ? ` (and ${more} more)` : ''}`);
    }
  }

  reportError(sourceKey: string, message: string | null): void {
    this.store.sources.setError(sourceKey, message);
  }
}
