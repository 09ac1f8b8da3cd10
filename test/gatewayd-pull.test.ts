import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { pino } from 'pino';
import { startLookout } from '../backend/src/app/lookout.ts';
import type { RunningLookout } from '../backend/src/app/lookout.ts';
import { Store } from '../backend/src/store/store.ts';
import { DEFAULT_RETENTION } from '../backend/src/store/retention.ts';
import type { ExportEntry } from './support/journal-export.ts';
import { toExportFormat } from './support/journal-export.ts';
import { countJournal, freePort, readJournal, writeJournal } from './support/journald.ts';
import type { Gatewayd } from './support/journald.ts';
import { testResources } from './support/resources.ts';
import { missingJournaldTools } from './support/system-tools.ts';
import { waitFor } from './support/wait.ts';

const skip = missingJournaldTools();
const SHARED = fileURLToPath(new URL('../../shared/data/journald/', import.meta.url));
const LOOKOUT_BIN = fileURLToPath(new URL('../backend/bin/lookout.js', import.meta.url));

const resources = testResources();
const tempDir = (prefix: string) => resources.tempDir(prefix);
const serveJournal = (dir: string) => resources.gatewayd(dir);

async function lookoutPulling(
  sources: string[],
  dataDir = tempDir('lookout-data-'),
  logger = pino({ level: 'silent' }),
): Promise<RunningLookout> {
  const lookout = await startLookout({
    dataDir,
    host: '127.0.0.1',
    port: 0,
    sources,
    localJournal: false,
    maxIngestBytes: 1 << 20,
    retention: DEFAULT_RETENTION,
    logger,
  });
  resources.onCleanup(() => lookout.close());
  return lookout;
}

/** Unique, numbered entries so that a loss or a duplicate shows. */
function* numbered(count: number, host: string, from = 1): Generator<ExportEntry> {
  const startUs = Date.UTC(2026, 10, 1) * 1000;
  for (let i = from; i < from + count; i++) {
    yield {
      __REALTIME_TIMESTAMP: String(startUs + i * 1000),
      _HOSTNAME: host,
      _SYSTEMD_UNIT: i % 3 === 0 ? 'nginx.service' : 'app.service',
      PRIORITY: String(i % 8),
      MESSAGE: `${host} entry ${i}`,
    };
  }
}

function storedMessages(store: Store, host?: string): string[] {
  const sql = host
    ? 'SELECT e.message FROM entries e JOIN series s ON s.id = e.series_id WHERE s.host = ? ORDER BY e.id'
    : 'SELECT message FROM entries ORDER BY id';
  const statement = store.db.prepare(sql).pluck();
  return (host ? statement.all(host) : statement.all()) as string[];
}

function expectExactly(messages: string[], host: string, count: number): void {
  assert.equal(messages.length, count, `${host}: stored ${messages.length} of ${count}`);
  assert.equal(new Set(messages).size, count, `${host}: duplicates stored`);
  for (let i = 1; i <= count; i++) {
    if (messages[i - 1] !== `${host} entry ${i}`) assert.fail(`${host}: entry ${i} missing or out of order`);
  }
}

describe('pulling from the real systemd-journal-gatewayd', { skip }, () => {
  test('pulls every entry of real journal files from several hosts at once', async () => {
    const fixtures = [
      'beats-export/journal1.export',
      'beats-export/journal2.export',
      'beats-export/journal3.export',
      'beats-export/multiple-boots.export',
      'beats-export/input-multiline-parser.export',
      'ha-export/logs_export_host.txt',
    ];
    const served: { gatewayd: Gatewayd; expected: Record<string, unknown>[] }[] = [];
    let exported = 0;
    for (const fixture of fixtures) {
      const dir = tempDir('lookout-journal-');
      const text = readFileSync(join(SHARED, fixture), 'latin1').replace(/\r\n/g, '\n');
      exported += text.match(/^__CURSOR=/gm)?.length ?? 0;
      await writeJournal(dir, text);
      served.push({ gatewayd: await serveJournal(dir), expected: await readJournal(dir) });
    }
    const lookout = await lookoutPulling(served.map((s) => s.gatewayd.url));
    const total = served.reduce((sum, s) => sum + s.expected.length, 0);
    assert.equal(total, exported, 'the journals hold every exported entry');
    await waitFor(`${total} entries`, () => lookout.store.entryCount() === total);

    const sources = (await (await fetch(`${lookout.url}/api/v1/sources`)).json()) as {
      sources: { url: string; cursor: string; entries_ingested: number; last_error: string | null }[];
    };
    for (const { gatewayd, expected } of served) {
      const source = sources.sources.find((s) => s.url === gatewayd.url);
      assert.ok(source, `source ${gatewayd.url} listed`);
      assert.equal(source.entries_ingested, expected.length);
      assert.equal(source.cursor, expected.at(-1)?.__CURSOR, 'cursor is the last entry');
      assert.equal(source.last_error, null);
    }
    const stored = new Set(storedMessages(lookout.store));
    for (const { expected } of served) {
      for (const entry of expected) {
        if (typeof entry.MESSAGE === 'string')
          assert.ok(stored.has(entry.MESSAGE), `stored: ${entry.MESSAGE}`);
      }
    }
  });

  test('corner cases through gatewayd: multi-line, non-UTF-8, repeated fields, a 1 MiB message', async () => {
    // gatewayd prints null for any value over 4 KiB (it has no --all): the entry is kept and flagged.
    const dir = tempDir('lookout-journal-');
    const base = { _HOSTNAME: 'odd-1', _SYSTEMD_UNIT: 'odd.service', PRIORITY: '3' };
    const multiLine = 'Traceback (most recent call last):\n  File "x.py", line 1\nValueError: boom';
    await writeJournal(
      dir,
      toExportFormat([
        { ...base, MESSAGE: multiLine },
        { ...base, MESSAGE: Buffer.from([0x62, 0x61, 0x64, 0xff, 0xfe]) },
        { ...base, MESSAGE: 'repeated', TAG: ['one', 'two'] },
        { ...base, MESSAGE: 'L'.repeat(1 << 20) },
      ]),
    );
    const gatewayd = await serveJournal(dir);
    const lookout = await lookoutPulling([gatewayd.url]);
    await waitFor('4 entries', () => lookout.store.entryCount() === 4);
    const rows = lookout.store.db.prepare('SELECT message, flags, extra FROM entries ORDER BY id').all() as {
      message: string;
      flags: number;
      extra: string | null;
    }[];
    assert.equal(rows[0]?.message, multiLine);
    assert.equal(rows[1]?.message, 'bad\ufffd\ufffd');
    assert.equal(rows[1]?.flags, 1, 'binary flag');
    assert.deepEqual(JSON.parse(rows[2]?.extra ?? 'null'), { TAG: ['one', 'two'] });
    assert.equal(rows[3]?.message, '');
    assert.equal(rows[3]?.flags, 16, 'messageOmitted flag');
  });

  test('gatewayd stopped and restarted mid-stream: ingest resumes, nothing lost or repeated', async () => {
    const dir = tempDir('lookout-journal-');
    const count = 150_000;
    await writeJournal(dir, toExportFormat(numbered(count, 'big-1')));
    const gatewayd = await serveJournal(dir);
    const lookout = await lookoutPulling([gatewayd.url]);
    await waitFor('ingest under way', () => lookout.store.entryCount() > 10_000, { intervalMs: 5 });
    await gatewayd.stop();
    const atStop = lookout.store.entryCount();
    assert.ok(atStop < count, `stopped mid-stream (${atStop} of ${count})`);
    await waitFor('the outage to be reported', () => lookout.store.sources.get(gatewayd.url)?.lastError);
    await gatewayd.start();
    await waitFor(`all ${count} entries`, () => lookout.store.entryCount() >= count, { timeoutMs: 120_000 });
    expectExactly(storedMessages(lookout.store), 'big-1', count);
    await waitFor('the error to clear', () => lookout.store.sources.get(gatewayd.url)?.lastError === null);
  });

  test('entries appended to the journal while following arrive on the connection left open', async () => {
    const dir = tempDir('lookout-journal-');
    await writeJournal(dir, toExportFormat(numbered(100, 'live-1')));
    const gatewayd = await serveJournal(dir);
    // A source warns each time its stream breaks and it connects again.
    const warnings: string[] = [];
    const logger = pino(
      { level: 'warn' },
      { write: (line: string) => void warnings.push((JSON.parse(line) as { msg: string }).msg) },
    );
    const lookout = await lookoutPulling([gatewayd.url], tempDir('lookout-data-'), logger);
    await waitFor('the first 100', () => lookout.store.entryCount() === 100);
    await writeJournal(dir, toExportFormat(numbered(25, 'live-1', 101)));
    await waitFor('the appended 25', () => lookout.store.entryCount() === 125);
    expectExactly(storedMessages(lookout.store), 'live-1', 125);
    assert.deepEqual(warnings, []);
  });

  test('a backend restarted on the same store resumes after its cursor', async () => {
    const dir = tempDir('lookout-journal-');
    await writeJournal(dir, toExportFormat(numbered(500, 'resume-1')));
    const gatewayd = await serveJournal(dir);
    const dataDir = tempDir('lookout-data-');
    const first = await lookoutPulling([gatewayd.url], dataDir);
    await waitFor('500 entries', () => first.store.entryCount() === 500);
    await first.close();
    await writeJournal(dir, toExportFormat(numbered(300, 'resume-1', 501)));
    const second = await lookoutPulling([gatewayd.url], dataDir);
    await waitFor('800 entries', () => second.store.entryCount() === 800);
    expectExactly(storedMessages(second.store), 'resume-1', 800);
  });

  test('kill -9 of the backend in the middle of a large ingest, then restart: exactly the journal', async () => {
    const dir = tempDir('lookout-journal-');
    const count = 300_000;
    await writeJournal(dir, toExportFormat(numbered(count, 'crash-1')));
    assert.equal(await countJournal(dir), count);
    const gatewayd = await serveJournal(dir);
    const dataDir = tempDir('lookout-data-');
    const port = await freePort();
    const progress = async () => {
      const response = await fetch(`http://127.0.0.1:${port}/api/v1/sources`);
      const body = (await response.json()) as { sources: { entries_ingested: number }[] };
      return body.sources[0]?.entries_ingested ?? 0;
    };

    const first = spawnBackend(gatewayd.url, dataDir, port);
    await waitFor('ingest under way', async () => (await progress()) > 30_000, {
      timeoutMs: 60_000,
      intervalMs: 20,
    });
    first.kill('SIGKILL');
    await new Promise((resolve) => first.once('exit', resolve));
    const atKill = Store.open(dataDir);
    const storedAtKill = atKill.entryCount();
    atKill.close();
    assert.ok(
      storedAtKill > 0 && storedAtKill < count,
      `killed mid-ingest with ${storedAtKill} of ${count} stored`,
    );

    const second = spawnBackend(gatewayd.url, dataDir, port);
    await waitFor(`all ${count} entries`, async () => (await progress()) >= count, {
      timeoutMs: 120_000,
      intervalMs: 100,
    });
    second.kill('SIGTERM');
    const exitCode = await new Promise((resolve) => second.once('exit', resolve));
    assert.equal(exitCode, 0, 'SIGTERM shuts down cleanly');
    const store = Store.open(dataDir);
    expectExactly(storedMessages(store), 'crash-1', count);
    const counted = store.db.prepare('SELECT sum(count) FROM entry_counts').pluck().get();
    assert.equal(counted, count, 'per-minute counts match too');
    store.close();
  });
});

function spawnBackend(source: string, dataDir: string, port: number): ChildProcess {
  const child = spawn(
    process.execPath,
    [
      LOOKOUT_BIN,
      'serve',
      '--source',
      source,
      '--data',
      dataDir,
      '--port',
      String(port),
      '--log-level',
      'warn',
    ],
    { stdio: ['ignore', 'ignore', 'inherit'] },
  );
  resources.onCleanup(() => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  });
  return child;
}

describe('lookout agent', { skip }, () => {
  test('serves a real journal with the gatewayd protocol, and the backend pulls from it with a token', async () => {
    const dir = tempDir('lookout-journal-');
    await writeJournal(dir, toExportFormat(numbered(1000, 'agent-1')));
    const port = await freePort();
    const agent = spawn(
      process.execPath,
      [LOOKOUT_BIN, 'agent', '--journal-dir', dir, '--port', String(port), '--token', 'agent-secret'],
      { stdio: ['ignore', 'ignore', 'pipe'] },
    );
    resources.onCleanup(() => {
      if (agent.exitCode === null) agent.kill('SIGKILL');
    });
    const url = `http://127.0.0.1:${port}`;
    await waitFor(
      'the agent to listen',
      async () => (await fetch(`${url}/machine`).catch(() => null))?.status === 401,
    );

    const entries = (range?: string) =>
      fetch(`${url}/entries`, {
        headers: {
          accept: 'application/json',
          authorization: 'Bearer agent-secret',
          ...(range ? { range } : {}),
        },
      }).then(async (response) =>
        (await response.text())
          .trim()
          .split('\n')
          .map((line) => JSON.parse(line)),
      );
    const all = await entries();
    assert.equal(all.length, 1000);
    const cursor = all[9].__CURSOR as string;
    const fromCursor = await entries(`entries=${cursor}`);
    assert.equal(
      fromCursor[0].MESSAGE,
      'agent-1 entry 10',
      'Range includes the cursor entry, as gatewayd does',
    );
    assert.equal(fromCursor.length, 991);
    const window = await entries(`entries=${cursor}:2:3`);
    assert.deepEqual(
      window.map((entry) => entry.MESSAGE),
      ['agent-1 entry 12', 'agent-1 entry 13', 'agent-1 entry 14'],
    );
    assert.equal((await fetch(`${url}/entries`, { headers: { accept: 'application/json' } })).status, 401);
    assert.equal(
      (
        await fetch(`${url}/entries`, {
          headers: { accept: 'text/html', authorization: 'Bearer agent-secret' },
        })
      ).status,
      406,
    );

    const lookout = await startLookout({
      dataDir: tempDir('lookout-data-'),
      host: '127.0.0.1',
      port: 0,
      sources: [url],
      sourceToken: 'agent-secret',
      localJournal: false,
      maxIngestBytes: 1 << 20,
      retention: DEFAULT_RETENTION,
      logger: pino({ level: 'silent' }),
    });
    resources.onCleanup(() => lookout.close());
    await waitFor('1000 entries through the agent', () => lookout.store.entryCount() === 1000);
    await writeJournal(dir, toExportFormat(numbered(10, 'agent-1', 1001)));
    await waitFor('followed entries through the agent', () => lookout.store.entryCount() === 1010, {
      timeoutMs: 15_000,
    });
    expectExactly(storedMessages(lookout.store), 'agent-1', 1010);

    // Unlike gatewayd, the agent passes values over 4 KiB on; Lookout then cuts them at 64 KiB.
    await writeJournal(dir, toExportFormat([{ _HOSTNAME: 'agent-1', MESSAGE: 'L'.repeat(1 << 20) }]));
    await waitFor('the 1 MiB entry', () => lookout.store.entryCount() === 1011, { timeoutMs: 15_000 });
    const big = lookout.store.db
      .prepare('SELECT length(message) AS length, flags FROM entries ORDER BY id DESC LIMIT 1')
      .get();
    assert.deepEqual(big, { length: 65536, flags: 2 });
  });

  test('refuses to serve beyond loopback without a token', async () => {
    const agent = spawn(
      process.execPath,
      [LOOKOUT_BIN, 'agent', '--host', '0.0.0.0', '--port', String(await freePort())],
      {
        stdio: ['ignore', 'ignore', 'pipe'],
      },
    );
    let stderr = '';
    agent.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const code = await new Promise((resolve) => agent.once('exit', resolve));
    assert.equal(code, 1);
    assert.match(stderr, /refusing to serve the journal on 0\.0\.0\.0 without a token/);
  });
});

describe('following the local journal with journalctl', { skip }, () => {
  test('reads a journal directory, resumes after its cursor, and follows appends', async () => {
    const dir = tempDir('lookout-journal-');
    await writeJournal(dir, toExportFormat(numbered(200, 'local-1')));
    const lookout = await startLookout({
      dataDir: tempDir('lookout-data-'),
      host: '127.0.0.1',
      port: 0,
      sources: [],
      localJournal: true,
      journalDirectory: dir,
      maxIngestBytes: 1 << 20,
      retention: DEFAULT_RETENTION,
      logger: pino({ level: 'silent' }),
    });
    resources.onCleanup(() => lookout.close());
    await waitFor('200 local entries', () => lookout.store.entryCount() === 200);
    await writeJournal(dir, toExportFormat(numbered(50, 'local-1', 201)));
    await waitFor('appended local entries', () => lookout.store.entryCount() === 250, { timeoutMs: 15_000 });
    expectExactly(storedMessages(lookout.store), 'local-1', 250);
    assert.ok(readdirSync(dir).length > 0);
  });
});
