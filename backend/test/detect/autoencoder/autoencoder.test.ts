import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { CountAutoencoder } from '../../../src/detect/autoencoder/count-autoencoder.ts';
import type { ScoreRequest, TrainOptions } from '../../../src/detect/autoencoder/count-autoencoder.ts';
import type { AnomalyKind, PointScore } from '../../../src/detect/autoencoder/scoring.ts';
import type { CountSeries } from '../../../src/detect/autoencoder/series.ts';
import { MINUTES_PER_DAY } from '../../../src/detect/autoencoder/series.ts';
import type { CountAutoencoderSnapshot } from '../../../src/detect/autoencoder/snapshot.ts';
import { SeededRandom } from '../../../src/detect/random.ts';
import type { Injected } from './synthetic.ts';
import {
  generateSeries,
  injectBurst,
  injectCrashLoop,
  injectSilence,
  injectTrend,
  isMondayJobMinute,
  MONDAY,
  unitProfiles,
  usualRate,
} from './synthetic.ts';

const HOUR = 60;
const DAY = MINUTES_PER_DAY;
/** Eight units from one line every few minutes to hundreds a minute; the even ones run a Monday 09:00 job. */
const profiles = unitProfiles(8, 7);
const TRAINED_DAYS = 14;
const TEST_START = MONDAY + TRAINED_DAYS * DAY;
/** Small and few epochs so the file runs in well under a minute; the benchmark trains the full-size model. */
const OPTIONS: TrainOptions = { seed: 3, maxWindows: 1536, maxEpochs: 8, batchSize: 128 };
const TINY: TrainOptions = { seed: 5, maxWindows: 192, maxEpochs: 2, batchSize: 64, calibrationWindows: 8 };

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? NaN;
}

function mostCommonKind(scores: PointScore[]): AnomalyKind | null {
  const counts = new Map<AnomalyKind | null, number>();
  for (const { kind } of scores) counts.set(kind, (counts.get(kind) ?? 0) + 1);
  return [...counts].sort((a, b) => b[1] - a[1])[0]?.[0] ?? null;
}

describe('CountAutoencoder on seasonal series', () => {
  let model: CountAutoencoder;
  const history = generateSeries(profiles, MONDAY, TRAINED_DAYS * DAY, 11);
  // The third week, Monday to Sunday, with anomalies injected; the Monday job runs as usual.
  const week = generateSeries(profiles, TEST_START, 7 * DAY, 12);
  const random = new SeededRandom(5);
  const injected: Injected[] = [
    injectBurst(week[3] as CountSeries, 3, 2 * DAY + 14 * HOUR, 3, 8, 20),
    injectBurst(week[1] as CountSeries, 1, 3 * DAY + 16 * HOUR, 3, 8, 20),
    injectSilence(week[4] as CountSeries, 4, 4 * DAY + 11 * HOUR, 30),
    injectSilence(week[2] as CountSeries, 2, 1 * DAY + 15 * HOUR, 30),
    injectTrend(week[3] as CountSeries, 3, 1 * DAY + 6 * HOUR, 6 * HOUR, 2 * HOUR, 3, 2, random),
    injectCrashLoop(week[2] as CountSeries, 2, 5 * DAY + 10 * HOUR, HOUR, 5, 10, 20),
    // Unit 7 has no Monday job: the same burst (Monday 09:00, 20 minutes, 6x) that is routine for the even
    // units is news for it.
    injectBurst(week[7] as CountSeries, 7, 9 * HOUR, 20, 6, 0),
  ];

  function scoresOf({ seriesIndex, indices }: Injected): PointScore[] {
    const series = week[seriesIndex] as CountSeries;
    const scored = model.score(series, TEST_START + Math.min(...indices), TEST_START + Math.max(...indices));
    const labelled = new Set(indices.map((index) => TEST_START + index));
    return scored.filter((point) => labelled.has(point.minute));
  }

  before(async () => {
    model = await CountAutoencoder.train(history, OPTIONS);
  });

  const expectations: [number, AnomalyKind][] = [
    [0, 'burst'],
    [1, 'burst'],
    [2, 'silence'],
    [3, 'silence'],
    [4, 'trend'],
    [5, 'periodic'],
    [6, 'burst'],
  ];
  for (const [index, kind] of expectations) {
    const anomaly = injected[index] as Injected;
    test(`an injected ${anomaly.kind} on unit ${anomaly.seriesIndex} scores near 1 as ${kind}`, () => {
      const scores = scoresOf(anomaly);
      assert.equal(scores.length, anomaly.indices.length);
      const typical = median(scores.map((point) => point.score));
      assert.ok(typical >= 0.9, `median score ${typical}`);
      assert.equal(mostCommonKind(scores), kind);
    });
  }

  test('expected and observed are counts: a silenced unit expected about its usual rate', () => {
    const silence = injected[2] as Injected;
    for (const point of scoresOf(silence)) {
      const usual = usualRate(profiles[silence.seriesIndex] ?? assert.fail(), point.minute);
      assert.equal(point.observed, 0);
      assert.ok(point.expected > usual / 2 && point.expected < usual * 2, `${point.expected} vs ${usual}`);
    }
  });

  test('usual minutes score low: median below 0.5, under 1% at 0.9 or more', () => {
    // Away from every injection: from 6 hours before (a trend's early ramp) to a window after.
    const nearAnomaly = (seriesIndex: number, index: number) =>
      injected.some(
        (anomaly) =>
          anomaly.seriesIndex === seriesIndex &&
          index >= Math.min(...anomaly.indices) - 6 * HOUR &&
          index <= Math.max(...anomaly.indices) + 30,
      );
    const sampler = new SeededRandom(9);
    const requests: ScoreRequest[] = [];
    week.forEach((series, seriesIndex) => {
      for (let k = 0; k < 150; k++) {
        const index = sampler.nextInt(series.counts.length);
        if (!nearAnomaly(seriesIndex, index)) {
          requests.push({ series, fromMinute: TEST_START + index, toMinute: TEST_START + index });
        }
      }
    });
    const scores = model.scoreMany(requests).flatMap((points) => points.map((point) => point.score));
    assert.ok(scores.length > 1000);
    assert.ok(median(scores) < 0.5, `median ${median(scores)}`);
    const flagged = scores.filter((score) => score >= 0.9).length / scores.length;
    assert.ok(flagged < 0.01, `${(flagged * 100).toFixed(2)}% of usual minutes at 0.9 or more`);
  });

  test('the Monday 09:00 job seen in training is not anomalous on units that log enough to show it', () => {
    for (const seriesIndex of [2, 4, 6]) {
      assert.ok((profiles[seriesIndex]?.mondayJob ?? 1) > 1);
      const series = week[seriesIndex] as CountSeries;
      const job = model.score(series, TEST_START + 9 * HOUR, TEST_START + 9 * HOUR + 19);
      assert.ok(job.every((point) => isMondayJobMinute(point.minute)));
      const scores = job.map((point) => point.score);
      assert.ok(median(scores) < 0.5, `unit ${seriesIndex}: median ${median(scores)}`);
      assert.ok(Math.max(...scores) < 0.9, `unit ${seriesIndex}: max ${Math.max(...scores)}`);
      assert.ok(job.every((point) => point.kind !== 'burst'));
    }
  });

  test('scoreLatest scores the newest minute of each series in one batch, like score', () => {
    const latest = model.scoreLatest(week);
    assert.equal(latest.length, week.length);
    week.forEach((series, i) => {
      const newest = TEST_START + series.counts.length - 1;
      assert.deepEqual(latest[i], model.score(series, newest, newest)[0]);
    });
  });

  test('a JSON round trip of the snapshot scores identically and keeps the version', async () => {
    const snapshot = model.toSnapshot();
    const restored = await CountAutoencoder.fromSnapshot(
      JSON.parse(JSON.stringify(snapshot)) as CountAutoencoderSnapshot,
    );
    assert.equal(restored.version, model.version);
    assert.equal(restored.trainedAt, model.trainedAt);
    assert.deepEqual(restored.toSnapshot(), snapshot);
    const series = week[3] as CountSeries;
    const from = TEST_START + DAY;
    assert.deepEqual(
      restored.score(series, from, from + 12 * HOUR),
      model.score(series, from, from + 12 * HOUR),
    );
  });

  test('a damaged or foreign snapshot is refused', async () => {
    const snapshot = model.toSnapshot();
    const weights = snapshot.model.weights;
    const damaged = {
      ...snapshot,
      model: { ...snapshot.model, weights: `${weights.startsWith('A') ? 'B' : 'A'}${weights.slice(1)}` },
    };
    await assert.rejects(CountAutoencoder.fromSnapshot(damaged), /damaged/);
    const foreign = { ...snapshot, format: 'something-else/1' } as unknown as CountAutoencoderSnapshot;
    await assert.rejects(CountAutoencoder.fromSnapshot(foreign), /not a count autoencoder snapshot/);
  });

  test('scores only the series it was trained on', () => {
    assert.equal(model.knows('unit-0'), true);
    assert.equal(model.knows('new-unit'), false);
    const stranger = { key: 'new-unit', startMinute: TEST_START, counts: new Float32Array(10) };
    assert.throws(() => model.score(stranger, TEST_START, TEST_START + 9), /unknown to this model/);
  });

  test('the snapshot records how training went', () => {
    const { training } = model.toSnapshot();
    assert.equal(training.series, profiles.length);
    assert.equal(training.trainingWindows + training.validationWindows, OPTIONS.maxWindows);
    assert.ok(training.epochs <= (OPTIONS.maxEpochs ?? Infinity) && training.bestEpoch <= training.epochs);
    assert.ok(Number.isFinite(training.validationLoss));
    assert.equal(training.backend, 'wasm');
  });
});

describe('CountAutoencoder training', () => {
  const history = generateSeries(unitProfiles(3, 1), MONDAY, 2 * DAY, 2);

  test('one seed on one backend gives the same model bit for bit; another seed a different one', async () => {
    const first = await CountAutoencoder.train(history, TINY);
    const again = await CountAutoencoder.train(history, TINY);
    const other = await CountAutoencoder.train(history, { ...TINY, seed: 6 });
    assert.equal(again.version, first.version);
    assert.deepEqual(again.toSnapshot().model, first.toSnapshot().model);
    assert.deepEqual(again.scoreLatest(history), first.scoreLatest(history));
    assert.notEqual(other.version, first.version);
    assert.notDeepEqual(other.toSnapshot().model.weights, first.toSnapshot().model.weights);
  });

  test('stops at the time limit between epochs and says so', async () => {
    const model = await CountAutoencoder.train(history, {
      ...TINY,
      maxEpochs: 50,
      patience: 50,
      maxSeconds: 0,
    });
    assert.equal(model.training.stoppedBy, 'time');
    assert.equal(model.training.epochs, 1);
  });

  test('refuses what it cannot learn from', async () => {
    await assert.rejects(CountAutoencoder.train([], TINY), /no series/);
    const copy = history[0] as CountSeries;
    await assert.rejects(CountAutoencoder.train([copy, copy], TINY), /appears twice/);
    const fractional = { ...copy, startMinute: 0.5 };
    await assert.rejects(CountAutoencoder.train([fractional], TINY), /startMinute/);
  });
});
