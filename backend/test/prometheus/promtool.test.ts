// Runs the same queries on the same data through our engine and through the real Prometheus engine
// (`promtool test rules`, Debian package "prometheus"), and compares the results.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';

import { missingTool } from '../../../test/support/system-tools.ts';
import { formatDuration, parseDuration } from '../../src/api/prometheus/duration.ts';
import { instantQuery } from '../../src/api/prometheus/evaluate.ts';
import { formatLabels, type Labels } from '../../src/api/prometheus/labels.ts';
import { InMemorySeriesSource } from '../../src/api/prometheus/memory-source.ts';
import { MINUTE, SECOND } from './fixtures.ts';

const QUERIES = [
  'lookout_anomaly_score',
  'lookout_anomaly_score offset 5m',
  'max by (host) (lookout_anomaly_score)',
  'avg without (unit) (lookout_anomaly_score)',
  'sum(lookout_anomaly_score) by (unit)',
  'min(lookout_anomaly_score)',
  'count(lookout_anomaly_score)',
  'topk(2, lookout_anomaly_score)',
  'bottomk(1, lookout_anomaly_score) by (unit)',
  'sum by (host) (rate(lookout_log_entries_total[5m]))',
  'increase(lookout_log_entries_total[10m])',
  'rate(lookout_log_entries_total[3m])',
  'avg_over_time(lookout_anomaly_score[15m])',
  'max_over_time(lookout_anomaly_score[15m])',
  'min_over_time(lookout_anomaly_score[15m])',
  'sum_over_time(lookout_anomaly_score[15m])',
  'count_over_time(lookout_anomaly_score[15m])',
  'lookout_anomaly_score > 0.5',
  'lookout_anomaly_score > bool 0.5',
  '0.5 >= lookout_anomaly_score',
  '-lookout_anomaly_score * 100 + 50',
  'rate(lookout_log_entries_total[5m]) > bool on (host, unit) lookout_anomaly_score',
  'sum by (host) (rate(lookout_log_entries_total[5m])) / ignoring (unit) max by (host) (lookout_anomaly_score)',
  '2 ^ 3 - 1',
];

// Half a minute after the samples, so that no sample sits on a window edge: Prometheus 2 closes windows
// on the left, Prometheus 3 (and we) leave them open, and that is the only difference on this data.
const EVALUATION_TIMES_MS = [10.5, 22.5, 35.5, 41.5, 47.5, 58.5].map((minutes) => minutes * MINUTE);

const HOSTS = ['web-1', 'web-2', 'db-1'];
const UNITS = ['ssh.service', 'cron.service'];
const MINUTES = 60;

interface FixtureSeries {
  readonly labels: Labels;
  /** One entry per minute: a value, undefined for no sample, or 'stale' for a stale marker. */
  readonly perMinute: readonly (number | 'stale' | undefined)[];
}

function fixture(): FixtureSeries[] {
  let state = 20250101;
  const random = () => {
    state = (state * 1103515245 + 12345) % 2 ** 31;
    return state / 2 ** 31;
  };
  const series: FixtureSeries[] = [];
  HOSTS.forEach((host, hostIndex) => {
    UNITS.forEach((unit, unitIndex) => {
      const scores = Array.from(
        { length: MINUTES + 1 },
        (): number | 'stale' | undefined => Math.round(random() * 1e6) / 1e6,
      );
      if (hostIndex === 1 && unitIndex === 0) scores.fill(undefined, 12, 19);
      if (hostIndex === 2 && unitIndex === 1) {
        scores[40] = 'stale';
        scores.fill(undefined, 41);
      }
      series.push({ labels: { __name__: 'lookout_anomaly_score', host, unit }, perMinute: scores });

      const startMinute = hostIndex === 2 && unitIndex === 0 ? 20 : 0;
      const endMinute = hostIndex === 1 && unitIndex === 1 ? 45 : MINUTES;
      let count = startMinute === 0 ? 0 : 500;
      const counts = Array.from({ length: MINUTES + 1 }, (_, minute): number | undefined => {
        if (minute < startMinute || minute > endMinute) return undefined;
        count = hostIndex === 0 && unitIndex === 1 && minute === 30 ? 3 : count + Math.floor(random() * 20);
        return count;
      });
      series.push({ labels: { __name__: 'lookout_log_entries_total', host, unit }, perMinute: counts });
    });
  });
  return series;
}

function ourSource(series: FixtureSeries[]): InMemorySeriesSource {
  const source = new InMemorySeriesSource();
  for (const { labels, perMinute } of series) {
    const minutes = [...perMinute.keys()].filter((minute) => perMinute[minute] !== undefined);
    source.add(
      labels,
      minutes.map((minute) => minute * MINUTE),
      minutes.map((minute) => (perMinute[minute] === 'stale' ? 0 : Number(perMinute[minute]))),
      minutes.map((minute) => perMinute[minute] === 'stale'),
    );
  }
  return source;
}

function promtoolTestFile(series: FixtureSeries[]): string {
  const lines = [
    'rule_files: [rules.yml]',
    'evaluation_interval: 1m',
    'tests:',
    '  - interval: 1m',
    '    input_series:',
  ];
  for (const { labels, perMinute } of series) {
    const { __name__: name, ...rest } = labels;
    lines.push(`      - series: '${name ?? ''}${formatLabels(rest)}'`);
    lines.push(
      `        values: '${perMinute.map((value) => (value === undefined ? '_' : String(value))).join(' ')}'`,
    );
  }
  lines.push('    promql_expr_test:');
  for (const query of QUERIES) {
    for (const timeMs of EVALUATION_TIMES_MS) {
      lines.push(
        `      - expr: ${JSON.stringify(query)}`,
        `        eval_time: ${formatDuration(timeMs)}`,
        '        exp_samples: []',
      );
    }
  }
  return `${lines.join('\n')}\n`;
}

type Samples = Map<string, number>;

/** promtool reports every non-empty result as a failure against `exp_samples: []`, printing what it got. */
function promtoolResults(output: string): Map<string, Samples> {
  const results = new Map<string, Samples>();
  const errors = [...output.matchAll(/expr: (".*"), time: (\S+), err: (.*)/g)];
  assert.deepEqual(
    errors.map((match) => match[0]),
    [],
    'promtool failed to evaluate a query',
  );
  for (const match of output.matchAll(/expr: (".*"), time: (\S+),\n\s+exp: .*\n\s+got: (.*)/g)) {
    const [, quotedQuery = '""', time = '', got = ''] = match;
    const samples: Samples = new Map();
    for (const sample of got.matchAll(/\{([^}]*)\} (\S+?)(?=, \{|$)/g)) {
      const labels = Object.fromEntries(
        [...(sample[1] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map(([, name, value]) => [
          name,
          JSON.parse(`"${value}"`),
        ]),
      );
      samples.set(formatLabels(labels), goFloat(sample[2] ?? ''));
    }
    results.set(key(JSON.parse(quotedQuery), parseDuration(time)), samples);
  }
  return results;
}

function goFloat(text: string): number {
  if (text === '+Inf') return Infinity;
  if (text === '-Inf') return -Infinity;
  return Number(text);
}

function ourResult(source: InMemorySeriesSource, query: string, timeMs: number): Samples {
  const result = instantQuery(source, query, timeMs);
  if (result.resultType === 'scalar') return new Map([['{}', result.value]]);
  assert.equal(result.resultType, 'vector');
  return new Map(result.samples.map((sample) => [formatLabels(sample.labels), sample.value]));
}

function key(query: string, timeMs: number): string {
  return `${query} @ ${timeMs / SECOND}s`;
}

test(
  'our evaluation agrees with promtool on the same data',
  { skip: missingTool('prometheus', 'promtool') },
  () => {
    const series = fixture();
    const directory = mkdtempSync(join(tmpdir(), 'lookout-promtool-'));
    try {
      writeFileSync(join(directory, 'rules.yml'), 'groups: []\n');
      writeFileSync(join(directory, 'test.yml'), promtoolTestFile(series));
      const run = spawnSync('promtool', ['test', 'rules', 'test.yml'], { cwd: directory, encoding: 'utf8' });
      const output = `${run.stdout}${run.stderr}`;
      assert.match(output, /Unit Testing/, output);
      const theirs = promtoolResults(output);
      const source = ourSource(series);
      let compared = 0;
      for (const query of QUERIES) {
        for (const timeMs of EVALUATION_TIMES_MS) {
          const label = key(query, timeMs);
          const expected = theirs.get(label) ?? new Map<string, number>();
          const actual = ourResult(source, query, timeMs);
          assert.deepEqual([...actual.keys()].sort(), [...expected.keys()].sort(), `series of ${label}`);
          for (const [labels, value] of expected) {
            const ours = actual.get(labels) ?? NaN;
            const close =
              Object.is(ours, value) || Math.abs(ours - value) <= 1e-9 * Math.max(1, Math.abs(value));
            assert.ok(close, `${label} ${labels}: ours ${ours}, Prometheus ${value}`);
            compared++;
          }
        }
      }
      assert.ok(compared > 500, `only ${compared} values compared`);
    } finally {
      rmSync(directory, { recursive: true, force: true });
    }
  },
);
