import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { EntryScorer } from '../../../src/detect/entries/scorer.ts';
import type {
  EntryScore,
  EntryScorerSettings,
  EntryScorerSnapshot,
} from '../../../src/detect/entries/scorer.ts';
import type { JournalEntry } from '../../../src/journal/entry.ts';
import { TemplateMiner } from '../../../src/mining/miner.ts';
import { decodeSnapshot, encodeSnapshot } from '../../../src/store/snapshot-codec.ts';
import type { MinerSnapshot } from '../../../src/mining/miner.ts';
import { fresh, mineInBatches } from './helpers.ts';
import { normalStream } from './stream.ts';

const OPTIONS: EntryScorerSettings = {
  windowRows: 20_000,
  minTrainingRows: 3_000,
  refitEveryMinutes: 240,
};

function scoreAll(entries: readonly JournalEntry[], miner: TemplateMiner, scorer: EntryScorer): EntryScore[] {
  return mineInBatches(fresh(entries), miner, 700, (batch) => scorer.scoreBatch(batch, miner));
}

/**
 * Scores `before`, saves the miner through JSON and the scorer as the store does, then scores `after` with
 * both the originals and the copies.
 */
function roundTrip(
  before: readonly JournalEntry[],
  after: readonly JournalEntry[],
  prepare?: (scorer: EntryScorer, miner: TemplateMiner) => void,
) {
  const miner = new TemplateMiner();
  const scorer = new EntryScorer(OPTIONS);
  scoreAll(before, miner, scorer);
  prepare?.(scorer, miner);
  const saved = encodeSnapshot(scorer.snapshot());
  const restoredMiner = TemplateMiner.restore(JSON.parse(JSON.stringify(miner.snapshot())) as MinerSnapshot);
  const restored = EntryScorer.restore(decodeSnapshot<EntryScorerSnapshot>(saved));
  assert.ok(encodeSnapshot(restored.snapshot()).equals(saved), 'a restored scorer saves the same snapshot');
  return {
    original: scoreAll(after, miner, scorer),
    restored: scoreAll(after, restoredMiner, restored),
    scorers: [scorer, restored] as const,
  };
}

describe('snapshot', () => {
  const stream = normalStream(1, 17);
  const cut = Math.floor(stream.length * 0.6);

  test('a saved and restored scorer carries on with identical scores: features, window, forest, calibration, mutes', () => {
    const { original, restored, scorers } = roundTrip(
      stream.slice(0, cut),
      stream.slice(cut),
      (scorer, miner) => {
        const checkpoint = miner.templates().find((known) => known.template === 'checkpoint starting: time');
        scorer.mute({ templateId: checkpoint?.id ?? 0, host: 'db-1' });
      },
    );
    assert.deepEqual(restored, original);
    assert.ok((original[0]?.modelVersion ?? 0) > 0, 'the first part already had a model');
    assert.ok(
      (original.at(-1)?.modelVersion ?? 0) > (original[0]?.modelVersion ?? 0),
      'and a refit came after',
    );
    assert.ok(original.some((score) => score.reasons.includes('muted')));
    assert.deepEqual(scorers[1].stats, scorers[0].stats);
    assert.deepEqual(scorers[1].snapshot(), scorers[0].snapshot());
  });

  test('a snapshot from before the first model restores too', () => {
    const { original, restored } = roundTrip(stream.slice(0, 1_000), stream.slice(1_000, 6_000));
    assert.equal(original[0]?.modelVersion, 0);
    assert.equal(original.at(-1)?.modelVersion, 1);
    assert.deepEqual(restored, original);
  });

  test('a snapshot of the first format (typed arrays as base64, saved as JSON) restores too', () => {
    const scorer = new EntryScorer(OPTIONS);
    scoreAll(stream.slice(0, 3_000), new TemplateMiner(), scorer);
    const asFirstFormat = JSON.stringify(
      { ...scorer.snapshot(), format: 'lookout-entry-scorer/1' },
      (_key, value) =>
        ArrayBuffer.isView(value)
          ? Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('base64')
          : value,
    );
    const restored = EntryScorer.restore(JSON.parse(asFirstFormat) as EntryScorerSnapshot);
    assert.deepEqual(restored.snapshot(), scorer.snapshot());
  });

  test('a snapshot of another format is refused', () => {
    const snapshot = new EntryScorer().snapshot();
    assert.throws(
      () => EntryScorer.restore({ ...snapshot, format: 'other' } as unknown as EntryScorerSnapshot),
      /unsupported entry scorer snapshot/,
    );
  });
});
