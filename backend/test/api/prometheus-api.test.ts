// The Prometheus-compatible API of a running backend, through the requests its real clients make:
// promtool (Debian "prometheus"), and the request shapes of Grafana's Prometheus datasource.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { after, before, describe, test } from 'node:test';
import { missingTool } from '../../../test/support/system-tools.ts';
import type { Store } from '../../src/store/store.ts';
import { startTestLookout } from '../lookout-fixture.ts';
import { MINUTE_MS, StoreRows } from './store-rows.ts';

// A fixed past hour: every expectation below is computed from these rows.
const T0 = 29_000_000;
const seconds = (minute: number) => String(((T0 + minute) * MINUTE_MS) / 1000);
const SCORES: Record<string, number[]> = {
  'web-1/ssh.service': Array.from({ length: 60 }, (_, m) => Math.round(((m * 37) % 100) * 10) / 1000),
  'web-2/ssh.service': Array.from({ length: 60 }, (_, m) => (m % 10 === 0 ? 0.95 : 0.125)),
  'db-1/postgresql.service': Array.from({ length: 60 }, () => 0.5),
};

interface Sample {
  metric: Record<string, string>;
  value?: [number, string];
  values?: [number, string][];
}

describe('Prometheus-compatible API on the store', () => {
  let lookout: Awaited<ReturnType<typeof startTestLookout>>;
  let base: string;
  const form = (path: string, body: Record<string, string>) =>
    fetch(`${base}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
      body: new URLSearchParams(body).toString(),
    });
  const json = async (response: Response) => {
    const body = (await response.json()) as {
      status: string;
      data: unknown;
      errorType?: string;
      error?: string;
    };
    return { status: response.status, body };
  };

  const fill = (store: Store) => {
    const rows = new StoreRows(store.db);
    for (const [key, scores] of Object.entries(SCORES)) {
      const [host = '', unit = ''] = key.split('/');
      scores.forEach((score, minute) => rows.score(host, unit, T0 + minute, score));
      for (let minute = 0; minute < 60; minute++) {
        rows.counts(host, unit, T0 + minute, 6, 10 + (minute % 5));
        if (minute % 7 === 0) rows.counts(host, unit, T0 + minute, 3, 2);
      }
    }
  };

  before(async () => {
    lookout = await startTestLookout();
    base = `${lookout.url}/prometheus`;
    fill(lookout.store);
  });
  after(() => lookout.stopAndClean());

  describe("request shapes copied from Grafana's Prometheus datasource (Grafana itself cannot run here)", () => {
    test('"Save & test": POST form query=1+1, then GET buildinfo', async () => {
      const query = await json(await form('/api/v1/query', { query: '1+1', time: '1735689600' }));
      assert.equal(query.status, 200);
      assert.deepEqual(query.body, {
        status: 'success',
        data: { resultType: 'scalar', result: [1735689600, '2'] },
      });
      const info = await json(await fetch(`${base}/api/v1/status/buildinfo`));
      assert.equal(info.status, 200);
      assert.match((info.body.data as { version: string }).version, /^3\./);
    });

    test('"Save & test" with httpMethod GET', async () => {
      const query = await json(await fetch(`${base}/api/v1/query?query=1%2B1&time=1735689600`));
      assert.deepEqual(query.body.data, { resultType: 'scalar', result: [1735689600, '2'] });
    });

    test('the query editor: labels, label values, series, metadata', async () => {
      const range = `start=${seconds(0)}&end=${seconds(59)}`;
      const labels = await json(await fetch(`${base}/api/v1/labels?${range}`));
      assert.deepEqual(labels.body.data, ['__name__', 'host', 'priority', 'template_id', 'unit']);
      const names = await json(await fetch(`${base}/api/v1/label/__name__/values?${range}`));
      assert.deepEqual(names.body.data, [
        'lookout_anomaly_score',
        'lookout_log_entries_total',
        'lookout_template_entries_total',
      ]);
      const hosts = await json(
        await fetch(
          `${base}/api/v1/label/host/values?match[]=${encodeURIComponent('lookout_anomaly_score')}&${range}`,
        ),
      );
      assert.deepEqual(hosts.body.data, ['db-1', 'web-1', 'web-2']);
      const series = await json(
        await form('/api/v1/series', {
          'match[]': 'lookout_log_entries_total{host="web-1"}',
          start: seconds(0),
          end: seconds(59),
        }),
      );
      assert.deepEqual(series.body.data, [
        { __name__: 'lookout_log_entries_total', host: 'web-1', priority: '3', unit: 'ssh.service' },
        { __name__: 'lookout_log_entries_total', host: 'web-1', priority: '6', unit: 'ssh.service' },
      ]);
      const metadata = await json(await fetch(`${base}/api/v1/metadata`));
      const types = Object.fromEntries(
        Object.entries(metadata.body.data as Record<string, { type: string }[]>).map(([name, [meta]]) => [
          name,
          meta?.type,
        ]),
      );
      assert.deepEqual(types, {
        lookout_anomaly_score: 'gauge',
        lookout_log_entries_total: 'counter',
        lookout_anomaly_events_total: 'counter',
        lookout_template_entries_total: 'counter',
      });
    });

    test('a panel: POST form query_range returns each stored minute', async () => {
      const response = await json(
        await form('/api/v1/query_range', {
          query: 'lookout_anomaly_score{host="web-1"}',
          start: seconds(0),
          end: seconds(59),
          step: '60',
        }),
      );
      assert.equal(response.status, 200);
      const [series] = (response.body.data as { result: Sample[] }).result;
      assert.deepEqual(series?.metric, {
        __name__: 'lookout_anomaly_score',
        host: 'web-1',
        unit: 'ssh.service',
      });
      assert.deepEqual(
        series?.values?.map(([, value]) => Number(value)),
        SCORES['web-1/ssh.service'],
      );
    });

    test('an alert rule: instant query with a threshold', async () => {
      const response = await json(
        await form('/api/v1/query', {
          query: 'max by (host) (lookout_anomaly_score) > 0.9',
          time: seconds(30),
        }),
      );
      assert.deepEqual((response.body.data as { result: Sample[] }).result, [
        { metric: { host: 'web-2' }, value: [Number(seconds(30)), '0.95'] },
      ]);
    });
  });

  test('a backend given a query cache budget (--query-cache-mb) stays within it and answers the same', async () => {
    const small = await startTestLookout({ queryCacheBytes: 1000 });
    try {
      fill(small.store);
      const query = `query=lookout_anomaly_score&start=${seconds(0)}&end=${seconds(59)}&step=60`;
      const answer = async (running: typeof lookout) =>
        (await fetch(`${running.url}/prometheus/api/v1/query_range?${query}`)).text();
      assert.equal(await answer(small), await answer(lookout));
      const exposition = await (await fetch(`${small.url}/metrics`)).text();
      const used = [...exposition.matchAll(/^lookout_query_cache_bytes\{table="[^"]+"\} (\d+)$/gm)].reduce(
        (sum, [, bytes]) => sum + Number(bytes),
        0,
      );
      assert.ok(used > 0 && used <= 1000, `the cache holds ${used} bytes of a 1000-byte budget`);
    } finally {
      await small.stopAndClean();
    }
  });

  test("errors in Prometheus's shape: bad_data with the parse error, 400", async () => {
    const response = await json(await fetch(`${base}/api/v1/query?query=${encodeURIComponent('sum(')}`));
    assert.equal(response.status, 400);
    assert.deepEqual(response.body, {
      status: 'error',
      errorType: 'bad_data',
      error: 'invalid parameter "query": 1:5: parse error: unexpected end of input',
    });
    const range = await json(
      await fetch(`${base}/api/v1/query_range?query=up&start=0&end=${60 * 86400}&step=3600`),
    );
    assert.equal(range.status, 400);
    assert.match(range.body.error ?? '', /reads 60\.0 days of data.*more than the 31 days/);
    const points = await json(await fetch(`${base}/api/v1/query_range?query=up&start=0&end=86400&step=1`));
    assert.match(points.body.error ?? '', /exceeded maximum resolution of 11,000 points/);
  });

  const skipPromtool = missingTool('prometheus', 'promtool');
  // Asynchronously: the backend answering promtool runs in this process.
  const promtool = async (...args: string[]) => {
    const { stdout } = await promisify(execFile)('promtool', ['query', ...args], { timeout: 30_000 });
    return JSON.parse(stdout) as unknown;
  };

  test(
    'promtool query instant: the stored score of each series at that minute',
    { skip: skipPromtool },
    async () => {
      const result = (await promtool(
        'instant',
        '-o',
        'json',
        '--time',
        seconds(42),
        base,
        'lookout_anomaly_score',
      )) as Sample[];
      const values = Object.fromEntries(
        result.map((sample) => [`${sample.metric.host}/${sample.metric.unit}`, Number(sample.value?.[1])]),
      );
      assert.deepEqual(
        values,
        Object.fromEntries(Object.entries(SCORES).map(([key, scores]) => [key, scores[42]])),
      );
    },
  );

  test(
    "promtool query range: the counters' increase equals the stored counts",
    { skip: skipPromtool },
    async () => {
      const result = (await promtool(
        'range',
        '-o',
        'json',
        '--start',
        seconds(10),
        '--end',
        seconds(20),
        '--step',
        '1m',
        base,
        'sum by (host) (lookout_log_entries_total)',
      )) as Sample[];
      assert.equal(result.length, 3);
      for (const series of result) {
        const points = series.values ?? [];
        assert.equal(points.length, 11);
        // The sample at minute m's end holds every entry through minute m: the difference of two steps is
        // the count of the minute between them.
        for (let i = 1; i < points.length; i++) {
          const minute = 10 + i - 1;
          const expected = 10 + (minute % 5) + (minute % 7 === 0 ? 2 : 0);
          assert.equal(Number(points[i]?.[1]) - Number(points[i - 1]?.[1]), expected, `minute ${minute}`);
        }
      }
    },
  );

  test('promtool query labels and series', { skip: skipPromtool }, async () => {
    assert.deepEqual(
      await promtool('labels', '-o', 'json', '--start', seconds(0), '--end', seconds(59), base, 'unit'),
      ['postgresql.service', 'ssh.service'],
    );
    assert.deepEqual(
      await promtool(
        'series',
        '-o',
        'json',
        '--match',
        'lookout_anomaly_score{unit="ssh.service"}',
        '--start',
        seconds(0),
        '--end',
        seconds(59),
        base,
      ),
      [
        { __name__: 'lookout_anomaly_score', host: 'web-1', unit: 'ssh.service' },
        { __name__: 'lookout_anomaly_score', host: 'web-2', unit: 'ssh.service' },
      ],
    );
  });
});
