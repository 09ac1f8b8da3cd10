import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { test } from 'node:test';
import { Backoff } from '../../src/sources/backoff.ts';
import { EntryBatcher } from '../../src/sources/batcher.ts';
import type { EntrySink, SourceBatch } from '../../src/sources/sink.ts';

function recordingSink(failWrites = 0): EntrySink & { batches: SourceBatch[] } {
  const batches: SourceBatch[] = [];
  let failures = failWrites;
  return {
    batches,
    resumePoint: () => null,
    reportError: () => {},
    write: (batch) => {
      if (failures-- > 0) throw new Error('store unavailable');
      batches.push({ ...batch, entries: [...batch.entries], errors: [...batch.errors] });
    },
  };
}

const line = (cursor: string, message = cursor) =>
  JSON.stringify({ __CURSOR: cursor, MESSAGE: message, __REALTIME_TIMESTAMP: '1767600000000000' });

test('drops the first entry when it carries the resume cursor (gatewayd Range includes it)', () => {
  const sink = recordingSink();
  const batcher = new EntryBatcher('http://a', sink, { skipCursor: 'c1' });
  ['c1', 'c2', 'c3'].forEach((cursor, index) => batcher.line(line(cursor), index + 1));
  batcher.flush();
  assert.deepEqual(
    sink.batches[0]?.entries.map((entry) => entry.message),
    ['c2', 'c3'],
  );
  assert.equal(sink.batches[0]?.resumeFrom, 'c3');
});

test('keeps the first entry when the cursor entry is gone (journal vacuumed)', () => {
  const sink = recordingSink();
  const batcher = new EntryBatcher('http://a', sink, { skipCursor: 'c1' });
  batcher.line(line('c5'), 1);
  batcher.line(line('c1'), 2);
  batcher.flush();
  assert.deepEqual(
    sink.batches[0]?.entries.map((entry) => entry.message),
    ['c5', 'c1'],
    'only the very first entry is compared',
  );
  assert.equal(sink.batches[0]?.resumeFrom, 'c1');
});

test('flushes by size, and by time for a trickle', async () => {
  const sink = recordingSink();
  const batcher = new EntryBatcher('http://a', sink, { maxEntries: 2, maxDelayMs: 20 });
  ['a', 'b', 'c'].forEach((cursor, index) => batcher.line(line(cursor), index + 1));
  assert.equal(sink.batches.length, 1, 'a full batch is stored at once');
  await sleep(60);
  assert.equal(sink.batches.length, 2, 'the trickle is stored after maxDelayMs');
  assert.deepEqual(
    sink.batches.map((batch) => batch.resumeFrom),
    ['b', 'c'],
  );
});

test('a failed flush keeps the lines for the next attempt; a timed failure is reported', async () => {
  const sink = recordingSink(2);
  const errors: string[] = [];
  const batcher = new EntryBatcher('http://a', sink, {
    maxDelayMs: 10,
    onFlushError: (error) => errors.push(error.message),
  });
  batcher.line(line('a'), 1);
  assert.throws(() => batcher.flush(), /store unavailable/);
  await sleep(40);
  batcher.line(line('b'), 2);
  await sleep(40);
  assert.deepEqual(errors, ['store unavailable']);
  batcher.flush();
  assert.deepEqual(
    sink.batches[0]?.entries.map((entry) => entry.message),
    ['a', 'b'],
  );
  assert.equal(sink.batches[0]?.resumeFrom, 'b', 'the retry resumes after the newest line');
});

test('a sealed batcher ignores late lines from a closed stream', async () => {
  const sink = recordingSink();
  const batcher = new EntryBatcher('http://a', sink, { maxDelayMs: 5 });
  batcher.line(line('a'), 1);
  batcher.flush();
  batcher.seal();
  batcher.line(line('late'), 2);
  batcher.oversized(3, 1e9);
  await sleep(20);
  batcher.flush();
  assert.equal(sink.batches.length, 1);
  assert.equal(batcher.accepted, 1);
});

test('rejected lines are counted, kept up to a limit, and passed on with their numbers', () => {
  const sink = recordingSink();
  const batcher = new EntryBatcher('push:', sink, { keepErrors: 2 });
  for (let number = 1; number <= 5; number++) batcher.line(`garbage ${number}`, number);
  batcher.flush();
  assert.equal(batcher.rejected, 5);
  assert.deepEqual(
    batcher.firstErrors.map((error) => error.line),
    [1, 2],
  );
  assert.equal(sink.batches[0]?.errors.length, 5);
});

test('backoff grows exponentially with jitter up to its ceiling, and resets', () => {
  const backoff = new Backoff(100, 1000, () => 1);
  assert.deepEqual(
    Array.from({ length: 6 }, () => backoff.nextDelayMs()),
    [100, 200, 400, 800, 1000, 1000],
  );
  backoff.reset();
  assert.equal(backoff.nextDelayMs(), 100);
  const jittered = new Backoff(100, 1000, () => 0);
  assert.equal(jittered.nextDelayMs(), 50, 'never less than half the step');
});
