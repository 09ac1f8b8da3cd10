// Log files uploaded for analysis over a real loopback socket, analysed on a real worker thread: the
// events, the CSV of every entry, the upload limit, tokens, and how long results are kept.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { workerAnalyses } from '../../src/app/analyses.ts';
import { Store } from '../../src/store/store.ts';
import { syslogDay } from '../cli/syslog-day.ts';
import { apiOnStore } from './api-on-store.ts';

const MAX_UPLOAD_BYTES = 2 * 1024 * 1024;
const KEEP = 2;

describe('POST /api/v1/analyses', () => {
  const dir = mkdtempSync(join(tmpdir(), 'lookout-analyses-'));
  const analysesDir = join(dir, 'analyses');
  const day = syslogDay();
  let store: Store;
  let app: FastifyInstance;
  let base: string;

  before(async () => {
    store = Store.open(dir);
    // A crash left an upload behind: the routes clear it when they start.
    mkdirSync(analysesDir);
    writeFileSync(join(analysesDir, 'stale.upload'), 'x');
    app = apiOnStore(store, {
      auth: { token: 'admin', readToken: 'reader', ingestToken: 'shipper' },
      analyses: {
        runner: workerAnalyses,
        dir: analysesDir,
        maxUploadBytes: MAX_UPLOAD_BYTES,
        keep: KEEP,
        maxRunning: 1,
      },
    });
    base = await app.listen({ host: '127.0.0.1', port: 0 });
  });
  after(async () => {
    await app.close();
    store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const upload = (
    body: string | ReadableStream<Uint8Array>,
    query = 'year=2026',
    token = 'reader',
    type = 'text/plain',
  ) =>
    fetch(`${base}/api/v1/analyses?${query}`, {
      method: 'POST',
      body,
      headers: { authorization: `Bearer ${token}`, 'content-type': type },
      duplex: 'half',
    } as RequestInit);
  const get = (path: string, token = 'reader') =>
    fetch(`${base}${path}`, { headers: { authorization: `Bearer ${token}` } });

  interface Analysis {
    id: string;
    csv: string;
    format: string;
    entries: number;
    alerting: number;
    warmupEnd: string;
    events: { start: string; alert: boolean; samples: { message: string }[] }[];
  }

  test('finds the two incidents of a day of syslog, as `lookout analyze` does, and keeps every entry as CSV', async () => {
    const response = await upload(day);
    assert.equal(response.status, 200, await response.clone().text());
    const analysis = (await response.json()) as Analysis;
    const lines = day.trim().split('\n');
    assert.equal(analysis.format, 'plain');
    assert.equal(analysis.entries, lines.length);
    assert.equal(analysis.alerting, 2);
    assert.equal(analysis.events.length, 2);
    const messages = analysis.events.flatMap((event) => event.samples.map((sample) => sample.message));
    assert.ok(messages.some((message) => message.startsWith('Out of memory: Killed process 4242')));
    assert.ok(messages.some((message) => message.includes('203.0.113.66')));
    for (const event of analysis.events) assert.ok(event.start >= analysis.warmupEnd);

    const csv = await get(analysis.csv);
    assert.equal(csv.status, 200);
    assert.match(csv.headers.get('content-type') ?? '', /^text\/csv/);
    assert.match(csv.headers.get('content-disposition') ?? '', /attachment; filename="lookout-analysis-/);
    const rows = (await csv.text()).trim().split('\n');
    assert.equal(rows[0], 'line,time,host,unit,priority,template_id,template,score,alert,reasons,message');
    assert.equal(rows.length, lines.length + 1);
    const oom = rows.find((row) => row.includes('Out of memory'));
    assert.ok(oom?.split(',').includes('1'), `the OOM kill's row says it alerts: ${oom}`);

    const again = await get(`/api/v1/analyses/${analysis.id}`);
    assert.deepEqual(await again.json(), analysis);
  });

  test('streams an upload of unknown length and stops it past the limit with 413, keeping nothing', async () => {
    const chunk = new TextEncoder().encode(`${'x'.repeat(1023)}\n`);
    let sent = 0;
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent > 2 * MAX_UPLOAD_BYTES) controller.close();
        else {
          sent += chunk.length;
          controller.enqueue(chunk);
        }
      },
    });
    const before = readdirSync(analysesDir).length;
    const response = await upload(body, 'format=plain');
    assert.equal(response.status, 413);
    const error = (await response.json()) as { message: string };
    assert.match(error.message, /over the 2097152 byte limit.*--max-upload-bytes/);
    assert.equal(readdirSync(analysesDir).length, before);
    assert.ok(!readdirSync(analysesDir).some((name) => name.endsWith('.upload')));
  });

  test('answers 413 at once for a declared length over the limit', async () => {
    const response = await fetch(`${base}/api/v1/analyses`, {
      method: 'POST',
      body: 'x'.repeat(MAX_UPLOAD_BYTES + 1),
      headers: { authorization: 'Bearer reader' },
    });
    assert.equal(response.status, 413);
  });

  test('reads journald JSON too, and names the lines it could not read', async () => {
    const entry = (second: number, message: string) =>
      JSON.stringify({
        __REALTIME_TIMESTAMP: String(Date.UTC(2026, 0, 1, 0, 0, second) * 1000),
        _HOSTNAME: 'db-1',
        _SYSTEMD_UNIT: 'postgresql.service',
        PRIORITY: '6',
        MESSAGE: message,
      });
    const body = [entry(1, 'checkpoint starting: time'), '{not json', entry(2, 'checkpoint complete')].join(
      '\n',
    );
    const response = await upload(body, 'all=true', 'reader', 'application/x-ndjson');
    assert.equal(response.status, 200);
    const analysis = (await response.json()) as Analysis & {
      rejected: number;
      errors: { line: number }[];
    };
    assert.equal(analysis.format, 'journald');
    assert.equal(analysis.entries, 2);
    assert.equal(analysis.rejected, 1);
    assert.deepEqual(
      analysis.errors.map((error) => error.line),
      [2],
    );
  });

  test('keeps the last analyses only, and says so for older ones', async () => {
    const ids: string[] = [];
    for (let index = 0; index < KEEP + 1; index++) {
      const response = await upload(`Jan  1 00:00:0${index} host app: run ${index}\n`);
      ids.push(((await response.json()) as Analysis).id);
    }
    const oldest = await get(`/api/v1/analyses/${ids[0]}/csv`);
    assert.equal(oldest.status, 404);
    assert.match(((await oldest.json()) as { message: string }).message, /only the last 2 analyses are kept/);
    assert.equal((await get(`/api/v1/analyses/${ids[KEEP]}/csv`)).status, 200);
    assert.equal(readdirSync(analysesDir).filter((name) => name.endsWith('.json')).length, KEEP);
  });

  test('clears uploads that a stopped process left behind', () => {
    assert.ok(!readdirSync(analysesDir).includes('stale.upload'));
  });

  test('runs as many analyses at once as it may, and refuses more with 429 until one is done', async () => {
    const [first, second] = await Promise.all([upload(day), upload(day)]);
    const statuses = [first.status, second.status].sort();
    assert.deepEqual(statuses, [200, 429]);
    const refused = first.status === 429 ? first : second;
    assert.equal(refused.headers.get('retry-after'), '10');
    assert.match(((await refused.json()) as { message: string }).message, /send the file again/);
    assert.equal((await upload(day)).status, 200, 'once the first is done, the next runs');
  });

  test('needs a token that may read; bad parameters and ids are 400', async () => {
    assert.equal((await upload(day, 'year=2026', 'shipper')).status, 403);
    const anonymous = await fetch(`${base}/api/v1/analyses`, { method: 'POST', body: 'x' });
    assert.equal(anonymous.status, 401);
    const bad = await upload('x', 'contamination=2');
    assert.equal(bad.status, 400);
    assert.match(((await bad.json()) as { message: string }).message, /contamination must be < 1/);
    assert.equal((await get('/api/v1/analyses/..%2F..%2Flookout.db/csv')).status, 400);
  });
});
