import type { JournalEntry } from '../../../src/journal/entry.ts';
import type { MinedEntry } from '../../../src/mining/mined-entry.ts';
import { TemplateMiner } from '../../../src/mining/miner.ts';
import type { MinerOptions } from '../../../src/mining/miner.ts';
import { FEATURES, FeatureExtractor } from '../../../src/detect/entries/features.ts';
import type { HistoryLimits } from '../../../src/detect/entries/history.ts';
import { reasonList } from '../../../src/detect/entries/reasons.ts';
import type { Reason } from '../../../src/detect/entries/reasons.ts';
import { STREAM_START_US } from './stream.ts';

export const HOUR_US = 3_600_000_000;

/** A journal entry with defaults: host `h1`, unit `app.service`, priority 6, Monday 10:00 UTC. */
export function entry(message: string, fields: Partial<JournalEntry> = {}): JournalEntry {
  return {
    cursor: null,
    timeUs: STREAM_START_US + 10 * HOUR_US,
    host: 'h1',
    unit: 'app.service',
    priority: 6,
    message,
    pid: null,
    flags: 0,
    extra: null,
    ...fields,
  };
}

export interface Extracted {
  features: Record<(typeof FEATURES)[number], number>;
  reasons: readonly Reason[];
}

/** A miner and a feature extractor fed one entry at a time, as the pipeline would. */
export class FeatureBench {
  readonly miner: TemplateMiner;
  readonly extractor: FeatureExtractor;

  constructor(limits: Partial<HistoryLimits> = {}, minerOptions: Partial<MinerOptions> = {}) {
    this.miner = new TemplateMiner(minerOptions);
    this.extractor = new FeatureExtractor(limits);
  }

  feed(message: string, fields: Partial<JournalEntry> = {}): Extracted {
    const mined = entry(message, fields) as MinedEntry;
    mined.templateId = this.miner.add(mined.message, mined.timeUs).templateId;
    const { row, reasons } = this.extractor.extract(mined, this.miner);
    const features = Object.fromEntries(FEATURES.map((name, index) => [name, row[index] ?? NaN]));
    return { features: features as Extracted['features'], reasons: reasonList(reasons) };
  }

  /** Feeds `count` entries from `make(index)`; returns the last one's result. */
  repeat(count: number, make: (index: number) => [string, Partial<JournalEntry>?]): Extracted {
    let last: Extracted | undefined;
    for (let index = 0; index < count; index++) last = this.feed(...make(index));
    return last as Extracted;
  }
}

/** Mines entries in batches as the ingest pipeline does, then hands each mined batch on. */
export function mineInBatches<T>(
  entries: readonly JournalEntry[],
  miner: TemplateMiner,
  batchSize: number,
  handle: (batch: MinedEntry[]) => T[],
): T[] {
  const results: T[] = [];
  for (let start = 0; start < entries.length; start += batchSize) {
    const batch = entries.slice(start, start + batchSize) as MinedEntry[];
    for (const mined of batch) mined.templateId = miner.add(mined.message, mined.timeUs).templateId;
    for (const result of handle(batch)) results.push(result);
  }
  return results;
}

/** Copies of entries, so that a stream can be mined again from scratch. */
export function fresh(entries: readonly JournalEntry[]): JournalEntry[] {
  return entries.map((original) => ({ ...original }));
}
