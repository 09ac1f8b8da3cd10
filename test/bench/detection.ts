import { runSeedBaseline } from '../../backend/src/detect/baseline/seed-baseline.ts';
import { OfflineEntryScorer } from '../../backend/src/detect/entries/index.ts';
import { classificationReport, rocAuc } from '../../backend/src/detect/metrics.ts';
import type { MinedEntry } from '../../backend/src/mining/mined-entry.ts';
import { TemplateMiner } from '../../backend/src/mining/miner.ts';
import { detectFleet } from '../scenarios/detect-fleet.ts';
import { byKind, evaluateEvents } from '../scenarios/evaluate.ts';
import { PRESETS, simulateFleet } from '../scenarios/fleet.ts';
import type { PresetName } from '../scenarios/fleet.ts';
import { loadLoghubRows } from '../support/loghub.ts';
import type { Benchmark } from './benchmark.ts';
import { fmt, printTable } from './benchmark.ts';

const MICROS_PER_DAY = 86_400_000_000;

/** BGL_2k's alert labels, scored line by line by Lookout (streaming, in time order) and by the seed baseline. */
function bgl(): void {
  const rows = loadLoghubRows('BGL', ['Content', 'Component', 'Node', 'Timestamp', 'Label']);
  const entries: MinedEntry[] = rows.map((row) => ({
    cursor: null,
    timeUs: Number(row.Timestamp) * 1e6,
    host: row.Node,
    unit: row.Component,
    priority: null,
    message: row.Content,
    pid: null,
    flags: 0,
    extra: null,
    templateId: 0,
  }));
  const labels = Uint8Array.from(rows, (row) => (row.Label === '-' ? 0 : 1));
  // As `lookout analyze` scores a file: one model fitted on all of it.
  const lookout = (contamination?: number) => {
    const miner = new TemplateMiner();
    const offline = new OfflineEntryScorer(contamination === undefined ? {} : { contamination });
    for (const entry of entries) {
      entry.templateId = miner.add(entry.message, entry.timeUs).templateId;
      offline.add(entry, miner);
    }
    const scores = offline.score();
    return {
      scores: Float64Array.from(scores, (score) => score.score),
      alerts: Uint8Array.from(scores, (score) => (score.alert ? 1 : 0)),
    };
  };
  const byDefault = lookout();
  const likeBaseline = lookout(0.1);
  const baseline = runSeedBaseline(entries);
  const row = (name: string, scoresOf: Float64Array, alerts: Uint8Array) => {
    const report = classificationReport(alerts, labels);
    return [
      name,
      fmt(rocAuc(scoresOf, labels), 3),
      fmt(report.precision, 3),
      fmt(report.recall, 3),
      fmt(report.f1, 3),
      fmt(alerts.reduce((a, b) => a + b, 0)),
    ];
  };
  console.log(
    `BGL_2k: ${rows.length} lines, ${labels.reduce((a, b) => a + b, 0)} labelled alerts; each model at its own default ` +
      `threshold, and Lookout at the baseline's contamination too\n`,
  );
  printTable(
    ['model', 'AUC', 'precision', 'recall', 'F1', 'flagged'],
    [
      row('Lookout (contamination 0.001, its default)', byDefault.scores, byDefault.alerts),
      row('Lookout (contamination 0.1)', likeBaseline.scores, likeBaseline.alerts),
      row('seed baseline (contamination 0.1)', baseline.scores, baseline.anomalous),
    ],
  );
}

/** A fleet streamed as the service sees it: the rate model trained once the history has passed. */
async function fleet(preset: PresetName, withComparisons: boolean): Promise<void> {
  const options = PRESETS[preset];
  const historyEndUs = options.startUs + options.historyDays * MICROS_PER_DAY;
  const window = {
    fromUs: historyEndUs,
    toUs: options.startUs + options.days * MICROS_PER_DAY,
    alertDelaySeconds: 120,
  };
  const fleetRun = simulateFleet(options);
  const rateModel = { trainAtUs: historyEndUs, training: { seed: 1, maxSeconds: 300 } };
  const run = await detectFleet(fleetRun, { rateModel });
  const evaluation = evaluateEvents(run.events, fleetRun.incidents, window);
  console.log(
    `\nfleet "${preset}": ${fleetRun.hosts.length} hosts, ${options.days} days (${options.historyDays} of history), ` +
      `${fmt(run.entries)} entries streamed at ${fmt(run.entries / run.cpuSeconds)} entries per CPU-s` +
      (run.rateTrainingSeconds === null
        ? ''
        : `; rate model trained in ${run.rateTrainingSeconds.toFixed(1)} s`) +
      '\n',
  );
  const rows: (string | number)[][] = byKind(evaluation).map((kind) => [
    kind.kind,
    `${kind.detected}/${kind.total}`,
    kind.medianSeconds === null ? '-' : `${(kind.medianSeconds / 60).toFixed(1)} min`,
  ]);
  rows.push(['false alarms per day (fleet)', fmt(evaluation.falseAlarmsPerDay, 1), '']);
  rows.push([
    'median time to detect',
    '',
    evaluation.medianTimeToDetectSeconds === null
      ? '-'
      : `${(evaluation.medianTimeToDetectSeconds / 60).toFixed(1)} min`,
  ]);
  if (withComparisons) {
    const withoutSilences = await detectFleet(simulateFleet(options), {
      detector: { silenceBudgetPerDay: 0 },
      rateModel,
    });
    const entriesOnly = evaluateEvents(withoutSilences.events, fleetRun.incidents, window);
    rows.push([
      'without silence alerts (budget 0): detected / false alarms per day',
      `${entriesOnly.incidents.filter((result) => result.detected).length}/${entriesOnly.incidents.length}`,
      fmt(entriesOnly.falseAlarmsPerDay, 1),
    ]);
    const baseline = seedBaselineEvents(simulateFleet(options));
    const base = evaluateEvents(baseline, fleetRun.incidents, window);
    rows.push([
      'seed baseline: detected / false alarms per day',
      `${base.incidents.filter((result) => result.detected).length}/${base.incidents.length}`,
      fmt(base.falseAlarmsPerDay, 1),
    ]);
  }
  printTable(['incident kind', 'detected', 'median time to detect'], rows);
}

/** The seed baseline over a whole fleet (fitted on all of it, as the articles do), as events. */
function seedBaselineEvents(fleetRun: ReturnType<typeof simulateFleet>) {
  const entries: MinedEntry[] = [];
  for (const raw of fleetRun.entries) {
    entries.push({
      cursor: null,
      timeUs: Number(raw.__REALTIME_TIMESTAMP),
      host: raw._HOSTNAME ?? '',
      unit: raw._SYSTEMD_UNIT ?? raw.SYSLOG_IDENTIFIER ?? 'kernel',
      priority: null,
      message: raw.MESSAGE ?? '',
      pid: null,
      flags: 0,
      extra: null,
      templateId: 0,
    });
  }
  const result = runSeedBaseline(entries);
  const events = [];
  let current: { host: string; unit: string; startUs: number; endUs: number } | null = null;
  for (let index = 0; index < entries.length; index++) {
    if (result.anomalous[index] !== 1) continue;
    const entry = entries[index] as MinedEntry;
    const minute = Math.floor(entry.timeUs / 60e6) * 60e6;
    if (
      current &&
      current.host === entry.host &&
      current.unit === entry.unit &&
      minute - current.endUs <= 5 * 60e6
    ) {
      current.endUs = minute + 60e6;
      continue;
    }
    if (current) events.push(current);
    current = { host: entry.host, unit: entry.unit, startUs: minute, endUs: minute + 60e6 };
  }
  if (current) events.push(current);
  return events.map((event) => ({
    ...event,
    score: 1,
    alert: true,
    reasons: ['seed-baseline'],
    templates: [],
    samples: [],
    minutes: 1,
  }));
}

export const detectionBenchmark: Benchmark = {
  name: 'detection',
  title: 'detection quality: BGL_2k labels and the simulated fleet, beside the seed baseline',
  async run() {
    bgl();
    await fleet('small', false);
    await fleet('smallWeek', true);
    await fleet('full', false);
  },
};
