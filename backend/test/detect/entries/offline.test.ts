import assert from 'node:assert/strict';
import { test } from 'node:test';
import { EntryScorer, OfflineEntryScorer } from '../../../src/detect/entries/index.ts';
import type { JournalEntry } from '../../../src/journal/entry.ts';
import type { MinedEntry } from '../../../src/mining/mined-entry.ts';
import { TemplateMiner } from '../../../src/mining/miner.ts';
import { entry, fresh } from './helpers.ts';

/** Three hours of a web host's routine (2,000 entries), then a kernel OOM kill, then more routine. */
function shortLog(): JournalEntry[] {
  const log: JournalEntry[] = [];
  const start = Date.UTC(2026, 2, 2, 9) * 1000;
  for (let index = 0; index < 2000; index++) {
    const timeUs = start + index * 5_400_000;
    log.push(
      index % 4 === 0
        ? entry(`Accepted publickey for deploy from 10.0.0.${1 + (index % 3)} port ${40000 + index} ssh2`, {
            unit: 'ssh.service',
            timeUs,
          })
        : entry(`GET /api/orders/${index} 200 ${100 + (index % 50)} ms`, { unit: 'api.service', timeUs }),
    );
    if (index === 1500) {
      log.push(
        entry('Out of memory: Killed process 4242 (java) total-vm:8123456kB', {
          unit: 'kernel',
          priority: 3,
          timeUs: timeUs + 1,
        }),
      );
    }
  }
  return log;
}

function scoreOffline(log: readonly JournalEntry[]) {
  const miner = new TemplateMiner();
  const scorer = new OfflineEntryScorer();
  for (const item of fresh(log) as MinedEntry[]) {
    item.templateId = miner.add(item.message, item.timeUs).templateId;
    scorer.add(item, miner);
  }
  return scorer.score();
}

test('a log shorter than the streaming cold start is scored by a model fitted on all of it', () => {
  const log = shortLog();
  const scores = scoreOffline(log);
  assert.equal(scores.length, log.length);
  assert.ok(scores.every((score) => score.modelVersion === 1));
  // The first entry of each routine template is new at that point of the log: analyze's warm-up.
  const alerting = log.filter((_, index) => index >= 10 && scores[index]?.alert);
  assert.deepEqual(
    alerting.map((item) => item.message),
    ['Out of memory: Killed process 4242 (java) total-vm:8123456kB'],
  );

  const miner = new TemplateMiner();
  const streaming = new EntryScorer();
  const streamed = (fresh(log) as MinedEntry[]).map((item) => {
    item.templateId = miner.add(item.message, item.timeUs).templateId;
    return streaming.score(item, miner);
  });
  assert.ok(
    streamed.every((score) => score.modelVersion === 0),
    'the streaming scorer never left its cold start on this log, which is why analyze fits offline',
  );
});

test('the same log scores the same, entry for entry', () => {
  const log = shortLog();
  assert.deepEqual(scoreOffline(log), scoreOffline(log));
});

test('a log of one entry is scored by its reasons alone', () => {
  const [only] = scoreOffline([entry('disk failure on /dev/sda', { priority: 2 })]);
  assert.ok(only);
  assert.equal(only.modelVersion, 0);
  assert.equal(only.alert, true, 'a brand-new error');
});
