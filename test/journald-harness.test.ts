import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import type { CorpusEntry } from './support/journal-corpus.ts';
import { generateEntries, toJsonLine } from './support/journal-corpus.ts';
import type { ExportEntry } from './support/journal-export.ts';
import {
  DEFAULT_BOOT_ID,
  ExportEncoder,
  parseExportFormat,
  toExportFormat,
} from './support/journal-export.ts';
import { countJournal, readJournal, writeJournal } from './support/journald.ts';
import type { Gatewayd } from './support/journald.ts';
import { testResources } from './support/resources.ts';
import { missingJournaldTools } from './support/system-tools.ts';

const skip = missingJournaldTools();

const CURSOR_SHAPE = /^s=[0-9a-f]{32};i=[0-9a-f]+;b=[0-9a-f]{32};m=[0-9a-f]+;t=[0-9a-f]+;x=[0-9a-f]+$/;
const MIB = 1 << 20;

const resources = testResources();
const tempDir = async () => resources.tempDir('lookout-harness-');
const serve = (dir: string) => resources.gatewayd(dir);

/** A MESSAGE as journalctl and gatewayd print it (a string, or bytes as a number array) → bytes. */
function messageBytes(value: unknown): Buffer {
  if (typeof value === 'string') return Buffer.from(value);
  if (Array.isArray(value) && value.every((byte) => typeof byte === 'number')) return Buffer.from(value);
  if (Buffer.isBuffer(value)) return value;
  throw new Error(`not a single MESSAGE: ${JSON.stringify(value)?.slice(0, 200)}`);
}

async function getEntries(
  url: string,
  headers: Record<string, string> = {},
): Promise<Record<string, unknown>[]> {
  const response = await fetch(`${url}/entries`, { headers: { Accept: 'application/json', ...headers } });
  const body = await response.text();
  assert.equal(response.status, 200, body);
  return body
    .split('\n')
    .filter((line) => line.length > 0)
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

/** Reads a `?follow` NDJSON stream until `enough` says so; the caller appends to the journal meanwhile. */
async function follow(
  url: string,
  headers: Record<string, string>,
  enough: (entries: Record<string, unknown>[]) => boolean,
  appendWhileFollowing: () => Promise<void>,
): Promise<Record<string, unknown>[]> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), 20_000);
  const response = await fetch(`${url}/entries?follow`, {
    headers: { Accept: 'application/json', ...headers },
    signal: controller.signal,
  });
  assert.equal(response.status, 200);
  assert.ok(response.body);
  const entries: Record<string, unknown>[] = [];
  const appended = appendWhileFollowing();
  const decoder = new TextDecoder();
  let pending = '';
  try {
    for await (const chunk of response.body) {
      pending += decoder.decode(chunk, { stream: true });
      let newline = pending.indexOf('\n');
      while (newline !== -1) {
        entries.push(JSON.parse(pending.slice(0, newline)) as Record<string, unknown>);
        pending = pending.slice(newline + 1);
        newline = pending.indexOf('\n');
      }
      if (enough(entries)) break;
    }
  } finally {
    clearTimeout(timer);
    controller.abort();
    await appended;
  }
  return entries;
}

test('export format: text lines, binary form for newlines and non-UTF-8, repeated fields, filled timestamps', () => {
  const encoder = new ExportEncoder({ startUs: 1_700_000_000_000_000, stepUs: 10 });
  const text = encoder.encode({ MESSAGE: 'plain text with tab\tand ünïcödé', TAG: ['a', 'b'] }).toString();
  assert.equal(
    text,
    '__REALTIME_TIMESTAMP=1700000000000000\n' +
      `__MONOTONIC_TIMESTAMP=${1_700_000_000_000_000 - Date.UTC(2000, 0, 1) * 1000}\n` +
      `_BOOT_ID=${DEFAULT_BOOT_ID}\n` +
      'MESSAGE=plain text with tab\tand ünïcödé\nTAG=a\nTAG=b\n\n',
  );

  const multiLine = encoder.encode({
    MESSAGE: 'two\nlines',
    __MONOTONIC_TIMESTAMP: '5',
    _BOOT_ID: 'b'.repeat(32),
  });
  const length = Buffer.alloc(8);
  length.writeUInt32LE(9);
  assert.deepEqual(
    multiLine,
    Buffer.concat([
      Buffer.from(`__REALTIME_TIMESTAMP=1700000000000010\nMESSAGE\n`),
      length,
      Buffer.from(`two\nlines\n__MONOTONIC_TIMESTAMP=5\n_BOOT_ID=${'b'.repeat(32)}\n\n`),
    ]),
  );

  const bytes = Buffer.from([0x66, 0xff, 0xfe, 0x00, 0x67]);
  const [parsed] = parseExportFormat(encoder.encode({ MESSAGE: bytes, __REALTIME_TIMESTAMP: '42' }));
  assert.deepEqual(parsed?.get('MESSAGE'), [bytes]);
  assert.deepEqual(parsed?.get('__REALTIME_TIMESTAMP'), [Buffer.from('42')]);

  assert.throws(() => encoder.encode({ 'bad-name': 'x' }), /invalid journal field name "bad-name"/);
  assert.throws(() => encoder.encode({ message: 'x' }), /invalid journal field name/);
  assert.throws(() => encoder.encode({ MESSAGE: 'x', __REALTIME_TIMESTAMP: 'soon' }), /positive integer/);
});

test('corpus: deterministic, time-ordered, shaped like journalctl -o json', () => {
  const options = { count: 20_000, seed: 42, hosts: 12, entriesPerSecond: 100 };
  const entries = [...generateEntries(options)];
  assert.deepEqual([...generateEntries(options)].slice(-50), entries.slice(-50));
  assert.notDeepEqual([...generateEntries({ ...options, seed: 43 })].slice(0, 50), entries.slice(0, 50));
  assert.equal(entries.length, 20_000);

  let previous = 0;
  let bytes = 0;
  const transports = new Set<string>();
  const priorities = new Map<string, number>();
  for (const entry of entries) {
    for (const value of Object.values(entry)) assert.equal(typeof value, 'string');
    for (const field of ['MESSAGE', 'PRIORITY', '_HOSTNAME', '_BOOT_ID', '_MACHINE_ID', '_TRANSPORT']) {
      assert.ok(entry[field] !== undefined, `${field} missing in ${toJsonLine(entry)}`);
    }
    const time = Number(entry.__REALTIME_TIMESTAMP);
    assert.ok(time >= previous, 'time goes forward');
    previous = time;
    assert.ok(Number(entry.__MONOTONIC_TIMESTAMP) > 0);
    const transport = entry._TRANSPORT as string;
    transports.add(transport);
    if (transport === 'kernel') {
      assert.equal(entry._SYSTEMD_UNIT, undefined);
      assert.equal(entry.SYSLOG_IDENTIFIER, 'kernel');
    } else {
      assert.match(entry._PID ?? '', /^\d+$/);
      assert.ok(entry._SYSTEMD_UNIT !== undefined, `no unit: ${toJsonLine(entry)}`);
    }
    priorities.set(entry.PRIORITY as string, (priorities.get(entry.PRIORITY as string) ?? 0) + 1);
    bytes += toJsonLine(entry).length + 1;
  }
  assert.deepEqual([...transports].sort(), ['journal', 'kernel', 'stdout', 'syslog']);
  const share = (priority: string) => (priorities.get(priority) ?? 0) / entries.length;
  assert.ok(share('6') > 0.75 && share('6') < 0.97, `info share ${share('6')}`);
  assert.ok(share('3') + share('4') > 0.01, 'some warnings and errors');
  const meanLine = bytes / entries.length;
  assert.ok(meanLine > 700 && meanLine < 1300, `mean line ${meanLine}`);
  const spanSeconds = (previous - Number(entries[0]?.__REALTIME_TIMESTAMP)) / 1e6;
  assert.ok(Math.abs(entries.length / spanSeconds - 100) < 20, `rate ${entries.length / spanSeconds}`);

  const units = new Set(entries.map((entry) => entry._SYSTEMD_UNIT));
  for (const unit of [
    'ssh.service',
    'nginx.service',
    'kubelet.service',
    'postgresql@15-main.service',
    'init.scope',
  ]) {
    assert.ok(units.has(unit), `${unit} present`);
  }
  assert.ok(entries.some((entry) => entry._SYSTEMD_USER_UNIT !== undefined));
  assert.ok(entries.some((entry) => entry.MESSAGE_ID !== undefined && entry.CODE_FILE !== undefined));

  const [withCursor] = generateEntries({ ...options, count: 1, cursors: true });
  assert.match(withCursor?.__CURSOR ?? '', CURSOR_SHAPE);
});

describe('real journald tools', { skip }, () => {
  let dir = '';
  let gatewayd: Gatewayd;
  let written: ExportEntry[] = [];
  const corpus: CorpusEntry[] = [...generateEntries({ count: 3000, seed: 5, hosts: 8 })];
  const lastUs = Number(corpus.at(-1)?.__REALTIME_TIMESTAMP);
  const binary = Buffer.from([0x6f, 0x6b, 0x20, 0xff, 0xfe, 0xc3, 0x28, 0x0a, 0x00, 0x01]);
  const huge = Buffer.alloc(MIB, 'lookout 1 MiB message ').toString();
  const specials: ExportEntry[] = [
    { MESSAGE: 'first line\n  second line\n\tthird line', _HOSTNAME: 'special', PRIORITY: '3' },
    { MESSAGE: binary, _HOSTNAME: 'special', PRIORITY: '4' },
    { MESSAGE: 'repeated field', TAG: ['alpha', 'beta', 'gamma'], _HOSTNAME: 'special' },
    { MESSAGE: huge, _HOSTNAME: 'special', PRIORITY: '6' },
  ].map((entry, index) => ({ ...entry, __REALTIME_TIMESTAMP: String(lastUs + (index + 1) * 1000) }));

  before(async () => {
    dir = await tempDir();
    written = [...corpus, ...specials];
    assert.equal(await writeJournal(dir, toExportFormat(written)), written.length);
    gatewayd = await serve(dir);
  });

  test('journal-remote stores every entry and journalctl returns each field unchanged', async () => {
    assert.equal(await countJournal(dir), written.length);
    const read = await readJournal(dir);
    assert.equal(read.length, written.length);
    for (const [index, original] of corpus.entries()) {
      const back = read[index] ?? {};
      for (const [field, value] of Object.entries(original))
        assert.equal(back[field], value, `${field} of ${index}`);
      assert.match(String(back.__CURSOR), CURSOR_SHAPE);
    }
    const [multiLine, binaryBack, repeated, hugeBack] = read.slice(corpus.length);
    assert.equal(multiLine?.MESSAGE, specials[0]?.MESSAGE);
    assert.deepEqual(binaryBack?.MESSAGE, [...binary]);
    assert.deepEqual([...(repeated?.TAG as string[])].sort(), ['alpha', 'beta', 'gamma']);
    assert.equal(hugeBack?.MESSAGE, huge);
  });

  test('gatewayd serves the same entries as NDJSON, except fields of 4096 bytes or more', async () => {
    const served = await getEntries(gatewayd.url);
    const read = await readJournal(dir);
    assert.equal(served.length, read.length);
    for (const [index, entry] of served.entries()) {
      assert.equal(entry.__CURSOR, read[index]?.__CURSOR);
      if (index === served.length - 1) continue;
      assert.deepEqual(
        messageBytes(entry.MESSAGE),
        messageBytes(read[index]?.MESSAGE),
        `MESSAGE of ${index}`,
      );
    }
    assert.equal(served.at(-1)?.MESSAGE, null);

    const hugeCursor = String(served.at(-1)?.__CURSOR);
    const response = await fetch(`${gatewayd.url}/entries`, {
      headers: { Accept: 'application/vnd.fdo.journal', Range: `entries=${hugeCursor}:0:1` },
    });
    const [exported] = parseExportFormat(Buffer.from(await response.arrayBuffer()));
    assert.equal(exported?.get('MESSAGE')?.[0]?.toString(), huge);
  });

  test('Range from a cursor includes its entry; cursor:1:N is the next N; a bad cursor is a 400', async () => {
    const all = await getEntries(gatewayd.url);
    const cursor = String(all[1000]?.__CURSOR);
    const from = await getEntries(gatewayd.url, { Range: `entries=${cursor}` });
    assert.equal(from.length, all.length - 1000);
    assert.equal(from[0]?.__CURSOR, cursor);
    const next = await getEntries(gatewayd.url, { Range: `entries=${cursor}:1:5` });
    assert.deepEqual(
      next.map((entry) => entry.__CURSOR),
      all.slice(1001, 1006).map((entry) => entry.__CURSOR),
    );
    const rest = await getEntries(gatewayd.url, { Range: `entries=${cursor}:1:` });
    assert.equal(rest.length, all.length - 1001);

    const lastCursor = String(all.at(-1)?.__CURSOR);
    const pastTheEnd = await getEntries(gatewayd.url, { Range: `entries=${lastCursor}:1:` });
    assert.deepEqual(
      pastTheEnd.map((entry) => entry.__CURSOR),
      [lastCursor],
      'skipping past the last entry returns that entry again',
    );

    const bogus = await fetch(`${gatewayd.url}/entries`, {
      headers: { Accept: 'application/json', Range: 'entries=not-a-cursor' },
    });
    assert.equal(bogus.status, 400);
    assert.match(await bogus.text(), /Failed to seek/);
  });

  test('?follow streams entries that a later journal-remote run appends, and entries in a new file', async () => {
    const followDir = await tempDir();
    const start = Number(corpus[0]?.__REALTIME_TIMESTAMP);
    const numbered = (from: number, count: number) =>
      Array.from({ length: count }, (_, index) => ({
        MESSAGE: `follow ${from + index}`,
        __REALTIME_TIMESTAMP: String(start + (from + index) * 1000),
      }));
    await writeJournal(followDir, toExportFormat(numbered(0, 10)));
    const followed = await serve(followDir);
    const [last] = await getEntries(followed.url, { Range: 'entries=:-1:' }).then((entries) =>
      entries.slice(-1),
    );
    const lastCursor = String(last?.__CURSOR);

    const streamed = await follow(
      followed.url,
      { Range: `entries=${lastCursor}:1:` },
      (entries) => entries.length >= 11,
      async () => {
        await writeJournal(followDir, toExportFormat(numbered(10, 5)));
        await writeJournal(followDir, toExportFormat(numbered(15, 5)), 'other.journal');
      },
    );
    assert.deepEqual(
      streamed.map((entry) => entry.MESSAGE),
      ['follow 9', ...numbered(10, 10).map((entry) => entry.MESSAGE)],
    );
  });

  test('gatewayd stops, refuses connections, and starts again on the same port', async () => {
    const restartDir = await tempDir();
    await writeJournal(restartDir, toExportFormat(corpus.slice(0, 100)));
    const restarted = await serve(restartDir);
    const { port, url } = restarted;
    assert.equal((await getEntries(url)).length, 100);
    await restarted.stop();
    await assert.rejects(fetch(`${url}/entries`));
    await restarted.stop();
    await restarted.start();
    assert.equal(restarted.port, port);
    assert.equal((await getEntries(url)).length, 100);
    await restarted.start();
    await restarted.stop();
  });

  test('writeJournal fails loudly where journal-remote would drop data and exit 0', async () => {
    const failDir = await tempDir();
    await assert.rejects(writeJournal(failDir, 'MESSAGE=no timestamp\n\n'), /dropped data: Entry is invalid/);
    await assert.rejects(
      writeJournal(failDir, '__REALTIME_TIMESTAMP=1\n__MONOTONIC_TIMESTAMP=1\nMESSAGE\n\x05\x00\x00'),
      /dropped data: .*Premature EOF/s,
    );
    await assert.rejects(
      writeJournal(failDir, [], 'not-a-journal.txt'),
      /must be a plain name ending in \.journal/,
    );
  });
});
