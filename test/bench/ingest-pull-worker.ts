// Pulls one gatewayd URL to its end into a fresh store and prints what it measured as JSON: run
// by the ingest benchmark in a process of its own so that its resident memory is its own.
import { IngestPipeline } from '../../backend/src/app/pipeline.ts';
import { GatewaydSource } from '../../backend/src/sources/gatewayd.ts';
import { Store } from '../../backend/src/store/store.ts';

const [url, dataDir] = process.argv.slice(2);
if (!url || !dataDir) throw new Error('usage: ingest-pull-worker.ts URL DATA_DIR');
const store = Store.open(dataDir);
const source = new GatewaydSource({ url, sink: new IngestPipeline(store), follow: false });
const started = performance.now();
const cpuStarted = process.cpuUsage();
await source.start();
const seconds = (performance.now() - started) / 1000;
const cpu = process.cpuUsage(cpuStarted);
console.log(
  JSON.stringify({ entries: store.entryCount(), seconds, cpuSeconds: (cpu.user + cpu.system) / 1e6 }),
);
store.close();
