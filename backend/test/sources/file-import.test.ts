import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { after, test } from 'node:test';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { IngestPipeline } from '../../src/app/pipeline.ts';
import { IMPORT_BATCH_ENTRIES, importJournalFile } from '../../src/sources/file-import.ts';
import type { EntrySink } from '../../src/sources/sink.ts';
import { Store } from '../../src/store/store.ts';

const run = promisify(execFile);
const LOOKOUT_BIN = fileURLToPath(new URL('../../bin/lookout.js', import.meta.url));
const dirs: string[] = [];
after(() => dirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'lookout-import-'));
  dirs.push(dir);
  return dir;
}

function journalLines(count: number, bad: Set<number> = new Set()): string {
  const lines: string[] = [];
  for (let i = 1; i <= count; i++) {
    lines.push(
      bad.has(i)
        ? `not json at ${i}`
        : JSON.stringify({
            MESSAGE: `entry ${i}`,
            __REALTIME_TIMESTAMP: String(1767600000000000 + i * 1000),
            _HOSTNAME: 'web-1',
            _SYSTEMD_UNIT: 'app.service',
            PRIORITY: '6',
          }),
    );
  }
  return lines.join('\n') + '\n';
}

const quiet = { log: { warn: () => {} } };

test('imports a file, reports rejected lines with their numbers, and shows progress', async () => {
  const dir = tempDir();
  const file = join(dir, 'export.json');
  writeFileSync(file, journalLines(12_000, new Set([5, 9000])));
  const store = Store.open(join(dir, 'data'));
  const progress: number[] = [];
  const summary = await importJournalFile({
    path: file,
    sink: new IngestPipeline(store, quiet),
    onProgress: (p) => progress.push(p.bytesRead),
    progressIntervalMs: 0,
  });
  assert.equal(summary.accepted, 11_998);
  assert.equal(summary.rejected, 2);
  assert.deepEqual(
    summary.errors.map((error) => error.line),
    [5, 9000],
  );
  assert.equal(summary.sourceKey, pathToFileURL(file).href);
  assert.equal(store.entryCount(), 11_998);
  assert.equal(progress.at(-1), summary.bytesRead);
  store.close();
});

test('an import interrupted mid-way carries on where it stopped: no loss, no duplicates', async () => {
  const dir = tempDir();
  const file = join(dir, 'export.json');
  // Two full batches are stored, and the third fails.
  const lines = 2 * IMPORT_BATCH_ENTRIES + 3_456;
  writeFileSync(file, journalLines(lines));
  const store = Store.open(join(dir, 'data'));
  const pipeline = new IngestPipeline(store, quiet);
  let batches = 0;
  const crashingSink: EntrySink = {
    resumePoint: (key) => pipeline.resumePoint(key),
    reportError: (key, message) => pipeline.reportError(key, message),
    write: (batch) => {
      if (++batches === 3) throw new Error('simulated crash');
      pipeline.write(batch);
    },
  };
  await assert.rejects(importJournalFile({ path: file, sink: crashingSink }), /simulated crash/);
  const stored = store.entryCount();
  assert.ok(stored > 0 && stored < lines, `partially stored: ${stored}`);

  const resumed = await importJournalFile({ path: file, sink: pipeline });
  assert.equal(resumed.resumedAfterLine, stored);
  assert.equal(resumed.accepted, lines - stored);
  const messages = store.db.prepare('SELECT message FROM entries ORDER BY id').pluck().all() as string[];
  assert.equal(messages.length, lines);
  assert.equal(new Set(messages).size, lines, 'no duplicates');
  assert.deepEqual(
    messages,
    Array.from({ length: lines }, (_, i) => `entry ${i + 1}`),
    'no gaps, in order',
  );

  const again = await importJournalFile({ path: file, sink: pipeline });
  assert.equal(again.accepted, 0, 'a finished import adds nothing');
  const fresh = await importJournalFile({ path: file, sink: pipeline, fromStart: true });
  assert.equal(fresh.accepted, lines, '--from-start imports it all again');
  store.close();
});

test('a different file at the same path is imported from its start', async () => {
  const dir = tempDir();
  const file = join(dir, 'rotating.json');
  const store = Store.open(join(dir, 'data'));
  const pipeline = new IngestPipeline(store, quiet);
  writeFileSync(file, journalLines(100));
  await importJournalFile({ path: file, sink: pipeline });
  writeFileSync(file, journalLines(50).replaceAll('web-1', 'web-2'));
  const second = await importJournalFile({ path: file, sink: pipeline });
  assert.equal(second.resumedAfterLine, 0);
  assert.equal(second.accepted, 50);
  store.close();
});

test('a file is stored in full batches however long the machine pauses, so a busy one scores it the same', async () => {
  const dir = tempDir();
  const file = join(dir, 'export.json');
  writeFileSync(file, journalLines(2 * IMPORT_BATCH_ENTRIES + 2000));
  const sizes: number[] = [];
  const sink: EntrySink = {
    resumePoint: () => null,
    reportError: () => {},
    write: (batch) => void sizes.push(batch.entries.length),
  };
  let paused = false;
  await importJournalFile({
    path: file,
    sink,
    progressIntervalMs: 0,
    // Between the first two chunks, with part of a batch read: as long as a loaded machine may stall.
    onProgress: () => {
      if (paused || sizes.length === 0) return;
      paused = true;
      const until = performance.now() + 400;
      while (performance.now() < until);
    },
  });
  assert.ok(paused);
  assert.deepEqual(sizes, [IMPORT_BATCH_ENTRIES, IMPORT_BATCH_ENTRIES, 2000]);
});

test('stdin imports everything and keeps no resume point', async () => {
  const dir = tempDir();
  const store = Store.open(join(dir, 'data'));
  const summary = await importJournalFile({
    path: '-',
    sink: new IngestPipeline(store, quiet),
    stdin: Readable.from([Buffer.from(journalLines(300))]),
  });
  assert.equal(summary.accepted, 300);
  assert.equal(summary.sourceKey, 'stdin:');
  assert.equal(store.sources.get('stdin:')?.resumeFrom, null);
  store.close();
});

test('`lookout import` prints a summary naming rejected lines and exits 2 when some were rejected', async () => {
  const dir = tempDir();
  const file = join(dir, 'export.json');
  writeFileSync(file, journalLines(500, new Set([42])));
  const failed = await run(process.execPath, [LOOKOUT_BIN, 'import', file, '--data', join(dir, 'data')]).then(
    () => null,
    (error: { code: number; stderr: string }) => error,
  );
  assert.ok(failed, 'exits non-zero');
  assert.equal(failed.code, 2);
  assert.match(failed.stderr, /imported 499 entries from file:\/\/.*export\.json/);
  assert.match(failed.stderr, /1 line\(s\) rejected:\n {2}line 42: invalid JSON/);

  const clean = join(dir, 'clean.json');
  writeFileSync(clean, journalLines(10));
  const { stderr } = await run(process.execPath, [LOOKOUT_BIN, 'import', clean], {
    env: { ...process.env, LOOKOUT_DATA: join(dir, 'data') },
  });
  assert.match(stderr, /imported 10 entries/);
  const store = Store.open(join(dir, 'data'));
  assert.equal(store.entryCount(), 509, 'LOOKOUT_DATA chose the same store');
  store.close();
});

test('`lookout import` of a missing file says so and exits 1', async () => {
  const error = await run(process.execPath, [
    LOOKOUT_BIN,
    'import',
    '/nonexistent/x.json',
    '--data',
    tempDir(),
  ]).then(
    () => null,
    (failure: { code: number; stderr: string }) => failure,
  );
  assert.equal(error?.code, 1);
  assert.match(error?.stderr ?? '', /lookout: .*no such file or directory.*\/nonexistent\/x\.json/);
});
