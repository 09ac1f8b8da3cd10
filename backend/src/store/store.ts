import type { MinerChanges } from '../mining/mined-entry.ts';
import type { SourceBatch } from '../sources/sink.ts';
import { openDatabase } from './database.ts';
import type { Db } from './database.ts';
import { DetectionWriter } from './detection.ts';
import type { DetectionChanges } from './detection.ts';
import { EntryWriter } from './entries.ts';
import { ModelTable } from './models.ts';
import type { StoredEntry } from './entries.ts';
import { DEFAULT_RETENTION, pruneEntries } from './retention.ts';
import type { RetentionLimits } from './retention.ts';
import { SeriesTable } from './series.ts';
import { SourceTable } from './sources.ts';
import { TemplateTable } from './templates.ts';

/** A source's batch after mining: what the store keeps. */
export interface StoredBatch extends Omit<SourceBatch, 'entries'> {
  entries: StoredEntry[];
}

/** The embedded store: one SQLite file under the data directory. */
export class Store {
  readonly sources: SourceTable;
  readonly series: SeriesTable;
  readonly templates: TemplateTable;
  private readonly entries: EntryWriter;
  readonly detection: DetectionWriter;
  readonly models: ModelTable;
  private readonly writeBatchAtomically;

  constructor(
    readonly db: Db,
    private readonly retention: RetentionLimits = DEFAULT_RETENTION,
  ) {
    this.sources = new SourceTable(db);
    this.series = new SeriesTable(db);
    this.templates = new TemplateTable(db);
    this.entries = new EntryWriter(db, this.series);
    this.detection = new DetectionWriter(db, this.series);
    this.models = new ModelTable(db);
    this.writeBatchAtomically = db.transaction(
      (sourceId: number, batch: StoredBatch, changes?: MinerChanges, detection?: DetectionChanges) => {
        if (changes) this.templates.apply(changes);
        this.entries.write(sourceId, batch.entries);
        if (detection) this.detection.write(detection);
        const last = batch.entries[batch.entries.length - 1];
        this.sources.advance(sourceId, {
          resumeFrom: batch.resumeFrom,
          entries: batch.entries.length,
          rejected: batch.errors.length,
          lastEntryUs: last?.timeUs ?? null,
        });
      },
    );
  }

  static open(dataDir: string, retention?: RetentionLimits): Store {
    return new Store(openDatabase(dataDir), retention);
  }

  /**
   * Stores a batch, the miner's changes, what detection made of it and its source's resume point in
   * one transaction: all of it or none.
   */
  writeBatch(batch: StoredBatch, changes?: MinerChanges, detection?: DetectionChanges): void {
    const sourceId = this.sources.register(batch.sourceKey);
    this.rollingBackCaches(() => this.writeBatchAtomically(sourceId, batch, changes, detection));
  }

  /** Stores what detection produced outside a batch (closing minutes and events at shutdown). */
  writeDetection(detection: DetectionChanges): void {
    this.rollingBackCaches(() => this.db.transaction(() => this.detection.write(detection))());
  }

  /**
   * Runs a write transaction; if it fails, the cached ids (series, sources, open events) may name rows
   * it rolled back, so they are forgotten and read again.
   */
  private rollingBackCaches(write: () => void): void {
    try {
      write();
    } catch (error) {
      this.series.forget();
      this.sources.forget();
      this.detection.forget();
      throw error;
    }
  }

  prune(nowMs?: number): number {
    return pruneEntries(this.db, this.retention, nowMs);
  }

  entryCount(): number {
    return (this.db.prepare('SELECT count(*) AS n FROM entries').get() as { n: number }).n;
  }

  close(): void {
    if (this.db.open) this.db.close();
  }
}
