import type { MinedEntry } from '../../mining/mined-entry.ts';
import type { TemplateMiner } from '../../mining/miner.ts';
import { IsolationForest } from '../isolation-forest.ts';
import type { IsolationForestSnapshot } from '../isolation-forest.ts';
import { Calibration } from './calibration.ts';
import type { CalibrationSnapshot } from './calibration.ts';
import { shouldAlert } from './alert-policy.ts';
import { coldStartAlerts, coldStartScore } from './cold-start.ts';
import { FEATURE_COUNT, FeatureExtractor } from './features.ts';
import { DEFAULT_HISTORY_LIMITS, History } from './history.ts';
import type { HistorySnapshot } from './history.ts';
import { RefitClock, trainEntryModel } from './model.ts';
import type { ScheduleState, TrainedEntryModel, TrainingJob } from './model.ts';
import { DEFAULT_ENTRY_SCORER_OPTIONS, validate } from './options.ts';
import type { EntryScorerOptions, EntryScorerSettings } from './options.ts';

export type { EntryScorerOptions, EntryScorerSettings };
import { MuteRules } from './mutes.ts';
import type { MuteRule } from './mutes.ts';
import { ReasonBit, reasonList } from './reasons.ts';
import type { Reason } from './reasons.ts';
import { TrainingWindow } from './window.ts';
import type { TrainingWindowSnapshot } from './window.ts';

export interface EntryScore {
  /** 0..1, calibrated to the entry's (host, unit); 0 when muted. */
  score: number;
  /** The forest's score, or the reasons' before the first model. */
  raw: number;
  alert: boolean;
  /** Shared between scores with the same reasons: read-only. */
  reasons: readonly Reason[];
  /** The model that scored the entry: 0 before the first fit, then one more per fit. */
  modelVersion: number;
}

export interface EntryScorerStats {
  entries: number;
  alerts: number;
  modelVersion: number;
  /** The raw score above which an entry may alert (Infinity before the first model). */
  threshold: number;
  windowRows: number;
  templates: number;
  series: number;
  hosts: number;
}

export interface EntryScorerSnapshot {
  /** 2 holds typed arrays where 1 held their base64 (1 is still read). */
  format: 'lookout-entry-scorer/2' | 'lookout-entry-scorer/1';
  options: Omit<EntryScorerOptions, 'limits'>;
  history: HistorySnapshot;
  window: TrainingWindowSnapshot;
  model: { version: number; forest: IsolationForestSnapshot | null };
  calibration: CalibrationSnapshot;
  schedule: ScheduleState;
  mutes: MuteRule[];
  counters: { entries: number; alerts: number };
}

/**
 * Is this entry odd, given what its host, unit and template usually say, and when? Features from
 * history, an Isolation Forest refitted on a sliding window of them, and calibration per (host, unit).
 */
export class EntryScorer {
  readonly options: Readonly<EntryScorerOptions>;
  readonly #features: FeatureExtractor;
  readonly #window: TrainingWindow;
  readonly #clock: RefitClock;
  readonly #calibration: Calibration;
  readonly #mutes = new MuteRules();
  #forest: IsolationForest | null = null;
  #version = 0;
  #entries = 0;
  #alerts = 0;
  readonly #one = new Float64Array(1);

  constructor(options: EntryScorerSettings = {}, restored?: EntryScorerSnapshot) {
    const limits = { ...DEFAULT_HISTORY_LIMITS, ...options.limits };
    const settings = validate({ ...DEFAULT_ENTRY_SCORER_OPTIONS, ...options, limits });
    this.options = Object.freeze(settings);
    const { windowRows, windowHours, seed, contamination } = settings;
    this.#features = new FeatureExtractor(restored ? History.restore(restored.history) : limits);
    this.#window = restored
      ? TrainingWindow.restore(restored.window)
      : new TrainingWindow(windowRows, FEATURE_COUNT, windowHours, seed);
    const schedule = {
      everyEntries: settings.refitEveryEntries,
      everyMinutes: settings.refitEveryMinutes,
      minRows: settings.minTrainingRows,
    };
    this.#clock = new RefitClock(schedule, restored?.schedule);
    this.#calibration = restored
      ? Calibration.restore(restored.calibration, limits.series)
      : new Calibration(contamination, limits.series);
    if (restored) {
      for (const rule of restored.mutes) this.#mutes.mute(rule);
      this.#version = restored.model.version;
      this.#forest = restored.model.forest && IsolationForest.fromSnapshot(restored.model.forest);
      this.#entries = restored.counters.entries;
      this.#alerts = restored.counters.alerts;
    }
  }

  /** Scores one entry; call in arrival order, right after `miner.add()` of its message. */
  score(entry: MinedEntry, miner: TemplateMiner): EntryScore {
    const extracted = this.#features.extract(entry, miner);
    let raw: number;
    if (this.#forest) {
      this.#forest.score(extracted.row, this.#one);
      raw = this.#one[0] ?? 0;
    } else raw = coldStartScore(extracted.reasons);
    return this.#finish(entry, extracted.row, 0, extracted.reasons, extracted.seriesKey, raw);
  }

  /**
   * Scores a batch the miner has just mined as a whole (every `miner.add()` done): the same scores as
   * {@link score} entry by entry, with the forest run over many rows at once.
   */
  scoreBatch(entries: readonly MinedEntry[], miner: TemplateMiner): EntryScore[] {
    const count = entries.length;
    const rows = new Float64Array(count * FEATURE_COUNT);
    const reasons = new Int32Array(count);
    const keys = new Array<string>(count);
    // Per entry, how many entries of the batch from it on have its template: counted from the end.
    const fromHere = new Int32Array(count);
    const counted = new Map<number, number>();
    for (let index = count - 1; index >= 0; index--) {
      const templateId = (entries[index] as MinedEntry).templateId;
      const later = (counted.get(templateId) ?? 0) + 1;
      counted.set(templateId, later);
      fromHere[index] = later;
    }
    for (let index = 0; index < count; index++) {
      const entry = entries[index] as MinedEntry;
      const extracted = this.#features.extract(entry, miner, count - 1 - index, fromHere[index] ?? 1);
      rows.set(extracted.row, index * FEATURE_COUNT);
      reasons[index] = extracted.reasons;
      keys[index] = extracted.seriesKey;
    }
    const raws = new Float64Array(count);
    const scores = new Array<EntryScore>(count);
    let scoredWith = -1;
    for (let index = 0; index < count; index++) {
      // After a refit within the batch, the rest is scored again with the new forest.
      if (this.#forest && scoredWith !== this.#version) {
        this.#forest.score(rows.subarray(index * FEATURE_COUNT), raws.subarray(index));
        scoredWith = this.#version;
      }
      const entryReasons = reasons[index] ?? 0;
      const raw = this.#forest ? (raws[index] ?? 0) : coldStartScore(entryReasons);
      const entry = entries[index] as MinedEntry;
      scores[index] = this.#finish(entry, rows, index * FEATURE_COUNT, entryReasons, keys[index] ?? '', raw);
    }
    return scores;
  }

  /** True when the schedule calls for a new model (with `autoRefit` off, the caller fits it). */
  get refitDue(): boolean {
    return this.#clock.due(this.#window.size);
  }

  /** The rows the next forest would be fitted on, oldest first, {@link FEATURE_COUNT} columns. */
  trainingRows(): Float64Array {
    return this.#window.trainingRows();
  }

  /**
   * Starts a refit: the rows and settings for {@link trainEntryModel} (in a worker thread), whose result
   * goes to {@link install}. The schedule restarts now, so the job is not handed out twice.
   */
  trainingJob(): TrainingJob {
    this.#clock.started();
    const { trees, sampleSize, seed } = this.options;
    return {
      rows: this.#window.rows(),
      alerted: this.#window.alerted(),
      featureCount: FEATURE_COUNT,
      trees,
      sampleSize,
      seed: seed * 1_000_003 + this.#version + 1,
    };
  }

  /** The job handed out never came back (its worker failed or was stopped): a fit is due again at once. */
  trainingAbandoned(): void {
    this.#clock.abandoned();
  }

  /** Puts a fitted model in use; the model version goes up by one. */
  install(model: TrainedEntryModel): void {
    const forest = IsolationForest.fromSnapshot(model.forest);
    if (forest.featureCount !== FEATURE_COUNT) {
      throw new RangeError(`model has ${forest.featureCount} features, scorer ${FEATURE_COUNT}`);
    }
    this.#calibration.setReference(model.windowScores);
    this.#forest = forest;
    this.#version++;
  }

  /** Fits and installs a model now, in this thread. */
  refit(): void {
    this.install(trainEntryModel(this.trainingJob()));
  }

  /** Entries the rule matches score 0, never alert, and train the next model as normal ones. */
  mute(rule: MuteRule): boolean {
    return this.#mutes.mute(rule);
  }

  unmute(rule: MuteRule): boolean {
    return this.#mutes.unmute(rule);
  }

  muteRules(): MuteRule[] {
    return this.#mutes.list();
  }

  get stats(): EntryScorerStats {
    const history = this.#features.history;
    return {
      entries: this.#entries,
      alerts: this.#alerts,
      modelVersion: this.#version,
      threshold: this.#calibration.threshold,
      windowRows: this.#window.size,
      templates: history.templates.size,
      series: history.series.size,
      hosts: history.hosts.size,
    };
  }

  /**
   * Everything, as plain data (JSON values and typed arrays: `structuredClone` copies it, the store saves
   * it as bytes); {@link restore} carries on with identical scores.
   */
  snapshot(): EntryScorerSnapshot {
    const { limits: _limits, ...options } = this.options;
    return {
      format: 'lookout-entry-scorer/2',
      options,
      history: this.#features.history.snapshot(),
      window: this.#window.snapshot(),
      model: { version: this.#version, forest: this.#forest?.toSnapshot() ?? null },
      calibration: this.#calibration.snapshot(),
      schedule: this.#clock.state(),
      mutes: this.#mutes.list(),
      counters: { entries: this.#entries, alerts: this.#alerts },
    };
  }

  static restore(snapshot: EntryScorerSnapshot): EntryScorer {
    if (snapshot.format !== 'lookout-entry-scorer/2' && snapshot.format !== 'lookout-entry-scorer/1') {
      throw new Error(`unsupported entry scorer snapshot ${String(snapshot.format)}`);
    }
    return new EntryScorer({ ...snapshot.options, limits: snapshot.history.limits }, snapshot);
  }

  /** Calibrates, decides, offers the row (at `offset` of `rows`) to the window and counts the entry. */
  #finish(
    entry: MinedEntry,
    rows: Float64Array,
    offset: number,
    reasons: number,
    seriesKey: string,
    raw: number,
  ): EntryScore {
    const muted = this.#mutes.matches(entry);
    const version = this.#version;
    let score: number;
    let alert: boolean;
    if (this.#forest) {
      score = this.#calibration.calibrate(raw, seriesKey);
      alert = !muted && shouldAlert(reasons, this.#calibration.oddForFleet(raw));
    } else {
      score = raw;
      alert = !muted && coldStartAlerts(reasons);
    }
    // Muted entries never alert, so they train the next forest like any ordinary entry.
    this.#window.offer(rows, entry.timeUs, alert, offset);
    this.#clock.tick(entry.timeUs);
    this.#entries++;
    if (alert) this.#alerts++;
    if (this.options.autoRefit && this.refitDue) this.refit();
    return {
      score: muted ? 0 : score,
      raw,
      alert,
      reasons: reasonList(muted ? reasons | ReasonBit.muted : reasons),
      modelVersion: version,
    };
  }
}
