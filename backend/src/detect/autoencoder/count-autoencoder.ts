import { SeededRandom } from '../random.ts';
import type { BackendChoice } from './backend.ts';
import { useBackend } from './backend.ts';
import { ForwardPass } from './forward.ts';
import type { FitReport, ModelSize } from './model.ts';
import { buildAutoencoder, DEFAULT_MODEL_SIZE, fitAutoencoder, selectWindows } from './model.ts';
import type { SeriesNormalisation } from './normalisation.ts';
import { countFromZ, fitNormalisation, normalisationFrom, normalise } from './normalisation.ts';
import type { PointScore, SeriesCalibration } from './scoring.ts';
import { calibrationSample, fitCalibrations, judgeWindow, windowResiduals } from './scoring.ts';
import type { CountSeries } from './series.ts';
import { checkStartMinute, lastMinute } from './series.ts';
import { shuffle } from './shuffle.ts';
import type { SilenceHistory } from './silence.ts';
import { silenceHistory } from './silence.ts';
import type { CountAutoencoderSnapshot, SavedModel, SeriesSnapshot, TrainingReport } from './snapshot.ts';
import {
  checkSnapshot,
  decodeBytes,
  encodeBytes,
  loadModel,
  saveModel,
  SNAPSHOT_FORMAT,
  snapshotVersion,
} from './snapshot.ts';
import type { NormalisedSeries, WindowEnd } from './windows.ts';
import { buildWindows, WINDOW_STEPS } from './windows.ts';

export interface TrainOptions {
  /** The same seed, series and backend give the same model, bit for bit. Default 1. */
  seed?: number;
  /** Windows sampled for one retrain, spread evenly over the series (bounds its time). Default 4096. */
  maxWindows?: number;
  /** Default 12. */
  maxEpochs?: number;
  /** Epochs without a better validation loss before stopping early. Default 3. */
  patience?: number;
  /** Default 256: large batches amortise TensorFlow.js's per-operation overhead. */
  batchSize?: number;
  /** Adam's learning rate. Default 0.01. */
  learningRate?: number;
  /** No epoch starts after this many seconds of training (a safety net, not a target). Default 600. */
  maxSeconds?: number;
  /** Windows per series that its calibration is fitted on. Default 32. */
  calibrationWindows?: number;
  /** Default LSTM(16) with an 8-wide bottleneck. */
  size?: ModelSize;
  /** Default `auto`: native TensorFlow when installed, else WebAssembly. */
  backend?: BackendChoice;
}

interface SeriesParameters {
  normalisation: SeriesNormalisation;
  calibration: SeriesCalibration;
}

/** One series and the minutes of it to score (inclusive). */
export interface ScoreRequest {
  series: CountSeries;
  fromMinute: number;
  toMinute: number;
}

const VALIDATION_SHARE = 0.1;

/**
 * The count-series anomaly detector: an LSTM autoencoder shared by all (host, unit) series, with each
 * series' normalisation and calibration. Train it, score minutes with it, persist it with `toSnapshot` /
 * `fromSnapshot`.
 *
 * In a server, train on a worker thread (app/rate-training.ts): `train` on the serving thread starves its event loop for the
 * whole run (TensorFlow.js's awaits resolve at once, so timers and sockets never get their turn). Scoring
 * is synchronous plain TypeScript (forward.ts): TensorFlow.js only trains.
 */
export class CountAutoencoder {
  readonly version: string;
  readonly trainedAt: string;
  readonly training: TrainingReport;
  /** The silences of its history (see silence.ts). */
  readonly silence: SilenceHistory;
  private readonly forward: ForwardPass;
  private readonly savedModel: SavedModel;
  private readonly parameters: Map<string, SeriesParameters>;

  private constructor(
    forward: ForwardPass,
    savedModel: SavedModel,
    parameters: Map<string, SeriesParameters>,
    silence: SilenceHistory,
    trainedAt: string,
    training: TrainingReport,
  ) {
    this.forward = forward;
    this.savedModel = savedModel;
    this.parameters = parameters;
    this.silence = silence;
    this.trainedAt = trainedAt;
    this.training = training;
    this.version = snapshotVersion(savedModel, this.seriesSnapshots(), silence);
  }

  /** Learns from the series' history. Series without counts are left out (`knows` is false for them). */
  static async train(series: readonly CountSeries[], options: TrainOptions = {}): Promise<CountAutoencoder> {
    const started = performance.now();
    const backend = await useBackend(options.backend);
    const usable = series.filter((one) => one.counts.length > 0);
    const keys = new Set<string>();
    for (const one of usable) {
      if (keys.has(one.key)) throw new RangeError(`series ${one.key} appears twice`);
      keys.add(one.key);
      checkStartMinute(one);
    }
    if (usable.length === 0) throw new RangeError('no series with counts to train on');
    const random = new SeededRandom(options.seed ?? 1);
    const normalisations = usable.map(fitNormalisation);
    const normalised = usable.map((one, i) => normalise(one, normalisations[i] as SeriesNormalisation));

    const totalMinutes = normalised.reduce((sum, one) => sum + one.z.length, 0);
    const sampled = buildWindows(
      sampleEnds(normalised, Math.min(options.maxWindows ?? 4096, totalMinutes), random),
    );
    // Windows are drawn at random, so the first ones are as good a hold-out as any. Too few to split are
    // both trained and validated on.
    const holdOut = Math.floor(sampled.size * VALIDATION_SHARE);
    const rows = Uint32Array.from({ length: sampled.size }, (_, i) => i);
    const training = holdOut > 0 ? selectWindows(sampled, rows.subarray(holdOut)) : sampled;
    const validation = holdOut > 0 ? selectWindows(sampled, rows.subarray(0, holdOut)) : sampled;

    const model = buildAutoencoder(options.size ?? DEFAULT_MODEL_SIZE, random.nextUint32());
    let fit: FitReport;
    let forward: ForwardPass;
    let savedModel: SavedModel;
    try {
      fit = await fitAutoencoder(model, training, validation, {
        maxEpochs: options.maxEpochs ?? 12,
        batchSize: options.batchSize ?? 256,
        patience: options.patience ?? 3,
        learningRate: options.learningRate ?? 0.01,
        seed: random.nextUint32(),
        deadline: started + (options.maxSeconds ?? 600) * 1000,
      });
      forward = ForwardPass.of(model);
      savedModel = await saveModel(model);
    } finally {
      model.dispose();
    }

    const calibrations = calibrate(forward, normalised, options.calibrationWindows ?? 32, random);
    const parameters = new Map<string, SeriesParameters>();
    usable.forEach((one, i) => {
      parameters.set(one.key, {
        normalisation: normalisations[i] as SeriesNormalisation,
        calibration: calibrations[i] as SeriesCalibration,
      });
    });
    const silence = silenceHistory(usable, normalisations);
    return new CountAutoencoder(forward, savedModel, parameters, silence, new Date().toISOString(), {
      backend,
      series: usable.length,
      trainingWindows: training.size,
      validationWindows: validation.size,
      ...fit,
      seconds: (performance.now() - started) / 1000,
    });
  }

  static async fromSnapshot(
    snapshot: CountAutoencoderSnapshot,
    options: { backend?: BackendChoice } = {},
  ): Promise<CountAutoencoder> {
    checkSnapshot(snapshot);
    await useBackend(options.backend);
    const model = await loadModel(snapshot.model);
    let forward: ForwardPass;
    try {
      forward = ForwardPass.of(model);
    } finally {
      model.dispose();
    }
    const parameters = new Map<string, SeriesParameters>();
    for (const series of snapshot.series) {
      parameters.set(series.key, {
        normalisation: normalisationFrom(decodeBytes(series.levels), series.extraSpread),
        calibration: series.calibration,
      });
    }
    return new CountAutoencoder(
      forward,
      snapshot.model,
      parameters,
      snapshot.silence,
      snapshot.trainedAt,
      snapshot.training,
    );
  }

  toSnapshot(): CountAutoencoderSnapshot {
    return {
      format: SNAPSHOT_FORMAT,
      version: this.version,
      trainedAt: this.trainedAt,
      model: this.savedModel,
      series: this.seriesSnapshots(),
      silence: this.silence,
      training: this.training,
    };
  }

  /** Whether the model was trained on this series; only those can be scored until the next retrain. */
  knows(key: string): boolean {
    return this.parameters.has(key);
  }

  /** What the series usually logs at this minute of the week (its level, as a count). */
  usualCount(key: string, minute: number): number {
    const parameters = this.parameters.get(key);
    if (parameters === undefined) throw new RangeError(`series ${key} is unknown to this model`);
    return countFromZ(parameters.normalisation, minute, 0);
  }

  /** Scores every minute of the series from `fromMinute` to `toMinute` (inclusive) that has a count. */
  score(series: CountSeries, fromMinute: number, toMinute: number): PointScore[] {
    return this.scoreMany([{ series, fromMinute, toMinute }])[0] ?? [];
  }

  /** Scores the newest minute of each series, all in one batch: the once-a-minute path. */
  scoreLatest(series: readonly CountSeries[]): PointScore[] {
    const requests = series.map((one) => ({
      series: one,
      fromMinute: lastMinute(one),
      toMinute: lastMinute(one),
    }));
    return this.scoreMany(requests).map((scores, i) => {
      const latest = scores[0];
      if (latest === undefined) throw new RangeError(`series ${series[i]?.key} has no counts to score`);
      return latest;
    });
  }

  /**
   * Scores several series (or several ranges of one), a list of scores per request. The cost is per window
   * (about the same in one call or many): the network runs in plain TypeScript, without TensorFlow.js's
   * per-operation overhead.
   */
  scoreMany(requests: readonly ScoreRequest[]): PointScore[][] {
    const ends: WindowEnd[] = [];
    const prepared = requests.map(({ series, fromMinute, toMinute }) => {
      const parameters = this.parameters.get(series.key);
      if (parameters === undefined) throw new RangeError(`series ${series.key} is unknown to this model`);
      checkStartMinute(series);
      const first = Math.max(0, fromMinute - series.startMinute);
      const last = Math.min(series.counts.length - 1, toMinute - series.startMinute);
      const context = Math.max(0, first - WINDOW_STEPS + 1);
      const normalised = normalise(series, parameters.normalisation, context, last + 1);
      const firstRow = ends.length;
      for (let index = first; index <= last; index++)
        ends.push({ series: normalised, endIndex: index - context });
      return { series, parameters, first, firstRow, rows: ends.length - firstRow };
    });
    const batch = buildWindows(ends);
    const reconstructed = this.forward.reconstruct(batch);
    return prepared.map(({ series, parameters, first, firstRow, rows }) =>
      Array.from({ length: rows }, (_, offset) => {
        const row = firstRow + offset;
        const minute = series.startMinute + first + offset;
        const observed = series.counts[first + offset] ?? 0;
        const expectedZ = reconstructed[(row + 1) * WINDOW_STEPS - 1] ?? 0;
        const judged = judgeWindow(
          windowResiduals(batch.z, reconstructed, row),
          observed,
          parameters.calibration,
        );
        return {
          minute,
          ...judged,
          expected: countFromZ(parameters.normalisation, minute, expectedZ),
          observed,
        };
      }),
    );
  }

  private seriesSnapshots(): SeriesSnapshot[] {
    return Array.from(this.parameters, ([key, { normalisation, calibration }]) => ({
      key,
      levels: encodeBytes(normalisation.levelCodes),
      extraSpread: normalisation.extraSpread,
      calibration,
    }));
  }
}

/**
 * `count` window ends spread evenly over the series (round robin over a shuffled order), each at a uniformly
 * drawn minute of its series.
 */
function sampleEnds(series: readonly NormalisedSeries[], count: number, random: SeededRandom): WindowEnd[] {
  const order = Uint32Array.from(series.keys());
  shuffle(order, random);
  return Array.from({ length: count }, (_, i) => {
    const one = series[order[i % order.length] ?? 0] as NormalisedSeries;
    return { series: one, endIndex: random.nextInt(one.z.length) };
  });
}

/** Fits each series' calibration on `perSeries` windows drawn from its own history. */
function calibrate(
  forward: ForwardPass,
  series: readonly NormalisedSeries[],
  perSeries: number,
  random: SeededRandom,
): SeriesCalibration[] {
  const ends = series.flatMap((one) =>
    Array.from({ length: perSeries }, () => ({ series: one, endIndex: random.nextInt(one.z.length) })),
  );
  const batch = buildWindows(ends);
  const reconstructed = forward.reconstruct(batch);
  return fitCalibrations(
    series.map((_, s) => calibrationSample(batch.z, reconstructed, s * perSeries, perSeries)),
  );
}
