// The count-series LSTM autoencoder at Lookout's scale: a retrain on 1,000 (host, unit) series × 7 days of
// per-minute counts with the default window sampling, scoring throughput, snapshot size, the same training
// on the pure-JS `cpu` backend beside WebAssembly, the plain-TypeScript forward pass that scores beside
// TensorFlow.js's own inference on the same windows, and detection quality (ROC AUC per anomaly kind) on a
// labelled synthetic day, beside the same scoring without the autoencoder (weekly level only).
import * as tf from '@tensorflow/tfjs';
import { CountAutoencoder } from '../../backend/src/detect/autoencoder/count-autoencoder.ts';
import type { ScoreRequest, TrainOptions } from '../../backend/src/detect/autoencoder/count-autoencoder.ts';
import { useBackend } from '../../backend/src/detect/autoencoder/backend.ts';
import { ForwardPass } from '../../backend/src/detect/autoencoder/forward.ts';
import type { SeriesNormalisation } from '../../backend/src/detect/autoencoder/normalisation.ts';
import { fitNormalisation, normalise } from '../../backend/src/detect/autoencoder/normalisation.ts';
import type { PointScore } from '../../backend/src/detect/autoencoder/scoring.ts';
import {
  calibrationSample,
  fitCalibrations,
  judgeWindow,
  windowResiduals,
} from '../../backend/src/detect/autoencoder/scoring.ts';
import type { CountSeries } from '../../backend/src/detect/autoencoder/series.ts';
import { lastMinute, MINUTES_PER_DAY } from '../../backend/src/detect/autoencoder/series.ts';
import type { CountAutoencoderSnapshot } from '../../backend/src/detect/autoencoder/snapshot.ts';
import { loadModel } from '../../backend/src/detect/autoencoder/snapshot.ts';
import type { WindowBatch, WindowEnd } from '../../backend/src/detect/autoencoder/windows.ts';
import { buildWindows, TIME_FEATURES, WINDOW_STEPS } from '../../backend/src/detect/autoencoder/windows.ts';
import { rocAuc } from '../../backend/src/detect/metrics.ts';
import { SeededRandom } from '../../backend/src/detect/random.ts';
import type { Injected, InjectedKind, UnitProfile } from '../../backend/test/detect/autoencoder/synthetic.ts';
import {
  generateSeries,
  injectBurst,
  injectCrashLoop,
  injectSilence,
  injectTrend,
  MONDAY,
  unitProfiles,
  usualRate,
} from '../../backend/test/detect/autoencoder/synthetic.ts';
import type { Benchmark } from './benchmark.ts';
import { fmt, printTable } from './benchmark.ts';

const SERIES = 1000;
const HISTORY_DAYS = 7;
const TEST_DAYS = 2;
const TEST_START = MONDAY + HISTORY_DAYS * MINUTES_PER_DAY;
const INJECTIONS_PER_KIND = 50;
const NORMAL_SAMPLE = 4000;
/** Windows per series that the weekly-level-only reference is calibrated on, as the model's default. */
const CALIBRATION_WINDOWS = 32;
/** A fixed, small workload that both backends train, so that their times compare. */
const SIDE_BY_SIDE: TrainOptions = {
  seed: 2,
  maxWindows: 512,
  maxEpochs: 2,
  patience: 2,
  calibrationWindows: 4,
};
const SIDE_BY_SIDE_SERIES = 100;
const BACKFILL_MINUTES = 60;
const BACKFILL_SERIES = 20;

interface Labelled {
  requests: ScoreRequest[];
  /** Per request: the injected kind, or null for a usual minute. */
  kinds: (InjectedKind | null)[];
}

function seconds(since: number): number {
  return (performance.now() - since) / 1000;
}

interface Timed<T> {
  result: T;
  seconds: number;
  /** CPU time of this process (user + system): on a loaded machine, closer to the work done than wall time. */
  cpuSeconds: number;
}

function timed<T>(run: () => T): Timed<T> {
  const cpu = process.cpuUsage();
  const since = performance.now();
  const result = run();
  const used = process.cpuUsage(cpu);
  return { result, seconds: seconds(since), cpuSeconds: (used.user + used.system) / 1e6 };
}

/** TensorFlow.js's own inference, as scoring ran before forward.ts: model.predict in chunks of 2,048. */
function predict(model: tf.LayersModel, batch: WindowBatch): Float32Array {
  const result = new Float32Array(batch.size * WINDOW_STEPS);
  for (let start = 0; start < batch.size; start += 2048) {
    const end = Math.min(batch.size, start + 2048);
    const z = batch.z.subarray(start * WINDOW_STEPS, end * WINDOW_STEPS);
    const time = batch.time.subarray(
      start * WINDOW_STEPS * TIME_FEATURES,
      end * WINDOW_STEPS * TIME_FEATURES,
    );
    const values = tf.tidy(() =>
      (
        model.predict([
          tf.tensor3d(z, [end - start, WINDOW_STEPS, 1]),
          tf.tensor3d(time, [end - start, WINDOW_STEPS, TIME_FEATURES]),
        ]) as tf.Tensor
      ).dataSync(),
    );
    result.set(values, start * WINDOW_STEPS);
  }
  return result;
}

function largestDifference(a: Float32Array, b: Float32Array): number {
  let largest = 0;
  for (let i = 0; i < a.length; i++) largest = Math.max(largest, Math.abs((a[i] ?? NaN) - (b[i] ?? NaN)));
  return largest;
}

/** Anomalies injected into the test days of distinct series, 50 of each kind at seeded random times. */
function injectAnomalies(test: CountSeries[], profiles: UnitProfile[], random: SeededRandom): Injected[] {
  const unused = Array.from({ length: SERIES }, (_, i) => i);
  const take = () => unused.splice(random.nextInt(unused.length), 1)[0] ?? 0;
  const minutes = TEST_DAYS * MINUTES_PER_DAY;
  const at = (duration: number) => 60 + random.nextInt(minutes - duration - 120);
  const injected: Injected[] = [];
  for (let k = 0; k < INJECTIONS_PER_KIND; k++) {
    let index = take();
    injected.push(injectBurst(test[index] as CountSeries, index, at(3), 3, 4, 10));
    index = take();
    injected.push(injectTrend(test[index] as CountSeries, index, at(300), 240, 60, 3, 2, random));
    index = take();
    injected.push(injectCrashLoop(test[index] as CountSeries, index, at(60), 60, 5, 10, 20));
    // A chatty service going quiet: only where the unit usually logs at least one line a minute.
    for (;;) {
      index = take();
      const start = at(30);
      const profile = profiles[index];
      if (profile !== undefined && usualRate(profile, TEST_START + start) >= 1) {
        injected.push(injectSilence(test[index] as CountSeries, index, start, 30));
        break;
      }
    }
  }
  return injected;
}

/** Every labelled minute (a trend's every 10th), and a sample of minutes of series left alone. */
function labelledMinutes(test: CountSeries[], injected: Injected[], random: SeededRandom): Labelled {
  const requests: ScoreRequest[] = [];
  const kinds: (InjectedKind | null)[] = [];
  for (const anomaly of injected) {
    const series = test[anomaly.seriesIndex] as CountSeries;
    const step = anomaly.kind === 'trend' ? 10 : 1;
    for (let i = 0; i < anomaly.indices.length; i += step) {
      const minute = TEST_START + (anomaly.indices[i] ?? 0);
      requests.push({ series, fromMinute: minute, toMinute: minute });
      kinds.push(anomaly.kind);
    }
  }
  const touched = new Set(injected.map((anomaly) => anomaly.seriesIndex));
  const untouched = test.filter((_, i) => !touched.has(i));
  for (let k = 0; k < NORMAL_SAMPLE; k++) {
    const series = untouched[random.nextInt(untouched.length)] as CountSeries;
    const minute = TEST_START + random.nextInt(series.counts.length);
    requests.push({ series, fromMinute: minute, toMinute: minute });
    kinds.push(null);
  }
  return { requests, kinds };
}

/**
 * The same normalisation, windows and calibration with the autoencoder taken out (every reconstruction
 * "as usual", z = 0): what the weekly level alone detects, so that the model's contribution shows.
 */
function levelOnlyScores(
  history: CountSeries[],
  normalisations: Map<string, SeriesNormalisation>,
  labelled: Labelled,
  random: SeededRandom,
): number[] {
  const noReconstruction = new Float32Array(
    WINDOW_STEPS * Math.max(CALIBRATION_WINDOWS * history.length, labelled.requests.length),
  );
  const calibrationEnds = history.flatMap((series) => {
    const normalised = normalise(series, normalisations.get(series.key) as SeriesNormalisation);
    return Array.from({ length: CALIBRATION_WINDOWS }, () => ({
      series: normalised,
      endIndex: random.nextInt(normalised.z.length),
    }));
  });
  const calibrationBatch = buildWindows(calibrationEnds);
  const samples = history.map((_, s) =>
    calibrationSample(calibrationBatch.z, noReconstruction, s * CALIBRATION_WINDOWS, CALIBRATION_WINDOWS),
  );
  const calibrations = fitCalibrations(samples);
  const calibrationOf = new Map(history.map((series, i) => [series.key, calibrations[i]]));
  const batch = requestWindows(labelled.requests, normalisations);
  return labelled.requests.map(({ series, fromMinute }, row) => {
    const calibration = calibrationOf.get(series.key);
    if (calibration === undefined) throw new Error(`no calibration for ${series.key}`);
    const observed = series.counts[fromMinute - series.startMinute] ?? 0;
    return judgeWindow(windowResiduals(batch.z, noReconstruction, row), observed, calibration).score;
  });
}

/** The windows that scoring the requests reconstructs: one per minute, in order. */
function requestWindows(
  requests: ScoreRequest[],
  normalisations: Map<string, SeriesNormalisation>,
): WindowBatch {
  const ends: WindowEnd[] = requests.flatMap(({ series, fromMinute, toMinute }) => {
    const from = fromMinute - series.startMinute;
    const to = toMinute - series.startMinute;
    const first = Math.max(0, from - WINDOW_STEPS + 1);
    const normalised = normalise(
      series,
      normalisations.get(series.key) as SeriesNormalisation,
      first,
      to + 1,
    );
    return Array.from({ length: to - from + 1 }, (_, i) => ({
      series: normalised,
      endIndex: from + i - first,
    }));
  });
  return buildWindows(ends);
}

const EXPECTED_KIND: Record<InjectedKind, PointScore['kind'][]> = {
  burst: ['burst'],
  silence: ['silence'],
  trend: ['trend'],
  'crash-loop': ['periodic', 'burst'],
};

function qualityRows(labelled: Labelled, points: PointScore[], levelOnly: number[]): (string | number)[][] {
  const scores = points.map((point) => point.score);
  const normal = labelled.kinds.map((kind) => kind === null);
  const falseAlarms = scores.filter((score, i) => normal[i] && score >= 0.9).length / NORMAL_SAMPLE;
  const rows: (string | number)[][] = (['burst', 'silence', 'trend', 'crash-loop'] as const).map((kind) => {
    const rowsOfKind = labelled.kinds.map((label) => label === kind || label === null);
    const pick = <T>(values: T[]) => values.filter((_, i) => rowsOfKind[i]);
    const labels = pick(labelled.kinds).map((label) => label === kind);
    const caught = points.filter((point, i) => labelled.kinds[i] === kind && point.score >= 0.9);
    const rightKind = caught.filter((point) => EXPECTED_KIND[kind].includes(point.kind)).length;
    const positives = labels.filter(Boolean).length;
    return [
      kind,
      positives,
      fmt(rocAuc(pick(scores), labels), 3),
      fmt(rocAuc(pick(levelOnly), labels), 3),
      `${fmt((100 * caught.length) / positives, 1)}%`,
      caught.length === 0 ? '–' : `${fmt((100 * rightKind) / caught.length, 1)}%`,
    ];
  });
  rows.push(['usual minutes', NORMAL_SAMPLE, '', '', `${fmt(100 * falseAlarms, 2)}% (false alarms)`, '']);
  return rows;
}

async function run(): Promise<void> {
  let started = performance.now();
  const profiles = unitProfiles(SERIES, 21);
  const history = generateSeries(profiles, MONDAY, HISTORY_DAYS * MINUTES_PER_DAY, 22);
  const test = generateSeries(profiles, TEST_START, TEST_DAYS * MINUTES_PER_DAY, 23);
  const random = new SeededRandom(24);
  const injected = injectAnomalies(test, profiles, random);
  const labelled = labelledMinutes(test, injected, random);
  console.log(
    `${fmt(SERIES)} synthetic units (0.5 to 300 lines a minute at peak, daily and weekly cycles, half with a ` +
      `Monday job), ${HISTORY_DAYS} days of history = ${fmt((SERIES * HISTORY_DAYS * MINUTES_PER_DAY) / 1e6, 2)}M ` +
      `series-minutes, generated in ${fmt(seconds(started), 1)} s.\n`,
  );

  const model = await CountAutoencoder.train(history);
  const { training } = model;
  printTable(
    ['retrain (defaults)', 'backend', 'windows', 'epochs (best)', 'stopped by', 'seconds'],
    [
      [
        `${fmt(SERIES)} series × ${HISTORY_DAYS} days`,
        training.backend,
        `${fmt(training.trainingWindows)} + ${fmt(training.validationWindows)} held out`,
        `${training.epochs} (${training.bestEpoch})`,
        training.stoppedBy,
        fmt(training.seconds, 1),
      ],
    ],
  );

  const snapshotJson = JSON.stringify(model.toSnapshot());
  const weightsKb = (model.toSnapshot().model.weights.length * 3) / 4 / 1024;
  console.log(
    `\nSnapshot: ${fmt(snapshotJson.length / 2 ** 20, 2)} MB of JSON (network weights ${fmt(weightsKb, 1)} KB; ` +
      `the rest is the ${fmt(SERIES)} series' weekly levels and calibrations), version ${model.version}.\n`,
  );

  const backfill: ScoreRequest[] = test.slice(0, BACKFILL_SERIES).map((series) => ({
    series,
    fromMinute: TEST_START + 12 * 60,
    toMinute: TEST_START + 12 * 60 + BACKFILL_MINUTES - 1,
  }));
  model.scoreLatest(test.slice(0, 10));
  const latest = timed(() => model.scoreLatest(test));
  const many = timed(() => model.scoreMany(backfill).flat());
  const scoringRow = (name: string, windows: number, { seconds: wall, cpuSeconds }: Timed<unknown>) => [
    name,
    fmt(windows),
    fmt(wall, 2),
    fmt(windows / wall),
    fmt(cpuSeconds, 2),
    fmt(windows / cpuSeconds),
  ];
  console.log(
    'Scoring (normalisation, windows, the forward pass of forward.ts in plain TypeScript, calibration), in one ' +
      'call each:\n',
  );
  printTable(
    ['scoring call', 'series-minutes', 's', 'series-minutes/s', 'CPU s', 'series-minutes/CPU s'],
    [
      scoringRow(`newest minute of ${fmt(SERIES)} series`, SERIES, latest),
      scoringRow(`backfill ${BACKFILL_SERIES} series × ${BACKFILL_MINUTES} min`, many.result.length, many),
    ],
  );

  started = performance.now();
  const points = model.scoreMany(labelled.requests).map((scores) => scores[0] as PointScore);
  const qualitySeconds = seconds(started);
  const normalisations = new Map<string, SeriesNormalisation>();
  for (const series of history) normalisations.set(series.key, fitNormalisation(series));
  const levelOnly = levelOnlyScores(history, normalisations, labelled, new SeededRandom(25));
  console.log(
    `\nDetection on ${TEST_DAYS} held-out days (Monday and Tuesday, Monday job included) with ` +
      `${INJECTIONS_PER_KIND} injections per kind: bursts of 3 minutes at 4x + 10 lines, silences of 30 ` +
      `minutes where a unit logs ≥ 1 line a minute, trends growing to 3x over 4 hours (minutes past 2x labelled, ` +
      `every 10th scored), crash loops (a 10x + 20 minute every 5 minutes for an hour); ROC AUC of each kind ` +
      `against ${fmt(NORMAL_SAMPLE)} usual minutes of untouched units (scored in ${fmt(qualitySeconds, 1)} s); ` +
      `a crash loop's first spikes count as the right kind when called bursts:\n`,
  );
  printTable(
    ['kind', 'minutes', 'AUC autoencoder', 'AUC weekly level only', 'score ≥ 0.9', 'of those, right kind'],
    qualityRows(labelled, points, levelOnly),
  );

  // The windows of both scoring calls above, reconstructed by TensorFlow.js on each backend and by forward.ts.
  const windows = requestWindows(
    [
      ...test.map((series) => ({ series, fromMinute: lastMinute(series), toMinute: lastMinute(series) })),
      ...backfill,
    ],
    normalisations,
  );
  const savedModel = (JSON.parse(snapshotJson) as CountAutoencoderSnapshot).model;
  const sideBySideSeries = history.slice(0, SIDE_BY_SIDE_SERIES);
  const rows: (string | number)[][] = [];
  let reference: Timed<Float32Array> | undefined;
  const engineRow = (name: string, train: string, run: Timed<Float32Array>) => {
    const base = reference ?? run;
    return [
      name,
      train,
      fmt(run.seconds, 2),
      fmt(windows.size / run.seconds),
      fmt(run.cpuSeconds, 2),
      fmt(windows.size / run.cpuSeconds),
      `${fmt(base.cpuSeconds / run.cpuSeconds, 1)}x`,
      run === base ? '–' : largestDifference(run.result, base.result).toExponential(1),
    ];
  };
  for (const backend of ['wasm', 'cpu'] as const) {
    started = performance.now();
    await CountAutoencoder.train(sideBySideSeries, { ...SIDE_BY_SIDE, backend });
    const trainSeconds = seconds(started);
    const network = await loadModel(savedModel);
    predict(network, requestWindows(backfill.slice(0, 1), normalisations));
    const predicted = timed(() => predict(network, windows));
    reference ??= predicted;
    rows.push(engineRow(`TensorFlow.js ${backend} (model.predict)`, fmt(trainSeconds, 1), predicted));
    if (backend === 'wasm') {
      const forward = ForwardPass.of(network);
      forward.reconstruct(requestWindows(backfill.slice(0, 1), normalisations));
      rows.push(
        engineRow(
          'forward.ts (plain TypeScript)',
          '(trains on TensorFlow.js)',
          timed(() => forward.reconstruct(windows)),
        ),
      );
    }
    network.dispose();
  }
  await useBackend('wasm');
  console.log(
    `\nTraining on WebAssembly and on the pure-JS cpu backend (${SIDE_BY_SIDE.maxWindows} windows × ` +
      `${SIDE_BY_SIDE.maxEpochs} epochs, ${SIDE_BY_SIDE_SERIES} series), and the retrained network above ` +
      `reconstructing the ${fmt(windows.size)} windows of both scoring calls (${fmt(SERIES)} newest minutes and ` +
      `the backfill), same run; the ratio is of CPU time, the difference is of reconstructed z:\n`,
  );
  printTable(
    [
      'engine',
      'train s',
      'reconstruct s',
      'windows/s',
      'CPU s',
      'windows/CPU s',
      'vs wasm (CPU)',
      'largest |Δz| vs wasm',
    ],
    rows,
  );
}

export const autoencoderBenchmark: Benchmark = {
  name: 'autoencoder',
  title:
    'LSTM autoencoder on per-(host, unit) count series: retrain, scoring, snapshot, forward pass vs TensorFlow.js, AUC',
  run,
};
