// The Lookout JSON API on rows written into a real SQLite store: shapes, filters, pagination, limits,
// and feedback reaching the detector's handler.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import type { ApiOptions } from '../../src/api/server.ts';
import type { FeedbackRule } from '../../src/store/read/feedback-table.ts';
import { Store } from '../../src/store/store.ts';
import { apiOnStore } from './api-on-store.ts';
import { MINUTE_MS, StoreRows } from './store-rows.ts';

const T0 = 29_000_000;
const iso = (minute: number) => new Date((T0 + minute) * MINUTE_MS).toISOString();
const RANGE = `start=${iso(0)}&end=${iso(119)}`;

describe('Lookout JSON API', () => {
  let dir: string;
  let store: Store;
  let app: FastifyInstance;
  const applied: FeedbackRule[] = [];
  const reverted: FeedbackRule[] = [];
  let eventIds: number[];
  /** The API on the test's store, its miner holding two templates. */
  const api = (options: Pick<ApiOptions, 'feedbackHandler' | 'queryCacheBytes'>) =>
    apiOnStore(store, { minerStats: () => ({ templates: 2, evictions: 0, lines: 0 }), ...options });
  const get = async (url: string) => {
    const response = await app.inject({ method: 'GET', url });
    return { status: response.statusCode, body: response.json() as Record<string, unknown> };
  };

  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'lookout-json-api-'));
    store = Store.open(dir);
    const rows = new StoreRows(store.db);
    rows.template(
      1,
      'Accepted publickey for <*> from <*>',
      500,
      (T0 - 100) * MINUTE_MS,
      (T0 + 90) * MINUTE_MS,
    );
    rows.template(2, 'Failed password for <*> from <*>', 7, (T0 + 30) * MINUTE_MS, (T0 + 31) * MINUTE_MS);
    for (let minute = 0; minute < 120; minute++) {
      rows.score('web-1', 'ssh.service', T0 + minute, minute === 30 ? 0.97 : 0.1, 0.2, 0.05);
      rows.entries('web-1', 'ssh.service', T0 + minute, 2, { templateId: 1, score: 0.1 });
    }
    rows.entries('web-1', 'ssh.service', T0 + 30, 7, {
      templateId: 2,
      priority: 4,
      message: 'Failed password',
      score: 0.97,
    });
    rows.entries('web-1', 'cron.service', T0 + 5, 1, { templateId: 1 });
    rows.entries('db-1', 'postgresql.service', T0 + 5, 3, { templateId: 1 });
    const templates = [{ id: 2, template: 'Failed password for <*> from <*>', count: 7 }];
    eventIds = [
      rows.event('web-1', 'ssh.service', T0 + 30, 2, 0.97, ['new-template', 'burst'], { templates }),
      rows.event('web-1', 'cron.service', T0 + 60, 1, 0.6, ['silence']),
      rows.event('db-1', 'postgresql.service', T0 + 90, 1, 0.8, ['burst'], { status: 'open' }),
    ];
    app = api({
      feedbackHandler: { apply: (rule) => applied.push(rule), revert: (rule) => reverted.push(rule) },
    });
  });
  after(async () => {
    await app.close();
    store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  test('hosts and units with their entries in the range, paginated', async () => {
    assert.deepEqual((await get(`/api/v1/hosts?${RANGE}`)).body, {
      total: 2,
      hosts: [
        { host: 'db-1', units: 1, entries: 3 },
        { host: 'web-1', units: 2, entries: 248 },
      ],
    });
    assert.deepEqual((await get(`/api/v1/units?host=web-1&${RANGE}&limit=1&offset=1`)).body, {
      total: 2,
      units: [{ host: 'web-1', unit: 'ssh.service', entries: 247 }],
    });
  });

  test('templates: counted on a unit in the range, searched, with first and last seen', async () => {
    const { body } = await get(
      `/api/v1/templates?host=web-1&unit=ssh.service&start=${iso(30)}&end=${iso(30)}`,
    );
    assert.deepEqual(body, {
      total: 2,
      templates: [
        {
          id: 2,
          template: 'Failed password for <*> from <*>',
          count: 7,
          first_seen: iso(30),
          last_seen: iso(31),
          evicted: false,
        },
        {
          id: 1,
          template: 'Accepted publickey for <*> from <*>',
          count: 2,
          first_seen: iso(-100),
          last_seen: iso(90),
          evicted: false,
        },
      ],
    });
    const searched = await get(`/api/v1/templates?search=FAILED&${RANGE}`);
    assert.deepEqual(
      (searched.body.templates as { id: number }[]).map((template) => template.id),
      [2],
    );
  });

  test('score series: the highest score of each step, null without any', async () => {
    const { status, body } = await get(
      `/api/v1/series/scores?host=web-1&start=${iso(0)}&end=${iso(59)}&step=30m`,
    );
    assert.equal(status, 200);
    assert.deepEqual(body.times, [iso(0), iso(30)]);
    assert.equal(body.step_seconds, 1800);
    assert.deepEqual(body.series, [
      {
        host: 'web-1',
        unit: 'cron.service',
        score: [null, null],
        entry_score: [null, null],
        count_score: [null, null],
      },
      {
        host: 'web-1',
        unit: 'ssh.service',
        score: [0.1, 0.97],
        entry_score: [0.2, 0.2],
        count_score: [0.05, 0.05],
      },
    ]);
  });

  test('count series, of all templates or one', async () => {
    const all = await get(
      `/api/v1/series/counts?host=web-1&unit=ssh.service&start=${iso(0)}&end=${iso(59)}&step=30m`,
    );
    assert.deepEqual((all.body.series as { counts: number[] }[])[0]?.counts, [60, 67]);
    const one = await get(
      `/api/v1/series/counts?host=web-1&unit=ssh.service&template_id=2&start=${iso(0)}&end=${iso(59)}&step=30m`,
    );
    assert.deepEqual(one.body.series, [
      { host: 'web-1', unit: 'ssh.service', template_id: 2, counts: [0, 7] },
    ]);
  });

  test('events: newest first, filtered, a page at a time with a cursor', async () => {
    const first = await get(`/api/v1/events?${RANGE}&limit=2`);
    const events = first.body.events as { id: number; reasons: string[]; samples: { time: string }[] }[];
    assert.deepEqual(
      events.map((event) => event.id),
      [eventIds[2], eventIds[1]],
    );
    assert.equal(typeof first.body.next, 'string');
    const second = await get(`/api/v1/events?${RANGE}&limit=2&cursor=${first.body.next as string}`);
    assert.deepEqual(
      (second.body.events as { id: number }[]).map((event) => event.id),
      [eventIds[0]],
    );
    assert.equal(second.body.next, null);
    const filtered = await get(`/api/v1/events?${RANGE}&host=web-1&min_score=0.9`);
    const [event] = filtered.body.events as Record<string, unknown>[];
    assert.deepEqual(
      { ...event, id: undefined },
      {
        id: undefined,
        host: 'web-1',
        unit: 'ssh.service',
        start: iso(30),
        end: iso(32),
        score: 0.97,
        reasons: ['new-template', 'burst'],
        templates: [{ id: 2, template: 'Failed password for <*> from <*>', count: 7 }],
        samples: [{ time: iso(30), message: 'sample line' }],
        minutes: 2,
        status: 'closed',
        acknowledged: null,
      },
    );
    assert.equal((await get(`/api/v1/events?${RANGE}&status=open`)).body.events instanceof Array, true);
    assert.equal((await get('/api/v1/events/99999')).status, 404);
    assert.equal((await get('/api/v1/events?cursor=nonsense')).status, 400);
  });

  test('entries around a moment, and over a range a page at a time, with scores and templates', async () => {
    const around = await get(`/api/v1/entries?host=web-1&unit=ssh.service&around=${iso(30)}&limit=4`);
    const entries = around.body.entries as {
      time: string;
      score: number;
      template: string;
      priority: number;
    }[];
    assert.equal(entries.length, 4);
    assert.deepEqual(
      entries.map((entry) => entry.time),
      [iso(29), new Date((T0 + 29.5) * MINUTE_MS).toISOString(), iso(30), iso(30)],
    );
    assert.deepEqual(entries[3], {
      ...entries[3],
      score: 0.97,
      template: 'Failed password for <*> from <*>',
    });
    const minute5 = `start=${iso(5)}&end=${new Date((T0 + 5) * MINUTE_MS + 59_000).toISOString()}`;
    const page = await get(`/api/v1/entries?${minute5}&limit=3`);
    const seriesOf = (body: Record<string, unknown>) =>
      (body.entries as { host: string; unit: string }[]).map((entry) => `${entry.host}/${entry.unit}`);
    assert.deepEqual(seriesOf(page.body), [
      'web-1/ssh.service',
      'web-1/cron.service',
      'db-1/postgresql.service',
    ]);
    const rest = await get(`/api/v1/entries?${minute5}&limit=3&cursor=${page.body.next as string}`);
    assert.deepEqual(seriesOf(rest.body), [
      'db-1/postgresql.service',
      'web-1/ssh.service',
      'db-1/postgresql.service',
    ]);
    assert.equal(rest.body.next, null);
  });

  test('feedback: acknowledge and mark normal, reaching the handler; list; revert', async () => {
    const eventId = eventIds[0] as number;
    const post = (body: object) =>
      app.inject({ method: 'POST', url: `/api/v1/events/${eventId}/feedback`, payload: body });
    const acknowledged = await post({ action: 'acknowledge', note: 'known deploy' });
    assert.equal(acknowledged.statusCode, 201, acknowledged.body);
    assert.match((await get(`/api/v1/events/${eventId}`)).body.acknowledged as string, /^\d{4}-\d\d-\d\dT/);
    const normal = await post({ action: 'normal', scope: 'everywhere' });
    const [rule] = (normal.json() as { rules: Record<string, unknown>[] }).rules;
    assert.deepEqual(
      { ...rule, id: undefined, created: undefined },
      {
        id: undefined,
        created: undefined,
        event_id: eventId,
        action: 'normal',
        template_id: 2,
        host: null,
        unit: null,
        note: null,
        reverted: null,
      },
    );
    assert.deepEqual(
      applied.map((applied) => [applied.action, applied.templateId, applied.host]),
      [
        ['acknowledge', null, 'web-1'],
        ['normal', 2, null],
      ],
    );
    assert.equal((await post({ action: 'normal', scope: 'nowhere' })).statusCode, 400);
    const listed = await get('/api/v1/feedback?active=true');
    assert.equal(listed.body.total, 2);
    const event = await get(`/api/v1/events/${eventId}`);
    assert.equal((event.body.feedback as unknown[]).length, 2);

    const ackId = (acknowledged.json() as { rules: { id: number }[] }).rules[0]?.id;
    const revert = await app.inject({ method: 'DELETE', url: `/api/v1/feedback/${ackId}` });
    assert.equal(revert.statusCode, 200);
    assert.match((revert.json() as { reverted: string }).reverted, /^\d{4}-/);
    assert.deepEqual(
      reverted.map((rule) => rule.id),
      [ackId],
    );
    assert.equal((await get(`/api/v1/events/${eventId}`)).body.acknowledged, null);
    assert.equal((await get('/api/v1/feedback?active=true')).body.total, 1);
    assert.equal((await app.inject({ method: 'DELETE', url: '/api/v1/feedback/424242' })).statusCode, 404);
  });

  test('limits: a range over 31 days, too many points, a bad time; all 400 with what to change', async () => {
    const long = await get(`/api/v1/events?start=2025-01-01T00:00:00Z&end=2025-03-01T00:00:00Z`);
    assert.equal(long.status, 400);
    assert.match(
      long.body.message as string,
      /59 days, more than the 31 days one request may read: shorten it/,
    );
    const points = await get(
      `/api/v1/series/scores?start=2025-01-01T00:00:00Z&end=2025-01-31T00:00:00Z&step=1m`,
    );
    assert.match(points.body.message as string, /43201 points per series.*larger "step"/);
    const bad = await get('/api/v1/hosts?start=yesterday');
    assert.equal(bad.status, 400);
    assert.match(bad.body.message as string, /invalid "start": cannot parse "yesterday"/);
    const tooMany = await get('/api/v1/events?limit=5000');
    assert.equal(tooMany.status, 400);
    assert.match(tooMany.body.message as string, /limit must be <= 1000/);
  });

  test('the query cache stays within the budget it is given', async () => {
    const cacheBytes = async (api: FastifyInstance) => {
      const exposition = (await api.inject({ method: 'GET', url: '/metrics' })).body;
      return [...exposition.matchAll(/^lookout_query_cache_bytes\{table="[^"]+"\} (\d+)$/gm)].reduce(
        (sum, [, bytes]) => sum + Number(bytes),
        0,
      );
    };
    const query = `/prometheus/api/v1/query_range?query=lookout_anomaly_score&${RANGE}&step=60`;
    const small = api({ queryCacheBytes: 1000 });
    try {
      const answer = (api: FastifyInstance) => api.inject({ method: 'GET', url: query });
      assert.equal((await answer(small)).body, (await answer(app)).body);
      const [used, roomy] = [await cacheBytes(small), await cacheBytes(app)];
      assert.ok(used > 0 && used <= 1000 && roomy > 1000, `${used} of 1000 (${roomy} without a budget)`);
    } finally {
      await small.close();
    }
  });
});
