// A real Prometheus server (Debian "prometheus") scrapes Lookout's /metrics on loopback with the
// read-only token; its own query API then returns the values Lookout's Prometheus-compatible API gives
// for the same series, which are the values the store holds.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { MINUTE_MS, StoreRows } from '../backend/test/api/store-rows.ts';
import { startTestLookout } from '../backend/test/lookout-fixture.ts';
import { freePort } from './support/journald.ts';
import { missingTool } from './support/system-tools.ts';
import { waitFor } from './support/wait.ts';

const READ_TOKEN = 'scrape-token';
const skip = missingTool('prometheus', 'prometheus');

interface VectorSample {
  metric: Record<string, string>;
  value: [number, string];
}

/** Label sets (without Prometheus's job and instance) → value. */
function byLabels(samples: VectorSample[]): Record<string, number> {
  return Object.fromEntries(
    samples.map(({ metric, value }) => {
      const labels = Object.entries(metric)
        .filter(([name]) => !['__name__', 'job', 'instance'].includes(name))
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([name, labelValue]) => `${name}=${labelValue}`)
        .join(',');
      return [labels, Number(value[1])];
    }),
  );
}

describe('a real Prometheus scraping /metrics', { skip }, () => {
  let lookout: Awaited<ReturnType<typeof startTestLookout>>;
  let prometheus: ChildProcess;
  let prometheusUrl: string;
  let dir: string;
  let output = '';
  const expectedScores: Record<string, number> = {};
  const expectedCounts: Record<string, number> = {};

  const query = async (base: string, expr: string, token?: string): Promise<VectorSample[]> => {
    const response = await fetch(`${base}/api/v1/query?query=${encodeURIComponent(expr)}`, {
      headers: token ? { authorization: `Bearer ${token}` } : {},
    });
    const body = (await response.json()) as { status: string; data: { result: VectorSample[] } };
    assert.equal(body.status, 'success', JSON.stringify(body));
    return body.data.result;
  };

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'lookout-prometheus-'));
    lookout = await startTestLookout({ readToken: READ_TOKEN, token: 'full-token' });
    const rows = new StoreRows(lookout.store.db);
    // Recent minutes, so that an instant query now still sees them (5 minutes of lookback); counts
    // stop two minutes ago, so that the counters hold still while Prometheus scrapes.
    const now = Math.floor(Date.now() / MINUTE_MS);
    const series = [
      ['web-1', 'ssh.service'],
      ['web-2', 'nginx.service'],
      ['db-1', 'postgresql.service'],
    ] as const;
    series.forEach(([host, unit], index) => {
      for (let minute = now - 20; minute < now; minute++) rows.score(host, unit, minute, (index + 1) / 8);
      expectedScores[`host=${host},unit=${unit}`] = (index + 1) / 8;
      for (let minute = now - 30; minute < now - 2; minute++) rows.counts(host, unit, minute, 6, index + 1);
      rows.counts(host, unit, now - 10, 3, 5);
      expectedCounts[`host=${host},priority=6,unit=${unit}`] = 28 * (index + 1);
      expectedCounts[`host=${host},priority=3,unit=${unit}`] = 5;
    });

    const port = await freePort();
    prometheusUrl = `http://127.0.0.1:${port}`;
    const target = new URL(lookout.url).host;
    writeFileSync(
      join(dir, 'prometheus.yml'),
      [
        'global: { scrape_interval: 1s, evaluation_interval: 1s }',
        'scrape_configs:',
        '  - job_name: lookout',
        `    static_configs: [{ targets: ["${target}"] }]`,
        `    authorization: { credentials: "${READ_TOKEN}" }`,
      ].join('\n'),
    );
    prometheus = spawn(
      'prometheus',
      [
        `--config.file=${join(dir, 'prometheus.yml')}`,
        `--storage.tsdb.path=${join(dir, 'data')}`,
        `--web.listen-address=127.0.0.1:${port}`,
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    prometheus.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    prometheus.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    await waitFor(
      'Prometheus to scrape Lookout',
      async () => (await query(prometheusUrl, 'lookout_anomaly_score')).length === 3,
      { timeoutMs: 60_000, intervalMs: 500 },
    ).catch((error: Error) => {
      throw new Error(`${error.message}\nprometheus output:\n${output.slice(-3000)}`);
    });
  });
  after(async () => {
    prometheus?.kill('SIGTERM');
    if (prometheus && prometheus.exitCode === null)
      await new Promise((resolve) => prometheus.once('exit', resolve));
    await lookout?.stopAndClean();
    rmSync(dir, { recursive: true, force: true });
  });

  test('the scrape used the read-only token and succeeded', async () => {
    assert.deepEqual(byLabels(await query(prometheusUrl, 'up{job="lookout"}')), { '': 1 });
  });

  test('scores: Prometheus, Lookout and the store agree', async () => {
    const scraped = byLabels(await query(prometheusUrl, 'lookout_anomaly_score'));
    const served = byLabels(await query(`${lookout.url}/prometheus`, 'lookout_anomaly_score', READ_TOKEN));
    assert.deepEqual(scraped, expectedScores);
    assert.deepEqual(served, expectedScores);
  });

  test('entry counters: Prometheus, Lookout and the store agree', async () => {
    const scraped = byLabels(await query(prometheusUrl, 'lookout_log_entries_total'));
    const served = byLabels(
      await query(`${lookout.url}/prometheus`, 'lookout_log_entries_total', READ_TOKEN),
    );
    assert.deepEqual(scraped, expectedCounts);
    assert.deepEqual(served, expectedCounts);
    const total = (base: string, token?: string) =>
      query(base, 'sum(lookout_log_entries_total)', token).then((result) => Number(result[0]?.value[1]));
    assert.equal(await total(prometheusUrl), await total(`${lookout.url}/prometheus`, READ_TOKEN));
  });

  test("Lookout's own request latency reached Prometheus as a histogram", async () => {
    // A scrape's own duration is recorded once it is answered, so the next scrape carries it.
    await waitFor(
      'a scrape to report the previous one',
      async () => {
        const [sample] = await query(
          prometheusUrl,
          'lookout_http_request_duration_seconds_count{route="/metrics",code="200"}',
        );
        return Number(sample?.value[1]) >= 1;
      },
      { timeoutMs: 20_000, intervalMs: 500 },
    );
  });
});
