// query_range through the HTTP API of a real `lookout serve` (its own process) on a real SQLite store
// of 1,000 (host, unit) series × 24 h of per-minute scores and counts: per query p50/p99 latency, cold
// and warm, the server's CPU time and resident memory, then sustained requests/s with p99 under
// autocannon on loopback. Reference in the same run: GET /health, the floor of any request.
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { SeededRandom } from '../../backend/src/detect/random.ts';
import { Store } from '../../backend/src/store/store.ts';
import { freePort } from '../support/journald.ts';
import { waitFor } from '../support/wait.ts';
import type { Benchmark } from './benchmark.ts';
import { fmt, printTable } from './benchmark.ts';

const LOOKOUT_BIN = fileURLToPath(new URL('../../backend/bin/lookout.js', import.meta.url));
const HOSTS = 100;
const UNITS_PER_HOST = 10;
const MINUTES = 24 * 60 + 10;
const RUNS = 30;
/** The raw 1,000-series query is 49 MB a request. */
const RAW_RUNS = 10;
const LOAD_SECONDS = 10;
/** One event loop serves the queries: two connections keep it busy, more only queue (and load the client). */
const CONNECTIONS = 2;
/** Pino's level number of warnings. */
const WARN_LEVEL = 40;
/** Linux's USER_HZ, the unit of /proc/<pid>/stat times. */
const CLOCK_TICKS = 100;

const QUERIES = [
  'max by (host) (lookout_anomaly_score)',
  'topk(5, lookout_anomaly_score)',
  'lookout_anomaly_score > 0.9',
  'sum by (host) (rate(lookout_log_entries_total[5m]))',
  'sum by (host) (increase(lookout_log_entries_total{priority=~"[0-3]"}[1h]))',
  'lookout_anomaly_score',
];
/** Returns 1,000 series × 1,441 points (49 MB of JSON): measured fewer times. */
const RAW_QUERY = 'lookout_anomaly_score';

/** Scores for every minute, counts at priority 6 every minute and priority 3 every seventh. */
function writeStore(dir: string, lastMinute: number): number {
  const store = Store.open(dir);
  const random = new SeededRandom(7);
  const addSeries = store.db.prepare('INSERT INTO series (host, unit) VALUES (?, ?) RETURNING id').pluck();
  const addScore = store.db.prepare(
    'INSERT INTO anomaly_scores (series_id, minute, score, entry_score, count_score, model_version) VALUES (?, ?, ?, ?, ?, 1)',
  );
  const addCount = store.db.prepare(
    'INSERT INTO entry_counts (series_id, minute, priority, count) VALUES (?, ?, ?, ?)',
  );
  let rows = 0;
  store.db.transaction(() => {
    for (let host = 0; host < HOSTS; host++) {
      for (let unit = 0; unit < UNITS_PER_HOST; unit++) {
        const id = addSeries.get(`host-${host}`, `unit-${unit}.service`) as number;
        for (let minute = lastMinute - MINUTES + 1; minute <= lastMinute; minute++) {
          const score = random.next() ** 4;
          addScore.run(id, minute, score, score, 0);
          addCount.run(id, minute, 6, 1 + Math.floor(random.next() * 30));
          rows += 2;
          if (minute % 7 === 0) {
            addCount.run(id, minute, 3, 1);
            rows++;
          }
        }
      }
    }
  })();
  store.close();
  return rows;
}

/** CPU time (user + system) the server process has used, in ms: a figure that other load on the machine does not inflate much. */
function cpuMs(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS;
}

const WARMED_UP = 'query cache warmed up';

/** Serves `bytes` bytes of JSON to every request: the floor of receiving a body that large, whoever writes it. */
const STATIC_BODY_SERVER = `
const body = Buffer.alloc(Number(process.env.BYTES), 0x20);
require('node:http')
  .createServer((request, response) => {
    response.writeHead(200, { 'content-type': 'application/json', 'content-length': body.length });
    response.end(body);
  })
  .listen(Number(process.env.PORT), '127.0.0.1', () => console.log('listening'));
`;

async function staticBodyServer(
  bytes: number,
): Promise<{ url: string; pid: number; stop: () => Promise<void> }> {
  const port = await freePort();
  const child = spawn(process.execPath, ['-e', STATIC_BODY_SERVER], {
    env: { ...process.env, BYTES: String(bytes), PORT: String(port) },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  await new Promise<void>((resolve, reject) => {
    child.stdout?.once('data', () => resolve());
    child.once('exit', () => reject(new Error('the static body server ended')));
  });
  const stop = async () => {
    child.kill('SIGTERM');
    await new Promise((resolve) => child.once('exit', resolve));
  };
  return { url: `http://127.0.0.1:${port}/`, pid: child.pid as number, stop };
}

/** lookout_query_cache_bytes by table, from /metrics. */
async function cacheBytes(base: string): Promise<string> {
  const exposition = await (await fetch(`${base}/metrics`)).text();
  return [...exposition.matchAll(/^lookout_query_cache_bytes\{table="([^"]+)"\} (\S+)$/gm)]
    .map(([, table, bytes]) => `${table} ${fmt(Number(bytes) / 2 ** 20, 1)} MB`)
    .join(', ');
}

/** A process's resident memory, from /proc. */
function residentMegabytes(pid: number): number {
  return statusMegabytes(pid, 'VmRSS');
}

/** The most resident memory the process has had. */
function peakMegabytes(pid: number): number {
  return statusMegabytes(pid, 'VmHWM');
}

function statusMegabytes(pid: number, field: string): number {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8').match(new RegExp(`^${field}:\\s+(\\d+) kB$`, 'm'));
  return Number(line?.[1] ?? NaN) / 1024;
}

/**
 * Passes the server's log on to stderr from warnings up (the bench's own output stays a table) and
 * resolves once a line's message starts with `message`.
 */
function serverLog(stdout: Readable | null, message: string): Promise<void> {
  return new Promise((resolve, reject) => {
    if (stdout === null) return reject(new Error('no server output'));
    createInterface({ input: stdout }).on('line', (line) => {
      const entry = (line.startsWith('{') ? JSON.parse(line) : { level: WARN_LEVEL }) as {
        level?: number;
        msg?: string;
      };
      if ((entry.level ?? 0) >= WARN_LEVEL) console.error(line);
      if (entry.msg?.startsWith(message)) resolve();
    });
    stdout.once('end', () => reject(new Error(`the server ended before logging "${message}"`)));
  });
}

async function timeRequests(
  url: string,
  runs: number,
  pid: number,
): Promise<{ p50: number; p99: number; first: number; bytes: number; cpu: number }> {
  const durations: number[] = [];
  let bytes = 0;
  let cpuBefore = 0;
  for (let run = 0; run < runs + 1; run++) {
    if (run === 1) cpuBefore = cpuMs(pid);
    const started = performance.now();
    const response = await fetch(url);
    const body = await response.arrayBuffer();
    if (response.status !== 200)
      throw new Error(`${url}: ${response.status} ${Buffer.from(body).toString()}`);
    durations.push(performance.now() - started);
    bytes = body.byteLength;
  }
  const cpu = (cpuMs(pid) - cpuBefore) / runs;
  const first = durations.shift() ?? NaN;
  return { ...percentiles(durations), first, bytes, cpu };
}

function percentiles(durations: number[]): { p50: number; p99: number } {
  const sorted = [...durations].sort((a, b) => a - b);
  const rank = (q: number) => sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)] ?? NaN;
  return { p50: rank(0.5), p99: rank(0.99) };
}

/**
 * The same requests as curl times them (connect to last byte, one connection kept alive): a client that
 * reads a body as fast as Grafana's Go client or promtool do, where fetch's streams take several times
 * longer for a large one. Null when curl is not installed.
 */
function curlPercentiles(url: string, runs: number): { p50: number; p99: number } | null {
  const transfers = Array.from({ length: runs + 1 }, () => ['-o', '/dev/null', url]).flat();
  let report: string;
  try {
    report = execFileSync('curl', ['-sS', '-w', '%{http_code} %{time_total}\\n', ...transfers], {
      encoding: 'utf8',
      maxBuffer: 1 << 20,
    });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
  const timings = report
    .trim()
    .split('\n')
    .map((line) => line.split(' '));
  const failed = timings.find(([status]) => status !== '200');
  if (failed) throw new Error(`curl ${url}: HTTP ${failed[0]}`);
  // The first request pays for the connection, as fetch's first does.
  return percentiles(timings.slice(1).map(([, seconds]) => Number(seconds) * 1000));
}

async function load(url: string): Promise<{ rps: number; p99: number; errors: number }> {
  const result = await autocannon({ url, connections: CONNECTIONS, duration: LOAD_SECONDS });
  return { rps: result.requests.average, p99: result.latency.p99, errors: result.errors + result.non2xx };
}

export const queryApiBenchmark: Benchmark = {
  name: 'query-api',
  title: `query_range over 24 h at a 60 s step, ${fmt(HOSTS * UNITS_PER_HOST)} series, through HTTP on the SQLite store`,
  async run() {
    const dir = mkdtempSync(join(tmpdir(), 'lookout-bench-query-'));
    const lastMinute = Math.floor(Date.now() / 60_000) - 1;
    const written = performance.now();
    const rows = writeStore(dir, lastMinute);
    console.log(`Store: ${fmt(rows)} rows written in ${fmt((performance.now() - written) / 1000, 1)} s.`);
    const port = await freePort();
    const started = performance.now();
    const server = spawn(
      process.execPath,
      [LOOKOUT_BIN, 'serve', '--data', dir, '--port', String(port), '--local', 'off', '--log-level', 'info'],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    const warmedUp = serverLog(server.stdout, WARMED_UP);
    const base = `http://127.0.0.1:${port}`;
    try {
      await waitFor('lookout serve', async () => (await fetch(`${base}/health`)).ok, { timeoutMs: 60_000 });
      const endS = (lastMinute + 1) * 60;
      const rangeUrl = (query: string) =>
        `${base}/prometheus/api/v1/query_range?query=${encodeURIComponent(query)}&start=${endS - 86_400}&end=${endS}&step=60`;
      const pid = server.pid as number;
      const cold = await timeRequests(rangeUrl(QUERIES[0] as string), 0, pid);
      console.log(
        `First request right after the start (\`${QUERIES[0]}\`, before the cache warm-up is done): ${fmt(cold.first, 0)} ms.`,
      );
      await warmedUp;
      console.log(`Cache warm-up done ${fmt((performance.now() - started) / 1000, 1)} s after the start.\n`);
      const loadBefore = loadavg()[0] ?? 0;
      const table: (string | number)[][] = [];
      const health = await timeRequests(`${base}/health`, RUNS, pid);
      const row = (
        name: string,
        timing: typeof health,
        curl: ReturnType<typeof curlPercentiles>,
        megabytes: string,
        rssOf: number,
      ) => [
        name,
        megabytes,
        fmt(timing.first, 0),
        fmt(timing.p50, 1),
        fmt(timing.p99, 1),
        curl === null ? 'no curl' : `${fmt(curl.p50, 1)} / ${fmt(curl.p99, 1)}`,
        fmt(timing.cpu, 1),
        fmt(residentMegabytes(rssOf), 0),
      ];
      table.push(row('(reference) GET /health', health, curlPercentiles(`${base}/health`, RUNS), '', pid));
      let rawBytes = 0;
      for (const query of QUERIES) {
        const runs = query === RAW_QUERY ? RAW_RUNS : RUNS;
        const timing = await timeRequests(rangeUrl(query), runs, pid);
        const curl = curlPercentiles(rangeUrl(query), runs);
        table.push(row(`\`${query}\``, timing, curl, fmt(timing.bytes / 2 ** 20, 2), pid));
        if (query === RAW_QUERY) rawBytes = timing.bytes;
      }
      const floor = await staticBodyServer(rawBytes);
      try {
        const timing = await timeRequests(floor.url, RAW_RUNS, floor.pid);
        table.push(
          row(
            '(reference) as many bytes from a bare node:http server',
            timing,
            curlPercentiles(floor.url, RAW_RUNS),
            fmt(rawBytes / 2 ** 20, 2),
            floor.pid,
          ),
        );
      } finally {
        await floor.stop();
      }
      printTable(
        [
          'query_range (24 h, step 60 s)',
          'JSON MB',
          'first ms',
          'p50 ms',
          'p99 ms',
          'curl p50 / p99 ms',
          'server CPU ms',
          'server RSS MB',
        ],
        table,
      );
      console.log(
        `\n"first": the query's first request, after the warm-up; then ${RUNS} sequential requests (${RAW_RUNS} for the raw ` +
          '1,000-series query) with fetch, and as many again timed by curl; goal p99 ≤ 150 ms.\n' +
          'Server CPU: user + system time of the server process per request, from /proc, which other load ' +
          `on the machine inflates far less than wall time. Load average (1 min) before and after: ${fmt(loadBefore, 1)}, ${fmt(loadavg()[0] ?? 0, 1)} on ${availableParallelism()} cores.\n` +
          "The bare server's row is the floor of receiving the raw query's body here with each client, whoever writes it.\n" +
          "Server RSS: the server's resident memory after the row's requests (the bare server's own for its row).\n" +
          `Query cache (lookout_query_cache_bytes): ${await cacheBytes(base)}; server resident memory ${fmt(residentMegabytes(pid), 0)} MB, at most ${fmt(peakMegabytes(pid), 0)} MB so far.`,
      );

      const loaded: (string | number)[][] = [];
      for (const [name, url] of [
        ['(reference) GET /health', `${base}/health`],
        [`\`${QUERIES[0]}\``, rangeUrl(QUERIES[0] as string)],
        [`\`${QUERIES[3]}\``, rangeUrl(QUERIES[3] as string)],
      ] as const) {
        const result = await load(url);
        loaded.push([name, fmt(result.rps, 1), fmt(result.p99, 0), result.errors]);
      }
      console.log('');
      printTable(['under load', 'requests/s', 'p99 ms', 'errors'], loaded);
      console.log(
        `\nautocannon, ${CONNECTIONS} connections, ${LOAD_SECONDS} s each, loopback, server in its own process.`,
      );
    } finally {
      server.kill('SIGTERM');
      await new Promise((resolve) => server.once('exit', resolve));
      rmSync(dir, { recursive: true, force: true });
    }
  },
};
