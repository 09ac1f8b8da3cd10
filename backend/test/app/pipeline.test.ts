import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import Database from 'better-sqlite3';
import { IngestPipeline } from '../../src/app/pipeline.ts';
import type { JournalEntry } from '../../src/journal/entry.ts';
import { TemplateMiner } from '../../src/mining/miner.ts';
import { DATABASE_FILE } from '../../src/store/database.ts';
import { migrations } from '../../src/store/migrations.ts';
import { Store } from '../../src/store/store.ts';

const dirs: string[] = [];
after(() => dirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));
const quiet = { warn: () => {} };

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'lookout-pipeline-'));
  dirs.push(dir);
  return dir;
}

const BASE_US = Date.UTC(2026, 0, 5, 9, 0) * 1000;
function entry(message: string, minute = 0, unit = 'sshd.service'): JournalEntry {
  return {
    cursor: null,
    timeUs: BASE_US + minute * 60_000_000 + 1,
    host: 'web-1',
    unit,
    priority: 6,
    message,
    pid: null,
    flags: 0,
    extra: null,
  };
}

function write(pipeline: IngestPipeline, entries: JournalEntry[]): void {
  pipeline.write({ sourceKey: 'push:', entries, errors: [], resumeFrom: null });
}

test('every stored entry carries its template id, and template counts are kept per minute', () => {
  const store = Store.open(tempDir());
  const pipeline = new IngestPipeline(store, { log: quiet });
  write(pipeline, [
    entry('Failed password for root from 10.0.0.1 port 2201 ssh2', 0),
    entry('Failed password for admin from 10.0.0.2 port 2202 ssh2', 0),
    entry('Failed password for root from 10.0.0.3 port 2203 ssh2', 1),
    entry('Accepted publickey for deploy from 10.0.0.9 port 50000 ssh2', 1),
  ]);
  const ids = store.db.prepare('SELECT template_id FROM entries ORDER BY id').pluck().all() as number[];
  assert.equal(new Set(ids).size, 2);
  assert.equal(ids[0], ids[1]);
  assert.equal(ids[0], ids[2]);
  const templates = store.db.prepare('SELECT id, template, count FROM templates ORDER BY id').all() as {
    id: number;
    template: string;
    count: number;
  }[];
  assert.equal(templates.length, 2);
  assert.match(templates[0]?.template ?? '', /^Failed password for <\*> from <\*> port <\*> ssh2$/);
  assert.equal(templates[0]?.count, 3);
  const perMinute = store.db
    .prepare(
      'SELECT minute, template_id AS template, count FROM template_counts ORDER BY minute, template_id',
    )
    .all();
  const minute = BASE_US / 60_000_000;
  assert.deepEqual(perMinute, [
    { minute, template: ids[0], count: 2 },
    { minute: minute + 1, template: ids[0], count: 1 },
    { minute: minute + 1, template: ids[3], count: 1 },
  ]);
  store.close();
});

test('template ids mean the same after a restart: the miner continues from the store', () => {
  const dir = tempDir();
  const lines = [
    'Started Session 12 of User deploy.',
    'Connection closed by 10.1.2.3 port 4455 [preauth]',
    'nginx: worker process 812 exited on signal 9',
  ];
  const first = Store.open(dir);
  const firstPipeline = new IngestPipeline(first, { log: quiet });
  write(
    firstPipeline,
    lines.map((line) => entry(line)),
  );
  const before = first.db.prepare('SELECT template_id FROM entries ORDER BY id').pluck().all();
  first.close();

  const second = Store.open(dir);
  const secondPipeline = new IngestPipeline(second, { log: quiet });
  write(secondPipeline, [
    entry('nginx: worker process 913 exited on signal 9', 5),
    entry('Started Session 99 of User backup.', 5),
    entry('A brand new kind of line appears here', 5),
  ]);
  const after = second.db.prepare('SELECT template_id FROM entries ORDER BY id').pluck().all() as number[];
  assert.deepEqual(after.slice(0, 3), before);
  assert.equal(after[3], before[2]);
  assert.equal(after[4], before[0]);
  assert.ok((after[5] ?? 0) > Math.max(...(before as number[])), 'a new template gets a new id');
  second.close();
});

test('evicted templates are marked, not reused, and the restored miner stays within its limit', () => {
  const dir = tempDir();
  const store = Store.open(dir);
  const pipeline = new IngestPipeline(store, { log: quiet, miner: new TemplateMiner({ maxTemplates: 3 }) });
  const shapes = [
    'alpha one two',
    'beta three four five',
    'gamma six',
    'delta seven eight nine ten',
    'epsilon',
  ];
  write(
    pipeline,
    shapes.map((shape, index) => entry(shape, index)),
  );
  const rows = store.db.prepare('SELECT id, evicted FROM templates ORDER BY id').all() as {
    id: number;
    evicted: number;
  }[];
  assert.deepEqual(
    rows.map((row) => row.evicted),
    [1, 1, 0, 0, 0],
  );
  store.close();

  const reopened = Store.open(dir);
  const restored = new IngestPipeline(reopened, { log: quiet, miner: undefined });
  assert.equal(restored.miner.stats.templates, 3);
  write(restored, [entry('zeta is new', 10)]);
  const newest = reopened.db.prepare('SELECT max(template_id) FROM entries').pluck().get();
  assert.equal(newest, 6, 'ids of evicted templates are never handed out again');
  reopened.close();
});

test('a store made by schema version 1 is upgraded in place, its data kept', () => {
  const dir = tempDir();
  const old = new Database(join(dir, DATABASE_FILE));
  old.exec(migrations[0] ?? '');
  old.pragma('user_version = 1');
  old.exec(`INSERT INTO series (id, host, unit) VALUES (1, 'old-host', 'cron.service');
    INSERT INTO sources (id, key, kind, resume_from) VALUES (1, 'http://old:19531', 'pull', 'cursor-1');
    INSERT INTO entries (time_us, series_id, source_id, priority, pid, flags, message) VALUES (1, 1, 1, 6, NULL, 0, 'kept');`);
  old.close();

  const store = Store.open(dir);
  assert.equal(store.db.pragma('user_version', { simple: true }), migrations.length);
  assert.equal(store.sources.get('http://old:19531')?.resumeFrom, 'cursor-1');
  assert.deepEqual(store.db.prepare('SELECT message, template_id AS templateId FROM entries').get(), {
    message: 'kept',
    templateId: null,
  });
  write(new IngestPipeline(store, { log: quiet }), [entry('after the upgrade')]);
  assert.equal(store.entryCount(), 2);
  store.close();
});
