import type { MinedEntry } from '../../mining/mined-entry.ts';
import type { TemplateMiner } from '../../mining/miner.ts';
import { IsolationForest } from '../isolation-forest.ts';
import { shouldAlert } from './alert-policy.ts';
import { Calibration } from './calibration.ts';
import { coldStartAlerts, coldStartScore } from './cold-start.ts';
import { FEATURE_COUNT, FeatureExtractor } from './features.ts';
import { DEFAULT_HISTORY_LIMITS } from './history.ts';
import { DEFAULT_ENTRY_SCORER_OPTIONS, validate } from './options.ts';
import type { EntryScorerOptions, EntryScorerSettings } from './options.ts';
import { reasonList } from './reasons.ts';
import type { EntryScore } from './scorer.ts';

/** Rows per block of stored features: the whole log's rows are kept without one huge reallocation. */
const BLOCK_ROWS = 65_536;
/** A forest needs two rows to split. */
const MIN_ROWS = 2;

/**
 * Scores a whole log at once, as `lookout analyze` does. Features are extracted in the log's order, so
 * "new" still means new at that point of the log; then one forest is fitted on all the rows and scores
 * every one of them, ranked among all the scores of its (host, unit). The streaming scorer cannot do this for a short log:
 * it has no model before `minTrainingRows` entries, and a day's log is often shorter than that, so all
 * of it would be scored by its reasons alone.
 */
export class OfflineEntryScorer {
  readonly options: Readonly<EntryScorerOptions>;
  readonly #features: FeatureExtractor;
  readonly #blocks: Float64Array[] = [];
  readonly #reasons: number[] = [];
  readonly #seriesKeys: string[] = [];

  constructor(settings: EntryScorerSettings = {}) {
    const limits = { ...DEFAULT_HISTORY_LIMITS, ...settings.limits };
    this.options = Object.freeze(validate({ ...DEFAULT_ENTRY_SCORER_OPTIONS, ...settings, limits }));
    this.#features = new FeatureExtractor(limits);
  }

  get count(): number {
    return this.#reasons.length;
  }

  /** Call for each entry right after `miner.add()` of its message, in the log's order. */
  add(entry: MinedEntry, miner: TemplateMiner): void {
    const extracted = this.#features.extract(entry, miner);
    const index = this.#reasons.length;
    const offset = (index % BLOCK_ROWS) * FEATURE_COUNT;
    if (offset === 0) this.#blocks.push(new Float64Array(BLOCK_ROWS * FEATURE_COUNT));
    (this.#blocks[this.#blocks.length - 1] as Float64Array).set(extracted.row, offset);
    this.#reasons.push(extracted.reasons);
    this.#seriesKeys.push(extracted.seriesKey);
  }

  /** Fits one model on every entry added and scores them all, in the order they were added. */
  score(): EntryScore[] {
    const count = this.count;
    if (count < MIN_ROWS) return this.#reasons.map((reasons) => this.#byReasons(reasons));
    const rows = new Float64Array(count * FEATURE_COUNT);
    this.#blocks.forEach((block, blockIndex) => {
      const start = blockIndex * BLOCK_ROWS;
      rows.set(block.subarray(0, Math.min(BLOCK_ROWS, count - start) * FEATURE_COUNT), start * FEATURE_COUNT);
    });
    const { trees, sampleSize, seed, contamination } = this.options;
    const raws = IsolationForest.fit(rows, FEATURE_COUNT, { trees, sampleSize, seed }).score(rows);
    const calibration = new Calibration(contamination, this.options.limits.series);
    calibration.setReference(raws.slice().sort());
    const bySeries = this.#scoresBySeries(raws);
    const scores = new Array<EntryScore>(count);
    for (let index = 0; index < count; index++) {
      const raw = raws[index] ?? 0;
      const reasons = this.#reasons[index] ?? 0;
      const score = calibration.calibrateAgainst(
        raw,
        bySeries.get(this.#seriesKeys[index] ?? '') as Float64Array,
      );
      scores[index] = {
        score,
        raw,
        alert: shouldAlert(reasons, calibration.oddForFleet(raw)),
        reasons: reasonList(reasons),
        modelVersion: 1,
      };
    }
    return scores;
  }

  /** Too few entries for a model: the reasons score, as in the streaming scorer's cold start. */
  #byReasons(reasons: number): EntryScore {
    const score = coldStartScore(reasons);
    return {
      score,
      raw: score,
      alert: coldStartAlerts(reasons),
      reasons: reasonList(reasons),
      modelVersion: 0,
    };
  }

  /** Each series' raw scores, ascending: the whole log is known, so each entry is ranked among all of them. */
  #scoresBySeries(raws: Float64Array): Map<string, Float64Array> {
    const lists = new Map<string, number[]>();
    this.#seriesKeys.forEach((key, index) => {
      let list = lists.get(key);
      if (list === undefined) lists.set(key, (list = []));
      list.push(raws[index] ?? 0);
    });
    return new Map([...lists].map(([key, list]) => [key, Float64Array.from(list).sort()]));
  }
}
