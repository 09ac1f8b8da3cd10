// Synthetic load for measuring the entry scorer's memory: thousands of distinct templates said by many
// hosts and units, built in the process that measures it.
import { Calibration } from '../../../src/detect/entries/calibration.ts';
import { FeatureExtractor } from '../../../src/detect/entries/features.ts';
import { EntryScorer } from '../../../src/detect/entries/scorer.ts';
import { SeededRandom } from '../../../src/detect/random.ts';
import type { MinedEntry } from '../../../src/mining/mined-entry.ts';
import { TemplateMiner } from '../../../src/mining/miner.ts';
import { encodeSnapshot } from '../../../src/store/snapshot-codec.ts';
import { STREAM_START_US } from './stream.ts';

/** Letters only, different for every index: the miner sees a word, not a value. */
export function word(index: number): string {
  let text = '';
  let rest = index;
  do {
    text += String.fromCharCode(97 + (rest % 26));
    rest = Math.floor(rest / 26);
  } while (rest > 0);
  return text;
}

/**
 * A message of template `index`: the first two words pick its leaf of the miner's tree, and the next
 * two keep it apart from the others that share a leaf once a node has its 100 children.
 */
function templateMessage(index: number, user: string, milliseconds: number): string {
  const words = [index % 100, 100 + Math.floor(index / 100), 400 + index, 30_400 + index].map(word);
  return `${words.join(' ')} finished for user ${user} in ${milliseconds} ms`;
}

export interface ScorerMemory {
  stateMb: number;
  rssMb: number;
  snapshotMb: number;
  templates: number;
  series: number;
  hosts: number;
}

/**
 * What the state adds, after a full collection (run with --expose-gc): `requested` is a whole scorer
 * with 10,000 templates and 1,000 (host, unit) series and a full window; `limits` fills every default
 * limit of the history and calibrates 5,000 series. Every entry's template is mined once up front and
 * its id reused, so that the miner's own growth does not count.
 */
export function measureScorerMemory(scenario: 'requested' | 'limits'): ScorerMemory {
  const gc = (): number => {
    globalThis.gc?.();
    const { heapUsed, arrayBuffers } = process.memoryUsage();
    return (heapUsed + arrayBuffers) / 2 ** 20;
  };
  const templates = scenario === 'requested' ? 10_000 : 20_000;
  const miner = new TemplateMiner();
  const ids = Array.from({ length: templates }, (_, index) => {
    return miner.add(templateMessage(index, 'alice', 5), STREAM_START_US).templateId;
  });
  const random = new SeededRandom(9);
  const make = (template: number, host: number, unit: number, index: number): MinedEntry => {
    const message = templateMessage(template, word(random.nextInt(50)), index % 997);
    return {
      cursor: null,
      timeUs: STREAM_START_US + index * 1000,
      host: `host-${host}`,
      unit: `unit-${unit}.service`,
      priority: 6,
      message,
      pid: null,
      flags: 0,
      extra: null,
      templateId: ids[template] ?? 0,
    };
  };
  const heapBefore = gc();
  const rssBefore = process.memoryUsage().rss / 2 ** 20;
  let state: { snapshot(): unknown };
  if (scenario === 'requested') {
    // 100 hosts × 10 units, every entry a random one of the 10,000 templates.
    const scorer = new EntryScorer({ autoRefit: false });
    for (let index = 0; index < 600_000; index++) {
      const series = random.nextInt(1_000);
      scorer.score(make(random.nextInt(templates), series % 100, Math.floor(series / 100), index), miner);
      if (index === 10_000) scorer.refit();
    }
    scorer.refit();
    state = scorer;
  } else {
    // Every limit full: 1,000 hosts × 5 units, each unit 200 templates, each host 1,000.
    const extractor = new FeatureExtractor();
    const calibration = new Calibration(0.001, extractor.history.limits.series);
    let index = 0;
    for (let host = 0; host < 1_000; host++) {
      for (let unit = 0; unit < 5; unit++) {
        for (let said = 0; said < 200; said++) {
          const template = (host * 1_000 + unit * 200 + said) % templates;
          const { seriesKey } = extractor.extract(make(template, host, unit, index++), miner);
          calibration.calibrate(0.5, seriesKey);
        }
      }
    }
    state = {
      snapshot: () => ({ history: extractor.history.snapshot(), calibration: calibration.snapshot() }),
    };
  }
  const stateMb = gc() - heapBefore;
  const rssMb = process.memoryUsage().rss / 2 ** 20 - rssBefore;
  const snapshot = state.snapshot() as {
    history: { templates: unknown[]; series: unknown[]; hosts: unknown[] };
  };
  const snapshotMb = encodeSnapshot(snapshot).length / 2 ** 20;
  const { history } = snapshot;
  return {
    stateMb,
    rssMb,
    snapshotMb,
    templates: history.templates.length,
    series: history.series.length,
    hosts: history.hosts.length,
  };
}
