import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { runSeedBaseline, seedBaselineFeatures } from '../../../src/detect/baseline/seed-baseline.ts';
import type { SeedBaselineEntry } from '../../../src/detect/baseline/seed-baseline.ts';
import { ENGLISH_STOP_WORDS } from '../../../src/detect/baseline/stop-words.ts';
import type { JournalEntry } from '../../../src/journal/entry.ts';

const hourUs = (hour: number, day = 1) => Date.UTC(2024, 0, day, hour, 30) * 1000;

function routineDay(): SeedBaselineEntry[] {
  const entries: SeedBaselineEntry[] = [];
  for (let i = 0; i < 400; i++) {
    const hour = 8 + (i % 10);
    entries.push(
      i % 2 === 0
        ? {
            unit: 'sshd.service',
            timeUs: hourUs(hour),
            message: `Accepted publickey for deploy from 10.0.0.${i % 5}`,
          }
        : { unit: 'cron.service', timeUs: hourUs(hour), message: '(root) CMD (run-parts /etc/cron.hourly)' },
    );
  }
  return entries;
}

describe('seed baseline', () => {
  test('builds TF-IDF terms without stop words, one-hot units in order, and the UTC hour', () => {
    const { matrix, names } = seedBaselineFeatures([
      { unit: 'sshd.service', timeUs: hourUs(3), message: 'Connection closed by the remote host' },
      { unit: 'cron.service', timeUs: hourUs(23), message: 'Connection reset' },
    ]);
    assert.deepEqual(names, [
      'term:closed',
      'term:connection',
      'term:host',
      'term:remote',
      'term:reset',
      'unit:cron.service',
      'unit:sshd.service',
      'hour',
    ]);
    const row = (index: number) => [...matrix.subarray(index * names.length, (index + 1) * names.length)];
    assert.deepEqual(row(0).slice(5), [0, 1, 3]);
    assert.deepEqual(row(1).slice(5), [1, 0, 23]);
    const [, connection = 0, , , reset = 0] = row(1);
    assert.ok(reset > connection, 'the rarer term weighs more');
  });

  test('uses at most 100 terms, none of them stop words', () => {
    const entries = Array.from({ length: 300 }, (_, i) => ({
      unit: 'app.service',
      timeUs: hourUs(i % 24),
      message: `the request number${i} was handled by worker${i % 7} and it is done`,
    }));
    const terms = seedBaselineFeatures(entries).names.filter((name) => name.startsWith('term:'));
    assert.equal(terms.length, 100);
    assert.ok(terms.every((term) => !ENGLISH_STOP_WORDS.has(term.slice('term:'.length))));
  });

  test('flags the odd entries among routine ones and at most 10% in all', () => {
    const entries = routineDay();
    const odd: SeedBaselineEntry[] = [
      { unit: 'kernel', timeUs: hourUs(3, 2), message: 'Out of memory: Killed process 4242 (postgres)' },
      { unit: 'sshd.service', timeUs: hourUs(3, 2), message: 'Failed password for root from 203.0.113.9' },
    ];
    const [oom, bruteForce] = odd;
    assert.ok(oom && bruteForce);
    entries.splice(137, 0, oom);
    entries.splice(290, 0, bruteForce);
    const result = runSeedBaseline(entries, { seed: 3 });
    const flagged = result.anomalous.reduce((sum, flag) => sum + flag, 0);
    assert.ok(flagged > 0 && flagged <= entries.length * 0.1, `flagged ${flagged}`);
    for (const entry of odd) {
      const index = entries.indexOf(entry);
      assert.equal(result.anomalous[index], 1, `${entry.message} not flagged`);
      assert.ok((result.scores[index] ?? 0) > result.threshold);
    }
    const secondHighest = [...result.scores].sort((a, b) => b - a)[1] ?? 1;
    assert.ok(odd.every((entry) => (result.scores[entries.indexOf(entry)] ?? 0) >= secondHighest));
  });

  test('gives the same result for the same seed, and takes JournalEntry objects as they are', () => {
    const journalEntries: JournalEntry[] = routineDay().map((entry, i) => ({
      ...entry,
      cursor: `s=${i}`,
      host: 'web-1',
      priority: 6,
      pid: 100 + i,
      flags: 0,
      extra: null,
    }));
    assert.deepEqual(
      runSeedBaseline(journalEntries, { seed: 8 }),
      runSeedBaseline(journalEntries, { seed: 8 }),
    );
  });
});
