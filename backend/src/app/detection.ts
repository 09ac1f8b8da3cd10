import { Detector } from '../detect/detector.ts';
import { EntryScorer } from '../detect/entries/index.ts';
import type { EntryScorerSnapshot } from '../detect/entries/index.ts';
import type { Store } from '../store/store.ts';

const ENTRY_SCORER = 'entry-scorer';

/** The detector as it was when last saved, so a restarted backend keeps what it learned. */
export function loadDetector(store: Store): Detector {
  const saved = store.models.get<EntryScorerSnapshot>(ENTRY_SCORER);
  // The pipeline fits new models on a worker thread (EntryRefits), so the scorer never refits in place.
  const scorer = saved
    ? EntryScorer.restore({ ...saved.snapshot, options: { ...saved.snapshot.options, autoRefit: false } })
    : new EntryScorer({ autoRefit: false });
  // Events a previous run left open cannot grow any more.
  store.detection.closeStaleEvents();
  return new Detector(scorer);
}

export function saveDetector(store: Store, detector: Detector): void {
  store.models.put(ENTRY_SCORER, detector.entries.stats.modelVersion, detector.entries.snapshot());
}
