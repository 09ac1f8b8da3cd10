import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { RefitClock, trainEntryModel } from '../../../src/detect/entries/model.ts';
import type { TrainedEntryModel, TrainingJob } from '../../../src/detect/entries/model.ts';
import { EntryScorer } from '../../../src/detect/entries/scorer.ts';
import type { EntryScore, EntryScorerSettings } from '../../../src/detect/entries/scorer.ts';
import { FEATURE_COUNT } from '../../../src/detect/entries/features.ts';
import { TrainingWindow } from '../../../src/detect/entries/window.ts';
import type { MinedEntry } from '../../../src/mining/mined-entry.ts';
import { TemplateMiner } from '../../../src/mining/miner.ts';
import { HOUR_US, entry, fresh, mineInBatches } from './helpers.ts';
import { normalStream } from './stream.ts';

const MIN_ROWS = 3_000;
const QUICK: EntryScorerSettings = {
  windowRows: 20_000,
  minTrainingRows: MIN_ROWS,
  refitEveryMinutes: 360,
};

function scoreOneByOne(entries: readonly MinedEntry[], options: EntryScorerSettings): EntryScore[] {
  const miner = new TemplateMiner();
  const scorer = new EntryScorer(options);
  return entries.map((mined) => {
    mined.templateId = miner.add(mined.message, mined.timeUs).templateId;
    return scorer.score(mined, miner);
  });
}

describe('training window', () => {
  test('keeps every row while the horizon holds fewer entries than it has room for', () => {
    const window = new TrainingWindow(1_000, 2, 24, 1);
    for (let index = 0; index < 800; index++) window.offer(Float64Array.of(index, 0), index * 1e6, false);
    assert.equal(window.size, 800);
    assert.deepEqual(Array.from(window.rows().subarray(0, 4)), [0, 0, 1, 0]);
  });

  test('at a steady rate, it spans about the horizon, sampled evenly', () => {
    const capacity = 1_000;
    const window = new TrainingWindow(capacity, 2, 24, 7);
    const perHour = 5_000;
    const hours = 72;
    for (let index = 0; index < perHour * hours; index++) {
      const hour = index / perHour;
      window.offer(Float64Array.of(hour, 0), hour * HOUR_US, false);
    }
    assert.equal(window.size, capacity);
    const rows = window.rows();
    const oldest = rows[0] ?? 0;
    assert.ok(oldest > hours - 24 * 1.3 && oldest < hours - 24 * 0.7, `oldest row from hour ${oldest}`);
    let lastDay = 0;
    for (let row = 0; row < capacity; row++) if ((rows[row * 2] ?? 0) >= hours - 12) lastDay++;
    assert.ok(Math.abs(lastDay - capacity / 2) < capacity * 0.1, `${lastDay} rows from the last 12 hours`);
  });

  test('rows that alerted are kept for the threshold but not for fitting', () => {
    const window = new TrainingWindow(100, 1, 24, 1);
    for (let index = 0; index < 10; index++) window.offer(Float64Array.of(index), 0, index % 3 === 0);
    assert.deepEqual(Array.from(window.alerted()), [1, 0, 0, 1, 0, 0, 1, 0, 0, 1]);
    assert.deepEqual(Array.from(window.trainingRows()), [1, 2, 4, 5, 7, 8]);
    assert.equal(window.rows().length, 10);
  });

  test('a snapshot carries on with the same draws', () => {
    const original = new TrainingWindow(50, 1, 2, 3);
    const offerMany = (window: TrainingWindow, from: number) =>
      Array.from({ length: 500 }, (_, index) =>
        window.offer(Float64Array.of(from + index), (from + index) * 1e7, false),
      );
    offerMany(original, 0);
    const restored = TrainingWindow.restore(structuredClone(original.snapshot()));
    assert.deepEqual(offerMany(restored, 500), offerMany(original, 500));
    assert.deepEqual(restored.rows(), original.rows());
  });
});

describe('refit schedule', () => {
  test('first fit once the window is big enough, then every N entries or T minutes', () => {
    const clock = new RefitClock({ everyEntries: 100, everyMinutes: 60, minRows: 10 });
    clock.tick(0);
    assert.equal(clock.due(9), false);
    assert.equal(clock.due(10), true);
    clock.started();
    for (let index = 1; index < 100; index++) clock.tick(index);
    assert.equal(clock.due(50), false);
    clock.tick(100);
    assert.equal(clock.due(50), true);
    clock.started();
    clock.tick(100 + 60 * 60e6);
    assert.equal(clock.due(50), true, 'an hour of entry time passed');
  });
});

describe('rolling model', () => {
  const stream = normalStream(0.5, 21);

  test('settings a fit would refuse are refused up front', () => {
    assert.throws(() => new EntryScorer({ sampleSize: 1 }), /sampleSize/);
    assert.throws(() => new EntryScorer({ trees: 0 }), /trees/);
    assert.throws(() => new EntryScorer({ minTrainingRows: 1 }), /minTrainingRows/);
    assert.throws(() => new EntryScorer({ contamination: 0 }), /contamination/);
    assert.throws(() => new EntryScorer({ windowRows: 0 }), /capacity/);
  });

  test('before the first fit, reasons score and only brand-new errors alert', () => {
    const miner = new TemplateMiner();
    const scorer = new EntryScorer();
    const score = (message: string, priority: number) => {
      const mined = entry(message, { priority }) as MinedEntry;
      mined.templateId = miner.add(mined.message, mined.timeUs).templateId;
      return scorer.score(mined, miner);
    };
    const notice = score('disk check finished', 5);
    assert.equal(notice.modelVersion, 0);
    assert.equal(notice.alert, false);
    assert.deepEqual(notice.reasons, ['new-template']);
    assert.equal(notice.score, notice.raw);
    const error = score('kernel panic - not syncing: fatal exception', 2);
    assert.equal(error.alert, true);
    assert.deepEqual(error.reasons, ['new-template', 'high-priority']);
    assert.ok(error.score > notice.score);
    assert.equal(score('kernel panic - not syncing: fatal exception', 2).alert, false);
  });

  test('the first fit after minTrainingRows, one version more per refit', () => {
    const scores = scoreOneByOne(fresh(stream) as MinedEntry[], QUICK);
    const versions = scores.map((score) => score.modelVersion);
    assert.equal(versions[MIN_ROWS - 2], 0);
    assert.equal(versions[MIN_ROWS], 1);
    assert.equal(versions.at(-1), 2, '12 hours of entries, a refit every 6 hours');
    assert.ok(versions.every((version, index) => index === 0 || version >= (versions[index - 1] ?? 0)));
  });

  test('the same seed gives the same scores; another seed other ones', () => {
    const first = scoreOneByOne(fresh(stream) as MinedEntry[], { ...QUICK, seed: 4 });
    const again = scoreOneByOne(fresh(stream) as MinedEntry[], { ...QUICK, seed: 4 });
    const other = scoreOneByOne(fresh(stream) as MinedEntry[], { ...QUICK, seed: 5 });
    assert.deepEqual(again, first);
    assert.notDeepEqual(
      other.map((score) => score.raw),
      first.map((score) => score.raw),
    );
  });

  test('scoring mined batches gives the scores of scoring entry by entry', () => {
    const oneByOne = scoreOneByOne(fresh(stream) as MinedEntry[], QUICK);
    const miner = new TemplateMiner();
    const scorer = new EntryScorer(QUICK);
    const batched = mineInBatches(fresh(stream), miner, 1_000, (batch) => scorer.scoreBatch(batch, miner));
    assert.deepEqual(batched, oneByOne);
  });

  test('batches of changing sizes score as entry by entry', () => {
    const oneByOne = scoreOneByOne(fresh(stream) as MinedEntry[], QUICK);
    const miner = new TemplateMiner();
    const scorer = new EntryScorer(QUICK);
    const entries = fresh(stream) as MinedEntry[];
    const sizes = [1_000, 37, 700, 1];
    const scores = [];
    for (let start = 0, turn = 0; start < entries.length; turn++) {
      const batch = entries.slice(start, start + (sizes[turn % sizes.length] as number));
      for (const mined of batch) mined.templateId = miner.add(mined.message, mined.timeUs).templateId;
      scores.push(...scorer.scoreBatch(batch, miner));
      start += batch.length;
    }
    assert.deepEqual(scores, oneByOne);
  });

  test('a refit in a worker (plain data in and out) scores as one in place', () => {
    const inPlace = scoreOneByOne(fresh(stream) as MinedEntry[], QUICK);
    const miner = new TemplateMiner();
    const scorer = new EntryScorer({ ...QUICK, autoRefit: false });
    let jobs = 0;
    const viaWorker = (fresh(stream) as MinedEntry[]).map((mined) => {
      mined.templateId = miner.add(mined.message, mined.timeUs).templateId;
      const score = scorer.score(mined, miner);
      if (scorer.refitDue) {
        jobs++;
        const job: TrainingJob = structuredClone(scorer.trainingJob());
        assert.equal(scorer.refitDue, false, 'a started job is not handed out twice');
        assert.equal(job.rows.length / FEATURE_COUNT, job.alerted.length);
        const model: TrainedEntryModel = structuredClone(trainEntryModel(job));
        scorer.install(model);
      }
      return score;
    });
    assert.equal(jobs, 2);
    assert.deepEqual(viaWorker, inPlace);
  });
});
