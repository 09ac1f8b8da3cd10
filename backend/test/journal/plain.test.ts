import assert from 'node:assert/strict';
import { test } from 'node:test';
import { flagNames } from '../../src/journal/entry.ts';
import { parsePlainLine, TIMESTAMP_RULES } from '../../src/journal/plain.ts';

const FALLBACK = 42;
const iso = (us: number) => new Date(us / 1000).toISOString();

test('every timestamp rule is exercised below', () => {
  assert.deepEqual(
    TIMESTAMP_RULES.map((rule) => rule.name),
    ['iso-8601', 'syslog', 'bracketed', 'epoch-seconds', 'yymmdd-hhmmss', 'yy/mm/dd'],
  );
});

test('iso-8601 with comma or dot fractions, T or space, and zones (Hadoop, Zookeeper, OpenStack)', () => {
  const hadoop = parsePlainLine(
    '2015-10-18 18:01:47,978 INFO [main] org.apache.hadoop.mapreduce: Created',
    FALLBACK,
  );
  assert.equal(iso(hadoop.timeUs), '2015-10-18T18:01:47.978Z');
  assert.equal(hadoop.priority, 6);
  assert.equal(hadoop.message, '[main] org.apache.hadoop.mapreduce: Created');
  const zookeeper = parsePlainLine(
    '2015-07-29 17:41:44,747 - INFO  [QuorumPeer[myid=1]] - Notification time out: 3200',
    FALLBACK,
  );
  assert.equal(zookeeper.priority, 6);
  assert.equal(zookeeper.message, '[QuorumPeer[myid=1]] - Notification time out: 3200');
  assert.equal(
    iso(parsePlainLine('2024-06-03T12:00:00+02:00 boot', FALLBACK).timeUs),
    '2024-06-03T10:00:00.000Z',
  );
  assert.equal(
    parsePlainLine('2024-06-03T12:00:00.123456Z x', FALLBACK).timeUs,
    Date.UTC(2024, 5, 3, 12) * 1000 + 123456,
  );
});

test('syslog: timestamp, host, program[pid] and message (Linux, OpenSSH)', () => {
  const entry = parsePlainLine(
    'Dec 10 06:55:46 LabSZ sshd[24200]: Invalid user webmaster from 173.234.31.186',
    FALLBACK,
    { year: 2017 },
  );
  assert.equal(iso(entry.timeUs), '2017-12-10T06:55:46.000Z');
  assert.deepEqual([entry.host, entry.unit, entry.pid], ['LabSZ', 'sshd', 24200]);
  assert.equal(entry.message, 'Invalid user webmaster from 173.234.31.186');
  const pam = parsePlainLine(
    'Jun 14 15:16:01 combo sshd(pam_unix)[19939]: authentication failure;',
    FALLBACK,
    { year: 2005 },
  );
  assert.deepEqual([pam.host, pam.unit, pam.pid], ['combo', 'sshd(pam_unix)', 19939]);
});

test('syslog without a year: this year, or last year for a date more than a day ahead', () => {
  const syslogTime = (ms: number) => {
    const date = new Date(ms);
    const month = date.toLocaleString('en-US', { month: 'short', timeZone: 'UTC' });
    return `${month} ${date.getUTCDate()} 12:00:00 host app: ok`;
  };
  const yearOf = (line: string) => new Date(parsePlainLine(line, FALLBACK).timeUs / 1000).getUTCFullYear();
  const now = Date.now();
  const monthAgo = now - 30 * 86_400_000;
  const monthAhead = now + 30 * 86_400_000;
  assert.equal(yearOf(syslogTime(monthAgo)), new Date(monthAgo).getUTCFullYear());
  assert.equal(yearOf(syslogTime(monthAhead)), new Date(monthAhead).getUTCFullYear() - 1);
  assert.equal(
    new Date(parsePlainLine(syslogTime(monthAhead), FALLBACK, { year: 2030 }).timeUs / 1000).getUTCFullYear(),
    2030,
  );
});

test('bracketed Apache dates and [level] words', () => {
  const entry = parsePlainLine(
    '[Sun Dec 04 04:47:44 2005] [error] mod_jk child workerEnv in error state 6',
    FALLBACK,
  );
  assert.equal(iso(entry.timeUs), '2005-12-04T04:47:44.000Z');
  assert.equal(entry.priority, 3);
  assert.equal(entry.message, 'mod_jk child workerEnv in error state 6');
  assert.equal(parsePlainLine('[Sun Dec 04 04:47:44 2005] [notice] ok', FALLBACK).priority, 5);
});

test('epoch seconds, yyMMdd HHmmss and yy/MM/dd (BGL, HDFS, Spark)', () => {
  const bgl = parsePlainLine(
    '- 1117838570 2005.06.03 R02-M1-N0-C:J12-U11 RAS KERNEL INFO instruction cache',
    FALLBACK,
  );
  assert.equal(bgl.timeUs, 1117838570 * 1e6);
  const hdfs = parsePlainLine('081109 203615 148 INFO dfs.DataNode$PacketResponder: terminating', FALLBACK);
  assert.equal(iso(hdfs.timeUs), '2008-11-09T20:36:15.000Z');
  const spark = parsePlainLine(
    '17/06/09 20:10:40 INFO executor.CoarseGrainedExecutorBackend: Registered',
    FALLBACK,
  );
  assert.equal(iso(spark.timeUs), '2017-06-09T20:10:40.000Z');
  assert.equal(spark.priority, 6);
  assert.equal(spark.message, 'executor.CoarseGrainedExecutorBackend: Registered');
});

test('a line without a timestamp keeps line order through the fallback time, flagged; defaults fill host and unit', () => {
  const entry = parsePlainLine('ERROR something broke', FALLBACK, { host: 'app-1', unit: 'app.log' });
  assert.equal(entry.timeUs, FALLBACK);
  assert.deepEqual(flagNames(entry.flags), ['missingTime']);
  assert.deepEqual(
    [entry.host, entry.unit, entry.priority, entry.message],
    ['app-1', 'app.log', 3, 'something broke'],
  );
  const plain = parsePlainLine('just words', FALLBACK);
  assert.deepEqual(
    [plain.host, plain.unit, plain.priority, plain.message],
    ['unknown', 'unknown', null, 'just words'],
  );
});

test('words that merely start like a level are left in the message', () => {
  assert.equal(parsePlainLine('information follows', FALLBACK).message, 'information follows');
  assert.equal(parsePlainLine('errors: 3', FALLBACK).priority, null);
});
