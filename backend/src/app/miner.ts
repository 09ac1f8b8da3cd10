import { TemplateMiner } from '../mining/miner.ts';
import type { MinerOptions } from '../mining/miner.ts';
import { DEFAULT_MINER_OPTIONS } from '../mining/miner.ts';
import type { Store } from '../store/store.ts';

/** The miner as the store last saw it, so template ids mean the same across restarts. */
export function loadMiner(store: Store, options: Partial<MinerOptions> = {}): TemplateMiner {
  const snapshot = store.templates.minerSnapshot({ ...DEFAULT_MINER_OPTIONS, ...options });
  return snapshot === null ? new TemplateMiner(options) : TemplateMiner.restore(snapshot);
}
