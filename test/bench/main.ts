// `npm run bench [-- name ...]`: runs every benchmark (or the named ones) in this process, one after
// another, each printing its figures beside a reference measured in the same run.
import type { Benchmark } from './benchmark.ts';
import { autoencoderBenchmark } from './autoencoder.ts';
import { isolationForestBenchmark } from './isolation-forest.ts';
import { ingestBenchmark } from './ingest.ts';
import { detectionBenchmark } from './detection.ts';
import { promqlBenchmark } from './promql.ts';
import { queryApiBenchmark } from './query-api.ts';
import { miningBenchmark } from './mining.ts';
import { entryScorerBenchmark } from './entry-scorer.ts';
import { retrainBenchmark } from './retrain.ts';

const benchmarks: Benchmark[] = [
  ingestBenchmark,
  isolationForestBenchmark,
  promqlBenchmark,
  queryApiBenchmark,
  miningBenchmark,
  detectionBenchmark,
  autoencoderBenchmark,
  entryScorerBenchmark,
  retrainBenchmark,
];

const wanted = process.argv.slice(2);
const unknown = wanted.filter((name) => !benchmarks.some((bench) => bench.name === name));
if (unknown.length > 0) {
  console.error(
    `unknown benchmark(s): ${unknown.join(', ')}; known: ${benchmarks.map((b) => b.name).join(', ')}`,
  );
  process.exit(2);
}
for (const bench of benchmarks) {
  if (wanted.length > 0 && !wanted.includes(bench.name)) continue;
  console.log(`\n## ${bench.name}: ${bench.title}\n`);
  await bench.run();
}
