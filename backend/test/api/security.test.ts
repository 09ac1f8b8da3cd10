// Tokens and scopes on every API, CORS, request size limits, error bodies without internals, the
// request latency histogram, and the OpenAPI docs.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { missingTool } from '../../../test/support/system-tools.ts';
import { Store } from '../../src/store/store.ts';
import { startTestLookout } from '../lookout-fixture.ts';
import { StoreRows } from './store-rows.ts';
import { apiOnStore } from './api-on-store.ts';

const FULL = 'full-token';
const READ = 'read-token';
const INGEST = 'ingest-token';

const READ_ROUTES = [
  '/api/v1/hosts',
  '/api/v1/units',
  '/api/v1/templates',
  '/api/v1/series/scores',
  '/api/v1/series/counts',
  '/api/v1/events',
  '/api/v1/entries',
  '/api/v1/feedback',
  '/api/v1/sources',
  '/metrics',
  '/prometheus/api/v1/query?query=1',
  '/prometheus/api/v1/query_range?query=1&start=0&end=60&step=15',
  '/prometheus/api/v1/labels',
  '/prometheus/api/v1/label/host/values',
  '/prometheus/api/v1/series?match[]=up',
  '/prometheus/api/v1/metadata',
  '/prometheus/api/v1/status/buildinfo',
];

describe('with full, read-only and ingest tokens', () => {
  let lookout: Awaited<ReturnType<typeof startTestLookout>>;
  let eventId: number;
  const call = (path: string, token?: string, init: RequestInit = {}) =>
    fetch(`${lookout.url}${path}`, {
      ...init,
      headers: {
        ...(init.headers as Record<string, string>),
        ...(token ? { authorization: `Bearer ${token}` } : {}),
      },
    });
  const feedback = (token?: string) =>
    call(`/api/v1/events/${eventId}/feedback`, token, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ action: 'acknowledge' }),
    });

  before(async () => {
    lookout = await startTestLookout({ token: FULL, readToken: READ, ingestToken: INGEST });
    eventId = new StoreRows(lookout.store.db).event('h', 'u.service', 29_000_000, 1, 0.9, ['burst']);
  });
  after(() => lookout.stopAndClean());

  test('every read route: 401 without a token or with a wrong one, 403 with the ingest token, 200 with read or full', async () => {
    for (const route of READ_ROUTES) {
      assert.equal((await call(route)).status, 401, `${route} without a token`);
      assert.equal((await call(route, 'wrong')).status, 401, `${route} with a wrong token`);
      const forbidden = await call(route, INGEST);
      assert.equal(forbidden.status, 403, `${route} with the ingest token`);
      assert.match(forbidden.headers.get('www-authenticate') ?? '', /insufficient_scope/);
      assert.equal((await call(route, READ)).status, 200, `${route} with the read token`);
      assert.equal((await call(route, FULL)).status, 200, `${route} with the full token`);
    }
  });

  test('feedback needs the full token; the read-only token gets 403 with what it lacks', async () => {
    assert.equal((await feedback()).status, 401);
    const readOnly = await feedback(READ);
    assert.equal(readOnly.status, 403);
    assert.match(((await readOnly.json()) as { message: string }).message, /read-only token.*full --token/);
    assert.equal((await feedback(FULL)).status, 201);
    assert.equal((await call('/api/v1/feedback/1', READ, { method: 'DELETE' })).status, 403);
  });

  test('pushing entries: the read-only token gets 403', async () => {
    const push = await call('/api/v1/ingest', READ, {
      method: 'POST',
      headers: { 'content-type': 'application/x-ndjson' },
      body: '{"MESSAGE":"x"}',
    });
    assert.equal(push.status, 403);
  });

  test('health and the API docs are open; the docs list every route from its schema', async () => {
    assert.equal((await call('/health')).status, 200);
    assert.match(await (await call('/docs')).text(), /Swagger UI/);
    const spec = (await (await call('/docs/json')).json()) as { paths: Record<string, unknown> };
    for (const path of [
      '/api/v1/events/{id}/feedback',
      '/prometheus/api/v1/query_range',
      '/api/v1/series/scores',
    ]) {
      assert.ok(spec.paths[path], `${path} documented`);
    }
  });

  test('no CORS headers unless --cors-origin is set', async () => {
    const response = await call('/api/v1/hosts', READ, { headers: { origin: 'https://evil.example' } });
    assert.equal(response.headers.get('access-control-allow-origin'), null);
  });
});

describe('CORS for one origin', () => {
  test('allows that origin, with a preflight that needs no token', async () => {
    const lookout = await startTestLookout({ token: FULL, corsOrigin: 'https://grafana.example' });
    try {
      const preflight = await fetch(`${lookout.url}/api/v1/events`, {
        method: 'OPTIONS',
        headers: {
          origin: 'https://grafana.example',
          'access-control-request-method': 'GET',
          'access-control-request-headers': 'authorization',
        },
      });
      assert.equal(preflight.status, 204);
      assert.equal(preflight.headers.get('access-control-allow-origin'), 'https://grafana.example');
      const other = await fetch(`${lookout.url}/api/v1/events`, {
        headers: { origin: 'https://other.example', authorization: `Bearer ${FULL}` },
      });
      assert.notEqual(other.headers.get('access-control-allow-origin'), 'https://other.example');
    } finally {
      await lookout.stopAndClean();
    }
  });
});

describe('without tokens (loopback only)', () => {
  let dir: string;
  let store: Store;
  let app: ReturnType<typeof apiOnStore>;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'lookout-security-'));
    store = Store.open(dir);
    app = apiOnStore(store);
  });
  after(async () => {
    await app.close();
    store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  test("bodies over the limit: 413 with the limit, in each API's error shape", async () => {
    const big = 'x'.repeat((1 << 20) + 1);
    const feedback = await app.inject({
      method: 'POST',
      url: '/api/v1/events/1/feedback',
      headers: { 'content-type': 'application/json' },
      payload: `{"action":"acknowledge","note":"${big}"}`,
    });
    assert.equal(feedback.statusCode, 413);
    assert.match(feedback.json<{ message: string }>().message, /over the 1048576 byte limit/);
    const query = await app.inject({
      method: 'POST',
      url: '/prometheus/api/v1/query',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: `query=${big}`,
    });
    assert.equal(query.statusCode, 413);
    assert.equal(query.json<{ status: string; errorType: string }>().errorType, 'bad_data');
  });

  test('request latency histogram by route and code, valid for promtool', async () => {
    await app.inject('/api/v1/events/12345');
    await app.inject('/no/such/route');
    const text = (await app.inject('/metrics')).body;
    assert.match(
      text,
      /^lookout_http_request_duration_seconds_count\{route="\/api\/v1\/events\/:id",code="404"\} 1$/m,
    );
    assert.match(
      text,
      /^lookout_http_request_duration_seconds_bucket\{route="unmatched",code="404",le="\+Inf"\} 1$/m,
    );
    if (missingTool('prometheus', 'promtool') !== false) return;
    const child = spawn('promtool', ['check', 'metrics'], { stdio: ['pipe', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stdin.end(text);
    const code = await new Promise((resolve) => child.on('close', resolve));
    assert.equal(code, 0, output);
  });

  test('a failure inside says no more than that: no stack, no SQL', async () => {
    store.db.close();
    const response = await app.inject('/api/v1/hosts');
    assert.equal(response.statusCode, 500);
    assert.deepEqual(response.json(), {
      error: 'Internal Server Error',
      message: 'internal error; see the Lookout log for details',
    });
    const query = await app.inject('/prometheus/api/v1/query?query=lookout_anomaly_score');
    assert.equal(query.statusCode, 500);
    assert.deepEqual(query.json(), {
      status: 'error',
      errorType: 'internal',
      error: 'internal error; see the Lookout log for details',
    });
  });
});
