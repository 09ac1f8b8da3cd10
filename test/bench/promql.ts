// The PromQL engine on a dashboard's typical load: query_range over 24 h at a 60 s step across 1,000 series
// held in memory, per query p50/p99 of evaluation and of evaluation plus the JSON response body. Reference
// in the same run: just selecting and copying the same samples, the floor any engine pays.
import { loadavg } from 'node:os';

import { rangeQuery } from '../../backend/src/api/prometheus/evaluate.ts';
import { queryResponseBody } from '../../backend/src/api/prometheus/format.ts';
import { InMemorySeriesSource } from '../../backend/src/api/prometheus/memory-source.ts';
import { parseSeriesSelector } from '../../backend/src/api/prometheus/parse.ts';
import { SeededRandom } from '../../backend/src/detect/random.ts';
import type { Benchmark } from './benchmark.ts';
import { fmt, printTable } from './benchmark.ts';

const HOSTS = 100;
const UNITS_PER_HOST = 10;
const SCRAPE_MS = 60_000;
const STEP_MS = 60_000;
const RANGE_MS = 24 * 3600_000;
/** Samples start this much before the range, so that the first steps have full lookback and rate windows. */
const LEAD_MS = 10 * 60_000;
const START_MS = 1_750_000_000_000;
const END_MS = START_MS + RANGE_MS;
const WARMUP_RUNS = 3;
const MEASURED_RUNS = 40;

const QUERIES = [
  'lookout_anomaly_score',
  'max by (host) (lookout_anomaly_score)',
  'sum by (host) (rate(lookout_log_entries_total[5m]))',
  'topk(5, lookout_anomaly_score)',
  'topk(5, sum by (host) (rate(lookout_log_entries_total[5m])))',
  'lookout_anomaly_score > 0.9',
];

/** 1,000 anomaly-score gauges and 1,000 entry counters, one sample a minute, each series at its own offset. */
function dataset(): InMemorySeriesSource {
  const random = new SeededRandom(42);
  const source = new InMemorySeriesSource();
  const samples = Math.floor((RANGE_MS + LEAD_MS) / SCRAPE_MS) + 1;
  for (let host = 0; host < HOSTS; host++) {
    for (let unit = 0; unit < UNITS_PER_HOST; unit++) {
      const labels = { host: `host-${host}`, unit: `unit-${unit}.service` };
      const offsetMs = Math.floor(random.next() * SCRAPE_MS);
      const timestamps = Array.from(
        { length: samples },
        (_, i) => START_MS - LEAD_MS + offsetMs + i * SCRAPE_MS,
      );
      const scores = timestamps.map(() => random.next() ** 4);
      let count = 0;
      const counts = timestamps.map(() => (count += Math.floor(random.next() * 30)));
      source.add({ __name__: 'lookout_anomaly_score', ...labels }, timestamps, scores);
      source.add({ __name__: 'lookout_log_entries_total', ...labels }, timestamps, counts);
    }
  }
  return source;
}

interface Timing {
  p50: number;
  p99: number;
}

function time(run: () => void): Timing {
  for (let i = 0; i < WARMUP_RUNS; i++) run();
  const durations: number[] = [];
  for (let i = 0; i < MEASURED_RUNS; i++) {
    const started = performance.now();
    run();
    durations.push(performance.now() - started);
  }
  durations.sort((a, b) => a - b);
  const rank = (quantile: number) =>
    durations[Math.min(durations.length - 1, Math.ceil(quantile * durations.length) - 1)] ?? NaN;
  return { p50: rank(0.5), p99: rank(0.99) };
}

/** The reference: select every score series over the range and copy its samples out. */
function copySamples(source: InMemorySeriesSource): number {
  let copied = 0;
  const matchers = parseSeriesSelector('lookout_anomaly_score');
  for (const series of source.select(matchers, START_MS - LEAD_MS, END_MS)) {
    const timestamps = series.timestamps.slice();
    const values = series.values.slice();
    copied += Math.min(timestamps.length, values.length);
  }
  return copied;
}

export const promqlBenchmark: Benchmark = {
  name: 'promql',
  title: `query_range over 24 h at a 60 s step, ${fmt(HOSTS * UNITS_PER_HOST)} series per metric, in memory`,
  async run() {
    const loadBefore = loadavg()[0] ?? 0;
    const source = dataset();
    const rows: (string | number)[][] = [];
    let copied = 0;
    const reference = time(() => {
      copied = copySamples(source);
    });
    rows.push([
      `(reference) select + copy ${fmt(copied)} samples`,
      '',
      '',
      fmt(reference.p50, 1),
      fmt(reference.p99, 1),
      '',
      '',
      '',
    ]);
    for (const query of QUERIES) {
      const result = rangeQuery(source, query, START_MS, END_MS, STEP_MS);
      const points = result.series.reduce((total, series) => total + series.timestamps.length, 0);
      const body = queryResponseBody(result);
      const evaluation = time(() => rangeQuery(source, query, START_MS, END_MS, STEP_MS));
      const withJson = time(() => queryResponseBody(rangeQuery(source, query, START_MS, END_MS, STEP_MS)));
      rows.push([
        `\`${query}\``,
        fmt(result.series.length),
        fmt(points),
        fmt(evaluation.p50, 1),
        fmt(evaluation.p99, 1),
        fmt(withJson.p50, 1),
        fmt(withJson.p99, 1),
        fmt(body.length / 2 ** 20, 1),
      ]);
    }
    printTable(
      [
        'query',
        'series out',
        'points out',
        'eval p50 ms',
        'eval p99 ms',
        '+JSON p50 ms',
        '+JSON p99 ms',
        'JSON MB',
      ],
      rows,
    );
    console.log(`\n${MEASURED_RUNS} runs after ${WARMUP_RUNS} warm-up runs each; goal: eval p99 ≤ 150 ms.`);
    console.log(
      `Load average (1 min) before and after: ${fmt(loadBefore, 1)}, ${fmt(loadavg()[0] ?? 0, 1)}.`,
    );
  },
};
