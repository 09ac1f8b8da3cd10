import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import Database from 'better-sqlite3';
import type { MinedEntry } from '../../src/mining/mined-entry.ts';
import { DATABASE_FILE } from '../../src/store/database.ts';
import { migrations } from '../../src/store/migrations.ts';
import { Store } from '../../src/store/store.ts';

const dirs: string[] = [];
after(() => dirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

function tempStore(): { store: Store; dir: string } {
  const dir = mkdtempSync(join(tmpdir(), 'lookout-store-'));
  dirs.push(dir);
  return { store: Store.open(dir), dir };
}

function entry(overrides: Partial<MinedEntry> = {}): MinedEntry {
  return {
    cursor: null,
    timeUs: Date.UTC(2026, 0, 5, 9, 30, 15) * 1000,
    host: 'web-1',
    unit: 'sshd.service',
    priority: 6,
    message: 'Accepted publickey for deploy',
    pid: 100,
    flags: 0,
    extra: null,
    templateId: 1,
    ...overrides,
  };
}

test('a new store is at the latest schema version, and reopening keeps the data', () => {
  const { store, dir } = tempStore();
  assert.equal(store.db.pragma('user_version', { simple: true }), migrations.length);
  assert.equal(store.db.pragma('journal_mode', { simple: true }), 'wal');
  assert.equal(store.db.pragma('page_size', { simple: true }), 8192);
  store.writeBatch({ sourceKey: 'push:', entries: [entry()], errors: [], resumeFrom: null });
  store.close();
  const reopened = Store.open(dir);
  assert.equal(reopened.entryCount(), 1);
  reopened.close();
});

test('a store made with 4 KB pages keeps them and opens as before', () => {
  const dir = mkdtempSync(join(tmpdir(), 'lookout-store-'));
  dirs.push(dir);
  const older = new Database(join(dir, DATABASE_FILE));
  older.pragma('journal_mode = WAL');
  older.exec('CREATE TABLE earlier (id INTEGER PRIMARY KEY)');
  older.close();
  const store = Store.open(dir);
  try {
    assert.equal(store.db.pragma('page_size', { simple: true }), 4096);
    store.writeBatch({ sourceKey: 'push:', entries: [entry()], errors: [], resumeFrom: null });
    assert.equal(store.entryCount(), 1);
  } finally {
    store.close();
  }
});

test('a store newer than this Lookout is refused with what to do', () => {
  const { store, dir } = tempStore();
  store.db.pragma(`user_version = ${migrations.length + 1}`);
  store.close();
  assert.throws(() => Store.open(dir), /newer than this Lookout knows.*upgrade Lookout/);
});

test('per-minute counts per (host, unit, priority), and raw entries with extra fields', () => {
  const { store } = tempStore();
  const minute = Date.UTC(2026, 0, 5, 9, 30) * 1000;
  store.writeBatch({
    sourceKey: 'push:',
    resumeFrom: null,
    errors: [],
    entries: [
      entry({ timeUs: minute + 1 }),
      entry({ timeUs: minute + 59_999_999 }),
      entry({ timeUs: minute + 60_000_000 }),
      entry({ priority: 3 }),
      entry({ priority: null, unit: 'cron.service', extra: { CODE_LINE: '12' } }),
    ],
  });
  store.writeBatch({
    sourceKey: 'push:',
    resumeFrom: null,
    errors: [],
    entries: [entry({ timeUs: minute + 5 })],
  });
  const rows = store.db
    .prepare(
      `SELECT s.host, s.unit, c.minute, c.priority, c.count FROM entry_counts c JOIN series s ON s.id = c.series_id
       ORDER BY s.unit, c.minute, c.priority`,
    )
    .all();
  const m = minute / 60_000_000;
  assert.deepEqual(rows, [
    { host: 'web-1', unit: 'cron.service', minute: m, priority: -1, count: 1 },
    { host: 'web-1', unit: 'sshd.service', minute: m, priority: 3, count: 1 },
    { host: 'web-1', unit: 'sshd.service', minute: m, priority: 6, count: 3 },
    { host: 'web-1', unit: 'sshd.service', minute: m + 1, priority: 6, count: 1 },
  ]);
  const cron = store.db.prepare('SELECT extra, priority FROM entries WHERE extra IS NOT NULL').get();
  assert.deepEqual(cron, { extra: '{"CODE_LINE":"12"}', priority: null });
});

test('the resume point moves in the same transaction as the data: a failed batch moves neither', () => {
  const { store } = tempStore();
  const key = 'http://agent:19531';
  store.writeBatch({ sourceKey: key, entries: [entry({ cursor: 'c1' })], errors: [], resumeFrom: 'c1' });
  store.db.exec(`CREATE TRIGGER fail_on_boom BEFORE INSERT ON entries WHEN NEW.message = 'boom'
    BEGIN SELECT RAISE(ABORT, 'disk on fire'); END`);
  assert.throws(
    () =>
      store.writeBatch({
        sourceKey: key,
        entries: [entry({ cursor: 'c2' }), entry({ cursor: 'c3', message: 'boom' })],
        errors: [],
        resumeFrom: 'c3',
      }),
    /disk on fire/,
  );
  const source = store.sources.get(key);
  assert.equal(source?.resumeFrom, 'c1');
  assert.equal(source?.entriesIngested, 1);
  assert.equal(store.entryCount(), 1);
  const counted = store.db.prepare('SELECT sum(count) AS n FROM entry_counts').get() as { n: number };
  assert.equal(counted.n, 1);
});

test('a batch of only rejected lines counts them and keeps the resume point', () => {
  const { store } = tempStore();
  store.writeBatch({ sourceKey: 'file:///x', entries: [entry()], errors: [], resumeFrom: 'lines=1;head=ab' });
  store.writeBatch({
    sourceKey: 'file:///x',
    entries: [],
    errors: [{ line: 2, error: 'bad' }],
    resumeFrom: null,
  });
  const source = store.sources.get('file:///x');
  assert.equal(source?.resumeFrom, 'lines=1;head=ab');
  assert.equal(source?.linesRejected, 1);
  assert.equal(source?.kind, 'import');
});

test('retention keeps at most maxEntries and drops entries older than maxAgeHours', () => {
  const dir = mkdtempSync(join(tmpdir(), 'lookout-store-'));
  dirs.push(dir);
  const store = Store.open(dir, { maxEntries: 5, maxAgeHours: 1 });
  const now = Date.UTC(2026, 0, 5, 12) * 1000;
  const entries = [
    ...Array.from({ length: 3 }, (_, i) =>
      entry({ timeUs: now - 2 * 3_600_000_000 + i, message: `old ${i}` }),
    ),
    ...Array.from({ length: 7 }, (_, i) => entry({ timeUs: now - 60_000_000 + i, message: `new ${i}` })),
  ];
  store.writeBatch({ sourceKey: 'push:', entries, errors: [], resumeFrom: null });
  assert.equal(store.prune(now / 1000), 5);
  const left = store.db.prepare('SELECT message FROM entries ORDER BY id').pluck().all();
  assert.deepEqual(left, ['new 2', 'new 3', 'new 4', 'new 5', 'new 6']);
  const counted = store.db.prepare('SELECT sum(count) AS n FROM entry_counts').get() as { n: number };
  assert.equal(counted.n, 10, 'counts are kept');
  store.close();
});

test('out-of-order timestamps are stored as they come and counted in their own minute', () => {
  const { store } = tempStore();
  const minute = Date.UTC(2026, 0, 5, 9, 30) * 1000;
  const times = [minute + 120_000_000, minute, minute + 60_000_000, minute - 60_000_000, minute + 1];
  store.writeBatch({
    sourceKey: 'push:',
    resumeFrom: null,
    errors: [],
    entries: times.map((timeUs, index) => entry({ timeUs, message: `m${index}` })),
  });
  const stored = store.db.prepare('SELECT time_us FROM entries ORDER BY id').pluck().all();
  assert.deepEqual(stored, times);
  const counts = store.db.prepare('SELECT minute, count FROM entry_counts ORDER BY minute').all();
  const m = minute / 60_000_000;
  assert.deepEqual(counts, [
    { minute: m - 1, count: 1 },
    { minute: m, count: 2 },
    { minute: m + 1, count: 1 },
    { minute: m + 2, count: 1 },
  ]);
});
