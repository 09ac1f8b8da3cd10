import type { NormalizeOptions } from '../journal/normalize.ts';
import { Backoff } from './backoff.ts';
import { EntryBatcher } from './batcher.ts';
import type { EntrySink } from './sink.ts';

export interface StreamSettings {
  sink: EntrySink;
  batchSize?: number;
  flushDelayMs?: number;
  backoff?: Backoff;
  onLog?: (level: 'info' | 'warn', message: string) => void;
}

/** One open stream of journal lines; closing it must stop further lines reaching the batcher. */
export interface StreamConnection {
  close(): void;
}

/** What a subclass's stream reports back; calls from a stream that has since been replaced are ignored. */
export interface StreamEvents {
  /** The stream delivers: clears the source's error and the backoff. */
  healthy(): void;
  /** The stream broke or ended: store what arrived whole, then open a new one after a backoff. */
  failed(reason: string, options?: { keepPending?: boolean }): void;
  /** A read that does not follow has reached the end of the journal. */
  finished(): void;
}

/**
 * A source that reads journal lines from a stream that can break (an HTTP connection, a journalctl
 * process): it resumes from the stored cursor, stores each batch with its cursor, and opens the
 * stream again with backoff whenever it fails, until stopped.
 */
export abstract class ReconnectingSource {
  abstract readonly key: string;
  private connection: StreamConnection | null = null;
  private batcher: EntryBatcher | null = null;
  private retryTimer: NodeJS.Timeout | null = null;
  private stopped = true;
  private resolveDone: () => void = () => {};
  private readonly backoff: Backoff;

  protected constructor(private readonly settings: StreamSettings) {
    this.backoff = settings.backoff ?? new Backoff();
  }

  /** Opens the stream from `resumeFrom` (null: from the start) and feeds its lines to `batcher`. */
  protected abstract open(
    resumeFrom: string | null,
    batcher: EntryBatcher,
    events: StreamEvents,
  ): StreamConnection;

  protected normalizeOptions(): NormalizeOptions | undefined {
    return undefined;
  }

  /** Starts reading. Settles when a read that does not follow reaches the end, or on stop(). */
  start(): Promise<void> {
    this.stopped = false;
    const done = new Promise<void>((resolve) => (this.resolveDone = resolve));
    this.connect();
    return done;
  }

  /** Stops after storing every entry that has arrived whole. */
  stop(): void {
    if (this.stopped) return;
    this.stopped = true;
    if (this.retryTimer !== null) clearTimeout(this.retryTimer);
    this.retryTimer = null;
    this.closeConnection();
    this.resolveDone();
  }

  private connect(): void {
    const { sink } = this.settings;
    const resumeFrom = sink.resumePoint(this.key);
    const batcher = new EntryBatcher(this.key, sink, {
      maxEntries: this.settings.batchSize,
      maxDelayMs: this.settings.flushDelayMs,
      skipCursor: resumeFrom,
      normalize: this.normalizeOptions(),
      onFlushError: (error) => events.failed(`cannot store entries: ${error.message}`),
    });
    const live = () => this.batcher === batcher;
    const events: StreamEvents = {
      healthy: () => {
        if (!live()) return;
        sink.reportError(this.key, null);
        this.backoff.reset();
      },
      failed: (reason, options) => {
        if (live()) this.retry(reason, options);
      },
      finished: () => {
        if (!live()) return;
        this.closeConnection();
        this.stopped = true;
        this.resolveDone();
      },
    };
    this.batcher = batcher;
    this.connection = this.open(resumeFrom, batcher, events);
  }

  /** Ends the current stream, storing what arrived whole unless storing is what failed. */
  private closeConnection(options: { keepPending?: boolean } = {}): void {
    const { connection, batcher } = this;
    this.connection = null;
    this.batcher = null;
    connection?.close();
    if (batcher === null) return;
    try {
      if (options.keepPending !== false) batcher.flush();
    } catch (error) {
      this.settings.onLog?.('warn', `${this.key}: cannot store entries: ${(error as Error).message}`);
    } finally {
      batcher.seal();
    }
  }

  private retry(reason: string, options: { keepPending?: boolean } = {}): void {
    this.closeConnection(options);
    if (this.stopped) return;
    this.settings.sink.reportError(this.key, reason);
    const delay = this.backoff.nextDelayMs();
    this.settings.onLog?.('warn', `${this.key}: ${reason}; retrying in ${(delay / 1000).toFixed(1)} s`);
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      if (!this.stopped) this.connect();
    }, delay);
  }
}
