import assert from 'node:assert/strict';
import { test } from 'node:test';
import { MinuteScores } from '../../../src/detect/events/minute-scores.ts';
import type { ScoredEntry } from '../../../src/detect/events/minute-scores.ts';

const M = 29_000_000;
function scored(minuteOffset: number, overrides: Partial<ScoredEntry> = {}): ScoredEntry {
  return {
    host: 'web-1',
    unit: 'sshd.service',
    timeUs: (M + minuteOffset) * 60_000_000 + 1000,
    message: 'Accepted password for root from 203.0.113.9 port 50022 ssh2',
    templateId: 4,
    template: 'Accepted password for <*> from <*> port <*> ssh2',
    score: 0.2,
    alert: false,
    reasons: [],
    ...overrides,
  };
}

test('a minute scores the highest of its entries and of its rate; alerts and notable entries make it anomalous', () => {
  const minutes = new MinuteScores({ maxSamples: 2, notableScore: 0.9 });
  minutes.addEntry(scored(0, { score: 0.3 }));
  minutes.addEntry(scored(0, { score: 0.95, host: 'notable-1' }));
  minutes.addEntry(scored(0, { score: 0.99, alert: true, reasons: ['off-hours', 'new-parameter'] }));
  minutes.addEntry(scored(0, { score: 0.98, alert: true, reasons: ['new-parameter'], message: 'second' }));
  minutes.addEntry(scored(0, { score: 0.97, alert: true, reasons: ['new-parameter'], message: 'third' }));
  minutes.addEntry(scored(1, { score: 0.4 }));
  minutes.addCountScore('web-1', 'sshd.service', M + 1, 0.6, false, null);
  minutes.addCountScore('db-1', 'postgresql.service', M + 1, 0.95, true, 'silence');

  const first = minutes.closeBefore(M + 1);
  assert.deepEqual(first.scores, [
    { host: 'notable-1', unit: 'sshd.service', minute: M, score: 0.95, entryScore: 0.95, countScore: 0 },
    { host: 'web-1', unit: 'sshd.service', minute: M, score: 0.99, entryScore: 0.99, countScore: 0 },
  ]);
  assert.deepEqual(
    first.anomalous.map((minute) => [minute.host, minute.alert]),
    [
      ['notable-1', false],
      ['web-1', true],
    ],
  );
  assert.deepEqual(first.anomalous[1]?.reasons, ['off-hours', 'new-parameter']);
  assert.deepEqual(first.anomalous[1]?.templates, [
    { id: 4, template: 'Accepted password for <*> from <*> port <*> ssh2', count: 3 },
  ]);
  assert.equal(first.anomalous[1]?.samples.length, 2, 'samples are capped');

  const rest = minutes.flush();
  assert.deepEqual(rest.scores, [
    { host: 'db-1', unit: 'postgresql.service', minute: M + 1, score: 0.95, entryScore: 0, countScore: 0.95 },
    { host: 'web-1', unit: 'sshd.service', minute: M + 1, score: 0.6, entryScore: 0.4, countScore: 0.6 },
  ]);
  assert.deepEqual(
    rest.anomalous.map((minute) => [minute.host, minute.reasons]),
    [['db-1', ['silence']]],
  );
  assert.deepEqual(minutes.flush(), { scores: [], anomalous: [] });
});

test('what the rate model found odd joins the reasons of a minute its entries made anomalous, and only those', () => {
  const minutes = new MinuteScores({ maxSamples: 2, notableScore: 1 });
  minutes.addEntry(scored(0, { score: 0.99, alert: true, reasons: ['new-template'] }));
  minutes.addCountScore('web-1', 'sshd.service', M, 0.97, false, 'burst');
  minutes.addEntry(scored(0, { score: 0.3, host: 'db-1' }));
  minutes.addCountScore('db-1', 'sshd.service', M, 0.96, false, 'trend');
  const { anomalous } = minutes.flush();
  assert.deepEqual(
    anomalous.map((minute) => [minute.host, minute.alert, minute.reasons]),
    [['web-1', true, ['new-template', 'burst']]],
  );
});
