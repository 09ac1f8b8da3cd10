import type { Detector } from '../detect/detector.ts';
import type { MinedEntry, MinerChanges } from '../mining/mined-entry.ts';
import type { TemplateMiner } from '../mining/miner.ts';
import type { EntrySink, SourceBatch } from '../sources/sink.ts';
import type { StoredEntry } from '../store/entries.ts';
import type { Store } from '../store/store.ts';
import { loadDetector, saveDetector } from './detection.ts';
import { EntryRefits } from './entry-refits.ts';
import { loadMiner } from './miner.ts';

export interface PipelineLog {
  info?(message: string): void;
  warn(message: string): void;
}

/** How many rejected lines of one batch are named in the log; the rest are counted. */
const LOGGED_ERRORS_PER_BATCH = 5;

/**
 * The single path every entry takes after its source: journal → mining → (detect) → store. Sources
 * see it only as an {@link EntrySink}.
 */
export class IngestPipeline implements EntrySink {
  readonly miner: TemplateMiner;
  /** Null when the pipeline only mines (e.g. a bulk load that is scored later). */
  readonly detector: Detector | null;
  /** Fits the entry model's next version on a worker thread (when the scorer does not refit itself). */
  readonly refits: EntryRefits | null;
  private readonly log: PipelineLog;

  constructor(
    private readonly store: Store,
    options: {
      log?: PipelineLog;
      miner?: TemplateMiner;
      detector?: Detector | null;
      /** Entry model windows of at most this many rows are fitted in place, larger ones on a worker. */
      inPlaceRows?: number;
    } = {},
  ) {
    this.miner = options.miner ?? loadMiner(store);
    this.miner.collectEvictions();
    this.detector = options.detector === undefined ? loadDetector(store) : options.detector;
    this.log = options.log ?? { warn: (message) => console.warn(message) };
    this.refits = this.detector && new EntryRefits(this.detector.entries, this.log, options.inPlaceRows);
  }

  resumePoint(sourceKey: string): string | null {
    return this.store.sources.get(sourceKey)?.resumeFrom ?? null;
  }

  write(batch: SourceBatch): void {
    const touched = new Set<number>();
    const entries: StoredEntry[] = new Array(batch.entries.length);
    for (let index = 0; index < batch.entries.length; index++) {
      const entry = batch.entries[index] as MinedEntry;
      entry.templateId = this.miner.add(entry.message, entry.timeUs).templateId;
      touched.add(entry.templateId);
      entries[index] = entry;
    }
    const detection = this.detector?.process(entries, this.miner);
    if (detection) {
      detection.entryScores.forEach((score, index) => ((entries[index] as StoredEntry).score = score.score));
    }
    this.store.writeBatch(
      { ...batch, entries },
      this.changes(touched),
      detection && { ...detection, modelVersion: this.detector?.entries.stats.modelVersion ?? 0 },
    );
    this.refits?.startIfDue();
    if (batch.errors.length > 0) {
      const named = batch.errors
        .slice(0, LOGGED_ERRORS_PER_BATCH)
        .map((error) => `line ${error.line}: ${error.error}`)
        .join('; ');
      const more = batch.errors.length - LOGGED_ERRORS_PER_BATCH;
      this.log.warn(`${batch.sourceKey}: rejected ${named}${more > 0 ? ` (and ${more} more)` : ''}`);
    }
  }

  /** Closes every open minute and event and saves the detector: at shutdown. */
  close(): void {
    if (this.detector === null) return;
    this.refits?.stop();
    const rest = this.detector.flush();
    this.store.writeDetection({ ...rest, modelVersion: this.detector.entries.stats.modelVersion });
    saveDetector(this.store, this.detector);
  }

  /** Saves the detector so a restart continues from here rather than from the last save. */
  saveModels(): void {
    if (this.detector !== null) saveDetector(this.store, this.detector);
  }

  reportError(sourceKey: string, message: string | null): void {
    this.store.sources.setError(sourceKey, message);
  }

  private changes(touched: Set<number>): MinerChanges {
    const evicted = this.miner.takeEvicted();
    const templates: MinerChanges['templates'] = [];
    for (const id of touched) {
      const state = this.miner.clusterState(id);
      if (state !== null) templates.push(state);
    }
    return { templates, evicted, counters: this.miner.counters() };
  }
}
