// Lookout's Isolation Forest against the npm package `isolation-forest` 0.0.9, on the same data in the same
// run: fit and score time, memory, and ROC AUC on synthetic data with labelled outliers and on Loghub BGL_2k
// (alert lines labelled); then the seed baseline's AUC, precision, recall and F1 on BGL_2k.
// Each synthetic measurement runs in a fresh child process (this file with MEASURE_FLAG), so that its heap
// and peak RSS are its own and no model's JIT warm-up or garbage leaks into another's figures.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { IsolationForest as PackageForest } from 'isolation-forest';
import { runSeedBaseline, seedBaselineFeatures } from '../../backend/src/detect/baseline/seed-baseline.ts';
import type { SeedBaselineEntry } from '../../backend/src/detect/baseline/seed-baseline.ts';
import { DEFAULT_ENTRY_SCORER_OPTIONS } from '../../backend/src/detect/entries/index.ts';
import { IsolationForest } from '../../backend/src/detect/isolation-forest.ts';
import type { SplitRange } from '../../backend/src/detect/isolation-forest.ts';
import { classificationReport, rocAuc } from '../../backend/src/detect/metrics.ts';
import { SeededRandom } from '../../backend/src/detect/random.ts';
import type { Benchmark } from './benchmark.ts';
import { fmt, printTable } from './benchmark.ts';
import { loadLoghubRows } from '../support/loghub.ts';

const ROWS = 50_000;
const FEATURES = 20;
const OUTLIER_SHARE = 0.01;
const REPEATS = 5;
const BGL_RUNS = 60;
const MEASURE_FLAG = '--measure';
const THIS_FILE = fileURLToPath(import.meta.url);

type SyntheticKind = 'few-axis' | 'wide';
type Model = `lookout-${number}-${SplitRange}` | 'package';
const ENTRY_SCORER_SAMPLE = DEFAULT_ENTRY_SCORER_OPTIONS.sampleSize;
/**
 * With scikit-learn's split rule (the entry scorer's): the published default sample, the entry scorer's,
 * one that sees more of each dataset, and every row with the height limit of 256, which is what the
 * package really grows, as its subsample goes unused. Then splits over the cell at the two usual samples.
 */
const CONFIGURATIONS: { sampleSize: number; splitRange: SplitRange }[] = [
  ...[256, ENTRY_SCORER_SAMPLE, 4096, ROWS].map((sampleSize) => ({
    sampleSize,
    splitRange: 'sample' as const,
  })),
  ...[256, ENTRY_SCORER_SAMPLE].map((sampleSize) => ({ sampleSize, splitRange: 'cell' as const })),
];
const PACKAGE_HEIGHT_LIMIT = Math.ceil(Math.log2(256));

interface Labelled {
  data: Float64Array;
  features: number;
  labels: Uint8Array;
}

interface Measured {
  fitSeconds: number;
  scoreSeconds: number;
  modelMb: number;
  peakRssGrowthMb: number;
  auc: number;
}

/** JS heap still in use after a full collection (the child runs with --expose-gc). */
function heapMb(): number {
  globalThis.gc?.();
  return process.memoryUsage().heapUsed / 2 ** 20;
}

function peakRssMb(): number {
  return process.resourceUsage().maxRSS / 1024;
}

function seconds(since: number): number {
  return (performance.now() - since) / 1000;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? NaN;
}

/**
 * Standard normal inliers. Outliers either differ on a few axes only (3 of 20 redrawn uniformly in [-6, 6],
 * as a rare template or an odd hour would) or are wider on every axis (normal with standard deviation 1.5).
 */
function synthetic(kind: SyntheticKind): Labelled {
  const seed = kind === 'few-axis' ? 1 : 2;
  const random = new SeededRandom(seed);
  const data = new Float64Array(ROWS * FEATURES);
  const labels = new Uint8Array(ROWS);
  for (let row = 0; row < ROWS; row++) {
    const base = row * FEATURES;
    for (let feature = 0; feature < FEATURES; feature++) data[base + feature] = random.nextGaussian();
    if (random.next() >= OUTLIER_SHARE) continue;
    labels[row] = 1;
    if (kind === 'wide') {
      for (let feature = 0; feature < FEATURES; feature++) data[base + feature] = random.nextGaussian() * 1.5;
    } else {
      for (let axis = 0; axis < 3; axis++) data[base + random.nextInt(FEATURES)] = random.next() * 12 - 6;
    }
  }
  return { data, features: FEATURES, labels };
}

/** The package takes rows only as plain objects keyed by feature name. */
function asObjects(data: Float64Array, features: number): Record<string, number>[] {
  return Array.from({ length: data.length / features }, (_, row) => {
    const object: Record<string, number> = {};
    for (let feature = 0; feature < features; feature++)
      object[`f${feature}`] = data[row * features + feature] ?? 0;
    return object;
  });
}

function measureOurs(set: Labelled, sampleSize: number, splitRange: SplitRange): Measured {
  // One fit and scoring on a slice first, so that the timed runs measure compiled code. The package gets
  // no such warm-up: one fit of it takes seconds.
  IsolationForest.fit(set.data.subarray(0, 1000 * set.features), set.features).score(set.data);
  const rssBefore = peakRssMb();
  const fitTimes: number[] = [];
  const scoreTimes: number[] = [];
  const aucs: number[] = [];
  let modelMb = 0;
  const scores = new Float64Array(set.labels.length);
  for (let seed = 0; seed < REPEATS; seed++) {
    let started = performance.now();
    const heightLimit = sampleSize === ROWS ? PACKAGE_HEIGHT_LIMIT : undefined;
    const forest = IsolationForest.fit(set.data, set.features, { sampleSize, seed, heightLimit, splitRange });
    fitTimes.push(seconds(started));
    started = performance.now();
    forest.score(set.data, scores);
    scoreTimes.push(seconds(started));
    aucs.push(rocAuc(scores, set.labels));
    modelMb = Math.max(modelMb, forest.byteLength / 2 ** 20);
  }
  return {
    fitSeconds: median(fitTimes),
    scoreSeconds: median(scoreTimes),
    modelMb,
    peakRssGrowthMb: peakRssMb() - rssBefore,
    auc: aucs.reduce((sum, auc) => sum + auc, 0) / aucs.length,
  };
}

/** One run: a fit takes seconds, and the package is unseeded anyway. */
function measurePackage(set: Labelled): Measured {
  const rows = asObjects(set.data, set.features);
  const heapBefore = heapMb();
  const rssBefore = peakRssMb();
  const forest = new PackageForest(100, 256);
  let started = performance.now();
  forest.fit(rows);
  const fitSeconds = seconds(started);
  // Its trees are objects on the JS heap: what a collection leaves of the growth is the model.
  const modelMb = heapMb() - heapBefore;
  started = performance.now();
  const scores = forest.predict(rows);
  const scoreSeconds = seconds(started);
  return {
    fitSeconds,
    scoreSeconds,
    modelMb,
    peakRssGrowthMb: peakRssMb() - rssBefore,
    auc: rocAuc(scores, set.labels),
  };
}

function measure(kind: SyntheticKind, model: Model): Measured {
  const set = synthetic(kind);
  if (model === 'package') return measurePackage(set);
  const [, sampleSize, splitRange] = model.split('-');
  return measureOurs(set, Number(sampleSize), splitRange as SplitRange);
}

function measureInChild(kind: SyntheticKind, model: Model): Measured {
  const child = spawnSync(
    process.execPath,
    [...process.execArgv, '--expose-gc', THIS_FILE, MEASURE_FLAG, kind, model],
    { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] },
  );
  if (child.status !== 0) throw new Error(`measuring ${model} on ${kind} data failed (exit ${child.status})`);
  return JSON.parse(child.stdout) as Measured;
}

function row(set: string, model: string, measured: Measured): (string | number)[] {
  return [
    set,
    model,
    fmt(measured.fitSeconds, 3),
    fmt(measured.scoreSeconds, 3),
    fmt(measured.modelMb, 1),
    fmt(measured.peakRssGrowthMb, 0),
    fmt(measured.auc, 3),
  ];
}

/** BGL lines as journal-like entries: Component stands in for the unit; Label `-` means normal. */
function loadBgl(): { entries: SeedBaselineEntry[]; labels: Uint8Array } {
  const rows = loadLoghubRows('BGL', ['Content', 'Component', 'Timestamp', 'Label']);
  const entries = rows.map((row) => ({
    message: row.Content,
    unit: row.Component,
    timeUs: Number(row.Timestamp) * 1_000_000,
  }));
  return { entries, labels: Uint8Array.from(rows, (row) => (row.Label === '-' ? 0 : 1)) };
}

/** Mean ± its standard error, then the range: enough to tell a difference from run-to-run noise. */
function summarise(values: number[], digits = 3): string {
  const mean = values.reduce((sum, value) => sum + value, 0) / values.length;
  const variance = values.reduce((sum, value) => sum + (value - mean) ** 2, 0) / (values.length - 1);
  const standardError = Math.sqrt(variance / values.length);
  const range = `${fmt(Math.min(...values), digits)}–${fmt(Math.max(...values), digits)}`;
  return `${fmt(mean, digits)} ± ${fmt(standardError, digits)} (${range})`;
}

async function run(): Promise<void> {
  const header = ['data', 'model', 'fit s', 'score s', 'model MB', 'peak RSS +MB', 'AUC'];
  const table: (string | number)[][] = [];
  const ratios: string[] = [];
  for (const kind of ['few-axis', 'wide'] as const) {
    const name = `${kind}, ${fmt(ROWS)} x ${FEATURES}, ${OUTLIER_SHARE * 100}% outliers`;
    const theirs = measureInChild(kind, 'package');
    for (const { sampleSize, splitRange } of CONFIGURATIONS) {
      const ours = measureInChild(kind, `lookout-${sampleSize}-${splitRange}`);
      const rows =
        sampleSize === ROWS ? `every row, height ${PACKAGE_HEIGHT_LIMIT}` : `sample ${fmt(sampleSize)}`;
      const settings = `${rows}, ${splitRange === 'cell' ? 'cell splits' : 'sample splits'}`;
      table.push(row(name, `Lookout, 100 trees, ${settings}`, ours));
      ratios.push(
        `${kind}, ${settings}: fit ${fmt(theirs.fitSeconds / ours.fitSeconds)}x faster (target ≥ 100x), ` +
          `score ${fmt(theirs.scoreSeconds / ours.scoreSeconds, 1)}x faster (target ≥ 3x), ` +
          `AUC ${fmt(ours.auc, 3)} vs ${fmt(theirs.auc, 3)}`,
      );
    }
    table.push(row(name, 'isolation-forest 0.0.9, 100 trees', theirs));
  }
  printTable(header, table);
  console.log('');
  for (const line of ratios) console.log(`* ${line}`);
  console.log(
    '* each row measured in its own process; Lookout: median times and mean AUC of 5 seeds after a warm-up; ' +
      'the package (unseeded, every tree grown on all rows) fitted and scored once.',
  );

  const bgl = loadBgl();
  const features = seedBaselineFeatures(bgl.entries);
  const width = features.names.length;
  const bglSet: Labelled = { data: features.matrix, features: width, labels: bgl.labels };
  const objects = asObjects(features.matrix, width);
  const bglConfigurations = [
    { sampleSize: 256, splitRange: 'sample' as const },
    { sampleSize: ENTRY_SCORER_SAMPLE, splitRange: 'sample' as const },
    { sampleSize: ENTRY_SCORER_SAMPLE, splitRange: 'cell' as const },
  ];
  const oursAuc = bglConfigurations.map((): number[] => []);
  const theirsAuc: number[] = [];
  for (let runIndex = 0; runIndex < BGL_RUNS; runIndex++) {
    bglConfigurations.forEach((options, index) => {
      const forest = IsolationForest.fit(bglSet.data, width, { ...options, seed: runIndex });
      oursAuc[index]?.push(rocAuc(forest.score(bglSet.data), bglSet.labels));
    });
    const theirs = new PackageForest(100, 256);
    theirs.fit(objects);
    theirsAuc.push(rocAuc(theirs.predict(objects), bglSet.labels));
  }
  const baselineAuc: number[] = [];
  const baselineReports = [];
  for (let seed = 0; seed < BGL_RUNS; seed++) {
    const result = runSeedBaseline(bgl.entries, { seed });
    baselineAuc.push(rocAuc(result.scores, bgl.labels));
    baselineReports.push(classificationReport(result.anomalous, bgl.labels));
  }
  const alerts = bgl.labels.reduce((sum, label) => sum + label, 0);
  console.log(
    `\nBGL_2k (${fmt(bgl.entries.length)} lines, ${alerts} alerts), seed-baseline features ` +
      `(${width} columns: TF-IDF 100 terms + one-hot Component + hour); mean ± standard error (min–max) of ${BGL_RUNS} runs/seeds:\n`,
  );
  printTable(
    ['model', 'AUC', 'precision', 'recall', 'F1', 'flagged'],
    [
      ...bglConfigurations.map(({ sampleSize, splitRange }, index) => [
        `Lookout forest, 100 trees, sample ${fmt(sampleSize)}, ${splitRange} splits`,
        summarise(oursAuc[index] ?? []),
        '',
        '',
        '',
        '',
      ]),
      ['isolation-forest 0.0.9, 100 trees', summarise(theirsAuc), '', '', '', ''],
      [
        'seed baseline: 200 trees, contamination 0.1',
        summarise(baselineAuc),
        summarise(baselineReports.map((report) => report.precision)),
        summarise(baselineReports.map((report) => report.recall)),
        summarise(baselineReports.map((report) => report.f1)),
        summarise(
          baselineReports.map((report) => report.truePositives + report.falsePositives),
          0,
        ),
      ],
    ],
  );
}

export const isolationForestBenchmark: Benchmark = {
  name: 'isolation-forest',
  title: 'Isolation Forest: Lookout vs npm isolation-forest 0.0.9; seed baseline on BGL_2k',
  run,
};

if (process.argv[1] === THIS_FILE && process.argv[2] === MEASURE_FLAG) {
  const [kind, model] = process.argv.slice(3) as [SyntheticKind, Model];
  console.log(JSON.stringify(measure(kind, model)));
}
