import type { JournalEntry } from '../journal/entry.ts';
import type { ClusterSnapshot } from './miner.ts';

/** A journal entry with the template it was mined into: what detection and the store receive. */
export interface MinedEntry extends JournalEntry {
  templateId: number;
}

/** What one batch changed in the miner: persisted with the batch, so ids survive any crash. */
export interface MinerChanges {
  /** Templates created, generalised or seen in the batch, with their current state. */
  templates: (ClusterSnapshot & { template: string })[];
  /** Templates forgotten to stay within the limit, with their last state. */
  evicted: (ClusterSnapshot & { template: string })[];
  counters: { nextId: number; evictions: number; lines: number };
}
