import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startTestLookout } from '../lookout-fixture.ts';

const TOKEN = 'test-admin-token';
const INGEST_TOKEN = 'test-ingest-token';

describe('POST /api/v1/ingest', () => {
  let lookout: Awaited<ReturnType<typeof startTestLookout>>;
  before(async () => {
    lookout = await startTestLookout({
      token: TOKEN,
      ingestToken: INGEST_TOKEN,
      maxIngestBytes: 4 * 1024 * 1024,
    });
  });
  after(() => lookout.stopAndClean());

  const push = (body: string | Buffer, token: string | null = INGEST_TOKEN, type = 'application/x-ndjson') =>
    fetch(`${lookout.url}/api/v1/ingest`, {
      method: 'POST',
      headers: { 'content-type': type, ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body,
    });
  const line = (fields: Record<string, unknown>) =>
    JSON.stringify({
      __REALTIME_TIMESTAMP: '1767600000000000',
      _HOSTNAME: 'web-1',
      _SYSTEMD_UNIT: 'app.service',
      ...fields,
    });

  test('stores valid entries and answers with the count', async () => {
    const response = await push([line({ MESSAGE: 'one' }), line({ MESSAGE: 'two' })].join('\n'));
    assert.equal(response.status, 200);
    assert.deepEqual(await response.json(), { accepted: 2, rejected: 0, errors: [] });
  });

  test('401 without a token or with a wrong one; 403 for a read with the ingest token', async () => {
    const before = lookout.store.entryCount();
    const missing = await push(line({ MESSAGE: 'x' }), null);
    assert.equal(missing.status, 401);
    assert.match(((await missing.json()) as { message: string }).message, /Authorization: Bearer/);
    assert.equal((await push(line({ MESSAGE: 'x' }), 'wrong')).status, 401);
    const read = await fetch(`${lookout.url}/api/v1/sources`, {
      headers: { authorization: `Bearer ${INGEST_TOKEN}` },
    });
    assert.equal(read.status, 403, 'the ingest token may not read');
    assert.equal(lookout.store.entryCount(), before, 'nothing stored');
  });

  test('the full-access token may push too', async () => {
    assert.equal((await push(line({ MESSAGE: 'admin push' }), TOKEN)).status, 200);
  });

  test('400 with per-line errors for bad lines, while the valid lines are stored', async () => {
    const before = lookout.store.entryCount();
    const body = [
      line({ MESSAGE: 'good 1' }),
      '{"MESSAGE": broken',
      '',
      '[1,2,3]',
      line({ MESSAGE: 'good 2' }),
    ].join('\n');
    const response = await push(body);
    assert.equal(response.status, 400);
    const result = (await response.json()) as {
      accepted: number;
      rejected: number;
      errors: { line: number; error: string }[];
      message: string;
    };
    assert.equal(result.accepted, 2);
    assert.equal(result.rejected, 2);
    assert.deepEqual(
      result.errors.map((error) => error.line),
      [2, 4],
    );
    assert.match(result.errors[0]?.error ?? '', /^invalid JSON/);
    assert.equal(result.errors[1]?.error, 'not a JSON object');
    assert.match(result.message, /2 valid entries were stored/);
    assert.equal(lookout.store.entryCount(), before + 2);
  });

  test('413 with a clear message for a body over the limit, and nothing stored', async () => {
    const before = lookout.store.entryCount();
    const big = Array.from({ length: 5000 }, (_, i) => line({ MESSAGE: `${i} ${'x'.repeat(1000)}` })).join(
      '\n',
    );
    const response = await push(big);
    assert.equal(response.status, 413);
    assert.match(
      ((await response.json()) as { message: string }).message,
      /over the 4194304 byte limit: send smaller batches/,
    );
    assert.equal(lookout.store.entryCount(), before);
  });

  test('415 for a body that is not NDJSON', async () => {
    const response = await push('<xml/>', INGEST_TOKEN, 'application/xml');
    assert.equal(response.status, 415);
    assert.match(((await response.json()) as { message: string }).message, /application\/x-ndjson/);
  });

  test('corner cases: binary MESSAGE, repeated fields, a 1 MiB message, unknown fields', async () => {
    const body = [
      line({ MESSAGE: [0xff, 0x41], SYSLOG_FACILITY: ['3', '4'], MY_APP_FIELD: 'kept' }),
      line({ MESSAGE: 'm'.repeat(1 << 20) }),
    ].join('\n');
    const response = await push(body);
    assert.equal(response.status, 200);
    const rows = lookout.store.db
      .prepare('SELECT length(message) AS length, flags, extra FROM entries WHERE flags != 0 ORDER BY id')
      .all();
    assert.deepEqual(rows, [
      { length: 2, flags: 1, extra: '{"MY_APP_FIELD":"kept"}' },
      { length: 65536, flags: 2, extra: null },
    ]);
  });

  test('the push source shows in /api/v1/sources', async () => {
    const response = await fetch(`${lookout.url}/api/v1/sources`, {
      headers: { authorization: `Bearer ${TOKEN}` },
    });
    assert.equal(response.status, 200);
    const { sources } = (await response.json()) as {
      sources: { url: string; kind: string; entries_ingested: number; cursor: null }[];
    };
    const pushSource = sources.find((source) => source.url === 'push:');
    assert.equal(pushSource?.kind, 'push');
    assert.equal(pushSource?.entries_ingested, lookout.store.entryCount());
    assert.equal(pushSource?.cursor, null);
  });
});

describe('server safety', () => {
  test('refuses to listen beyond loopback without an API token, and says why', async () => {
    await assert.rejects(
      startTestLookout({ host: '0.0.0.0' }),
      /refusing to listen on 0\.0\.0\.0 without an API token.*--token/,
    );
  });

  test('/health is open and reports readiness; unknown routes are 404 without stack traces', async () => {
    const lookout = await startTestLookout({ token: TOKEN });
    try {
      const health = await fetch(`${lookout.url}/health`);
      assert.equal(health.status, 200);
      assert.equal(((await health.json()) as { status: string }).status, 'ok');
      const missing = await fetch(`${lookout.url}/api/v1/nope`, {
        headers: { authorization: `Bearer ${TOKEN}` },
      });
      assert.equal(missing.status, 404);
      assert.doesNotMatch(await missing.text(), /at .*\.ts:\d+/);
      const unauthorised = await fetch(`${lookout.url}/api/v1/sources`);
      assert.equal(unauthorised.status, 401);
    } finally {
      await lookout.stopAndClean();
    }
  });
});
