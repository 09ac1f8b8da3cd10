import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { EntryScorer } from '../../../src/detect/entries/scorer.ts';
import type { EntryScore } from '../../../src/detect/entries/scorer.ts';
import type { JournalEntry } from '../../../src/journal/entry.ts';
import { TemplateMiner } from '../../../src/mining/miner.ts';
import { mineInBatches } from './helpers.ts';
import { DAY_US, HOUR_US, STREAM_START_US, anomaly, mergeByTime, normalStream } from './stream.ts';

const DAYS = 4;
const CONTAMINATION = 0.001;

describe('end to end on a realistic stream', () => {
  const lastNight = STREAM_START_US + (DAYS - 1) * DAY_US;
  const injected = {
    rootLogin: anomaly('root-login', lastNight + 3 * HOUR_US + 7 * 60e6, 2),
    outbound: anomaly('outbound-connection', lastNight + 2 * HOUR_US + 41 * 60e6, 4),
    oomKill: anomaly('oom-kill', lastNight + 4 * HOUR_US + 12 * 60e6, 5),
  };
  const stream = mergeByTime(normalStream(DAYS, 7), Object.values(injected));
  const miner = new TemplateMiner();
  // Refits every 6 hours rather than every hour keep the test short; the model is the same kind.
  const scorer = new EntryScorer({ contamination: CONTAMINATION, refitEveryMinutes: 360 });
  const scores = mineInBatches(stream, miner, 500, (batch) => scorer.scoreBatch(batch, miner));
  const scoreOf = new Map<JournalEntry, EntryScore>(
    stream.map((entry, index) => [entry, scores[index] as EntryScore]),
  );
  const odd = new Set<JournalEntry>(Object.values(injected));
  const routine = stream.filter((entry) => !odd.has(entry) && entry.timeUs >= STREAM_START_US + DAY_US);

  for (const [name, entry] of Object.entries(injected)) {
    test(`${name} alerts: ${entry.message.slice(0, 50)}…`, () => {
      const score = scoreOf.get(entry);
      assert.equal(score?.alert, true, JSON.stringify(score));
      assert.ok((score?.modelVersion ?? 0) > 0, 'scored by a model, not by reasons alone');
    });
  }

  test('after the first day, routine traffic alerts at most at the contamination rate', () => {
    const alerts = routine.filter((entry) => scoreOf.get(entry)?.alert).length;
    assert.ok(routine.length > 150_000);
    assert.ok(
      alerts <= CONTAMINATION * routine.length,
      `${alerts} alerts in ${routine.length} routine entries`,
    );
  });

  test('calibrated scores of routine traffic spread over 0..1', () => {
    const tenths = new Array<number>(10).fill(0);
    for (const entry of routine) {
      const tenth = Math.min(9, Math.floor((scoreOf.get(entry)?.score ?? 0) * 10));
      tenths[tenth] = (tenths[tenth] ?? 0) + 1;
    }
    const shares = tenths.map((count) => count / routine.length);
    // An even spread puts 10% in each tenth; none may hold less than 0.4 or more than 2.5 times that.
    assert.ok(
      shares.every((share) => share >= 0.04 && share <= 0.25),
      shares.map((share) => share.toFixed(3)).join(' '),
    );
  });
});
