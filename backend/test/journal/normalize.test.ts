import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import { EntryFlag, flagNames } from '../../src/journal/entry.ts';
import type { JournalEntry } from '../../src/journal/entry.ts';
import { MAX_MESSAGE_BYTES, normalizeEntry } from '../../src/journal/normalize.ts';
import { sharedData } from '../shared-data.ts';

const SOME_TIME = { __REALTIME_TIMESTAMP: '1700000000000000' };

/** Normalises, adding a timestamp when the test gives none so only the case under test raises flags. */
function normalized(raw: unknown): JournalEntry {
  const timed =
    raw !== null &&
    typeof raw === 'object' &&
    !('__REALTIME_TIMESTAMP' in raw) &&
    !('_SOURCE_REALTIME_TIMESTAMP' in raw)
      ? { ...SOME_TIME, ...raw }
      : raw;
  const entry = normalizeEntry(timed, { nowUs: 42 });
  assert.notEqual(typeof entry, 'string', `rejected: ${String(entry)}`);
  return entry as JournalEntry;
}

describe('normalizeEntry', () => {
  test('a real journalctl -o json entry (Elastic Beats fixture)', () => {
    const raw = JSON.parse(readFileSync(sharedData('journald/beats/sample-journal-event.json'), 'utf8'));
    const entry = normalized(raw);
    assert.equal(entry.message, raw.MESSAGE);
    assert.equal(entry.host, raw._HOSTNAME);
    assert.equal(entry.unit, raw._SYSTEMD_UNIT);
    assert.equal(entry.timeUs, Number(raw.__REALTIME_TIMESTAMP));
    assert.equal(entry.cursor, raw.__CURSOR);
    assert.equal(entry.priority, Number(raw.PRIORITY));
    assert.equal(entry.flags, 0);
  });

  test('keeps microsecond precision of __REALTIME_TIMESTAMP', () => {
    const entry = normalized({ MESSAGE: 'x', __REALTIME_TIMESTAMP: '1758137056706827' });
    assert.equal(entry.timeUs, 1758137056706827);
    assert.equal(entry.timeUs % 1000, 827);
  });

  test('falls back to _SOURCE_REALTIME_TIMESTAMP, then to the time of ingest with a flag', () => {
    assert.equal(
      normalized({ MESSAGE: 'x', _SOURCE_REALTIME_TIMESTAMP: '1578529839140001' }).timeUs,
      1578529839140001,
    );
    const noTime = normalized({ MESSAGE: 'x', __REALTIME_TIMESTAMP: 'yesterday' });
    assert.equal(noTime.timeUs, 42);
    assert.deepEqual(flagNames(noTime.flags), ['missingTime']);
  });

  test('MESSAGE as a byte array: valid UTF-8 is decoded without a flag', () => {
    const entry = normalized({ MESSAGE: [...Buffer.from('héllo\nwörld')] });
    assert.equal(entry.message, 'héllo\nwörld');
    assert.equal(entry.flags, 0);
  });

  test('MESSAGE as a non-UTF-8 byte array is decoded lossily and flagged (Vector fixture)', () => {
    const lines = readFileSync(sharedData('journald/vector-fake-journal.ndjson'), 'utf8').trim().split('\n');
    const entry = normalized(JSON.parse(lines[2] ?? ''));
    assert.equal(entry.unit, 'badunit.service');
    assert.equal(entry.message, '¿Hello?');
    assert.equal(entry.flags, 0, 'C2 BF is valid UTF-8');
    const binary = normalized({ MESSAGE: [0xff, 0xfe, 0x41, 0x80] });
    assert.equal(binary.message, '\ufffd\ufffdA\ufffd');
    assert.deepEqual(flagNames(binary.flags), ['binaryMessage']);
  });

  test('a missing MESSAGE, and one the source left out (null), are kept as empty with their own flags', () => {
    assert.deepEqual(flagNames(normalized({ PRIORITY: '3' }).flags), ['missingMessage']);
    assert.deepEqual(flagNames(normalized({ MESSAGE: null }).flags), ['messageOmitted']);
  });

  test('repeated fields: units take the first value, extra fields keep them all', () => {
    const entry = normalized({
      MESSAGE: 'x',
      _SYSTEMD_UNIT: ['a.service', 'b.service'],
      SYSLOG_FACILITY: ['DHCP4', 'DHCP6'],
      CUSTOM: ['one', 'two'],
      BLOB: [104, 105],
    });
    assert.equal(entry.unit, 'a.service');
    assert.deepEqual(entry.extra, { CUSTOM: ['one', 'two'], BLOB: 'hi' });
  });

  test('a repeated MESSAGE keeps every value', () => {
    assert.equal(normalized({ MESSAGE: ['first', 'second'] }).message, 'first\nsecond');
  });

  test('unit: _SYSTEMD_UNIT, then _SYSTEMD_USER_UNIT, SYSLOG_IDENTIFIER, _COMM, kernel', () => {
    const fields: [string, string][] = [
      ['_SYSTEMD_UNIT', 'sshd.service'],
      ['_SYSTEMD_USER_UNIT', 'app.service'],
      ['SYSLOG_IDENTIFIER', 'sshd'],
      ['_COMM', 'sshd-session'],
    ];
    // Dropping the fields one by one from the front shows each one wins over all that follow it.
    for (let first = 0; first < fields.length; first++) {
      const present = Object.fromEntries(fields.slice(first));
      assert.equal(normalized({ MESSAGE: 'x', _TRANSPORT: 'kernel', ...present }).unit, fields[first]?.[1]);
    }
    assert.equal(normalized({ MESSAGE: 'x', _TRANSPORT: 'kernel' }).unit, 'kernel');
    assert.equal(normalized({ MESSAGE: 'x' }).unit, 'unknown');
  });

  test('PRIORITY 0-7 or null', () => {
    for (let priority = 0; priority <= 7; priority++) {
      assert.equal(normalized({ MESSAGE: 'x', PRIORITY: String(priority) }).priority, priority);
    }
    assert.equal(normalized({ MESSAGE: 'x' }).priority, null);
    assert.equal(normalized({ MESSAGE: 'x', PRIORITY: '9' }).priority, null);
    assert.equal(normalized({ MESSAGE: 'x', PRIORITY: 'err' }).priority, null);
  });

  test('host is _HOSTNAME, else the source default, else "unknown"', () => {
    assert.equal(normalized({ MESSAGE: 'x', _HOSTNAME: 'web-1' }).host, 'web-1');
    const fromSource = normalizeEntry(
      { MESSAGE: 'x', ...SOME_TIME },
      { defaultHost: 'db-2' },
    ) as JournalEntry;
    assert.equal(fromSource.host, 'db-2');
    assert.equal(normalized({ MESSAGE: 'x' }).host, 'unknown');
  });

  test('messages over 64 KiB are truncated on a character boundary, with a flag', () => {
    const huge = 'é'.repeat(MAX_MESSAGE_BYTES); // 2 bytes each: twice the limit
    const entry = normalized({ MESSAGE: huge });
    assert.ok(Buffer.byteLength(entry.message) <= MAX_MESSAGE_BYTES);
    assert.ok(Buffer.byteLength(entry.message) > MAX_MESSAGE_BYTES - 2);
    assert.ok(!entry.message.includes('\ufffd'));
    assert.deepEqual(flagNames(entry.flags), ['truncated']);
    const exactly = 'a'.repeat(MAX_MESSAGE_BYTES);
    assert.equal(normalized({ MESSAGE: exactly }).flags, 0);
  });

  test('a 1 MiB message is cut to 64 KiB', () => {
    const entry = normalized({ MESSAGE: 'x'.repeat(1 << 20) });
    assert.equal(entry.message.length, MAX_MESSAGE_BYTES);
    assert.equal(entry.flags & EntryFlag.truncated, EntryFlag.truncated);
  });

  test('multi-line messages stay intact', () => {
    const message = 'Traceback (most recent call last):\n  File "app.py", line 1\nValueError: boom';
    assert.equal(normalized({ MESSAGE: message }).message, message);
  });

  test('unknown application fields are kept in extra; trusted _ fields are not repeated', () => {
    const entry = normalized({
      MESSAGE: 'x',
      MY_FIELD: 'v',
      CODE_LINE: '12',
      _EXE: '/usr/bin/x',
      PRIORITY: '6',
    });
    assert.deepEqual(entry.extra, { MY_FIELD: 'v', CODE_LINE: '12' });
    assert.equal(normalized({ MESSAGE: 'x', _PID: '12' }).extra, null);
  });

  test('every corner case of the Elastic Beats fixtures normalises', () => {
    for (const file of ['corner-cases.json', 'coredump.json']) {
      const raw = JSON.parse(readFileSync(sharedData(`journald/beats/${file}`), 'utf8')) as unknown[];
      const entries = (Array.isArray(raw) ? raw : [raw]).map(normalized);
      assert.ok(entries.length > 0);
      for (const entry of entries) assert.ok(entry.timeUs > 1.5e15, `${file}: time ${entry.timeUs}`);
    }
  });

  test('rejects what is not an object', () => {
    for (const value of [null, 3, 'text', [1, 2], true])
      assert.equal(normalizeEntry(value), 'not a JSON object');
  });
});
