import assert from 'node:assert/strict';
import { test } from 'node:test';
import { EventMerger } from '../../../src/detect/events/merger.ts';
import type { AnomalousMinute } from '../../../src/detect/events/minute.ts';

const T0 = 29_000_000; // minutes since the epoch
function minute(offset: number, overrides: Partial<AnomalousMinute> = {}): AnomalousMinute {
  return {
    host: 'db-1',
    unit: 'postgresql.service',
    minute: T0 + offset,
    score: 0.9,
    alert: true,
    reasons: ['rare-template'],
    templates: [{ id: 7, template: 'could not write to file <*>: No space left on device', count: 2 }],
    samples: [{ timeUs: (T0 + offset) * 60_000_000 + 5, message: `sample ${offset}` }],
    ...overrides,
  };
}

test('minutes within the gap merge into one event; a later one starts the next', () => {
  const merger = new EventMerger({ gapMinutes: 5, maxSamples: 3 });
  assert.equal(merger.add(minute(0, { score: 0.8 })), null);
  assert.equal(merger.add(minute(2, { score: 0.97, reasons: ['burst', 'rare-template'] })), null);
  assert.equal(merger.add(minute(7)), null, '5 minutes after the last one is still the same event');
  const closed = merger.add(minute(20));
  assert.ok(closed);
  assert.equal(closed.startUs, T0 * 60_000_000);
  assert.equal(closed.endUs, (T0 + 8) * 60_000_000);
  assert.equal(closed.score, 0.97);
  assert.equal(closed.minutes, 3);
  assert.equal(closed.alert, true);
  assert.deepEqual(closed.reasons, ['rare-template', 'burst']);
  assert.deepEqual(closed.templates, [
    { id: 7, template: 'could not write to file <*>: No space left on device', count: 6 },
  ]);
  assert.deepEqual(
    closed.samples.map((sample) => sample.message),
    ['sample 0', 'sample 2', 'sample 7'],
  );
  assert.equal(merger.flush().length, 1, 'the minute-20 event is still open');
});

test('series are merged separately, and events close when time passes their gap', () => {
  const merger = new EventMerger({ gapMinutes: 2 });
  merger.add(minute(0));
  merger.add(minute(1, { host: 'web-1', unit: 'nginx.service' }));
  assert.deepEqual(merger.closeBefore(T0 + 2), []);
  const closed = merger.closeBefore(T0 + 3);
  assert.deepEqual(
    closed.map((event) => event.host),
    ['db-1'],
  );
  assert.equal(merger.current().length, 1);
  assert.deepEqual(
    merger.flush().map((event) => event.host),
    ['web-1'],
  );
  assert.deepEqual(merger.flush(), []);
});

test('a late minute inside the gap extends the event backwards', () => {
  const merger = new EventMerger({ gapMinutes: 5 });
  merger.add(minute(10));
  merger.add(minute(8));
  const [event] = merger.flush();
  assert.equal(event?.startUs, (T0 + 8) * 60_000_000);
  assert.equal(event?.endUs, (T0 + 11) * 60_000_000);
});

test('templates are ranked by count and capped; samples are capped and in time order', () => {
  const merger = new EventMerger({ maxTemplates: 2, maxSamples: 2 });
  merger.add(
    minute(0, {
      templates: [
        { id: 1, template: 'a', count: 1 },
        { id: 2, template: 'b', count: 5 },
        { id: 3, template: 'c', count: 3 },
      ],
      samples: [
        { timeUs: 30, message: 'late' },
        { timeUs: 10, message: 'early' },
        { timeUs: 20, message: 'dropped' },
      ],
    }),
  );
  const [event] = merger.flush();
  assert.deepEqual(
    event?.templates.map((template) => template.id),
    [2, 3],
  );
  assert.deepEqual(
    event?.samples.map((sample) => sample.message),
    ['early', 'late'],
  );
});

test('an event alerts when any of its minutes alerted; one of merely notable minutes does not', () => {
  const merger = new EventMerger();
  merger.add(minute(0, { alert: false, host: 'quiet-1' }));
  merger.add(minute(0, { alert: false }));
  merger.add(minute(1, { alert: true }));
  const events = merger.flush();
  assert.deepEqual(
    events.map((event) => [event.host, event.alert]),
    [
      ['quiet-1', false],
      ['db-1', true],
    ],
  );
});
