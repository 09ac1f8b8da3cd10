import { CountAutoencoder } from '../../backend/src/detect/autoencoder/index.ts';
import type { TrainOptions } from '../../backend/src/detect/autoencoder/index.ts';
import { Detector } from '../../backend/src/detect/detector.ts';
import { seriesKey } from '../../backend/src/detect/series-key.ts';
import type { DetectorOptions } from '../../backend/src/detect/detector.ts';
import { EntryScorer } from '../../backend/src/detect/entries/index.ts';
import type { AnomalyEvent } from '../../backend/src/detect/events/minute.ts';
import { normalizeEntry } from '../../backend/src/journal/normalize.ts';
import type { MinedEntry } from '../../backend/src/mining/mined-entry.ts';
import { TemplateMiner } from '../../backend/src/mining/miner.ts';
import type { Fleet } from './fleet.ts';

export interface FleetRunOptions {
  contamination?: number;
  /** The detector's options beyond the service's defaults. */
  detector?: Partial<DetectorOptions>;
  /** Train the rate model on the history once it has passed, as the service's scheduled retrain would. */
  rateModel?: { trainAtUs: number; training: TrainOptions };
}

export interface FleetRun {
  events: AnomalyEvent[];
  entries: number;
  seconds: number;
  cpuSeconds: number;
  rateTrainingSeconds: number | null;
}

const BATCH = 5000;

/** Streams a simulated fleet through Lookout's stages (normalise → mine → detect), batch by batch. */
export async function detectFleet(fleet: Fleet, options: FleetRunOptions = {}): Promise<FleetRun> {
  const started = performance.now();
  const cpuStarted = process.cpuUsage();
  const miner = new TemplateMiner();
  const detector = new Detector(
    new EntryScorer(options.contamination ? { contamination: options.contamination } : {}),
    null,
    options.detector,
  );
  const events: AnomalyEvent[] = [];
  const counts = new Map<string, Map<number, number>>();
  let batch: MinedEntry[] = [];
  let entries = 0;
  let rateTrainingSeconds: number | null = null;
  let trained = options.rateModel === undefined;

  const flush = () => {
    if (batch.length === 0) return;
    events.push(...detector.process(batch, miner).closedEvents);
    batch = [];
  };
  for (const raw of fleet.entries) {
    const entry = normalizeEntry(raw);
    if (typeof entry === 'string') throw new Error(`the simulator made an entry Lookout rejects: ${entry}`);
    if (!trained && options.rateModel && entry.timeUs >= options.rateModel.trainAtUs) {
      flush();
      const trainingStarted = performance.now();
      const rates = await CountAutoencoder.train(toSeries(counts), options.rateModel.training);
      detector.useRateModel(rates);
      rateTrainingSeconds = (performance.now() - trainingStarted) / 1000;
      trained = true;
    }
    if (!trained) countMinute(counts, entry.host, entry.unit, Math.floor(entry.timeUs / 60e6));
    const mined = entry as MinedEntry;
    mined.templateId = miner.add(entry.message, entry.timeUs).templateId;
    batch.push(mined);
    entries++;
    if (batch.length === BATCH) flush();
  }
  flush();
  events.push(...detector.flush().closedEvents);
  const cpu = process.cpuUsage(cpuStarted);
  return {
    events,
    entries,
    seconds: (performance.now() - started) / 1000,
    cpuSeconds: (cpu.user + cpu.system) / 1e6,
    rateTrainingSeconds,
  };
}

function countMinute(
  counts: Map<string, Map<number, number>>,
  host: string,
  unit: string,
  minute: number,
): void {
  const key = seriesKey(host, unit);
  let perMinute = counts.get(key);
  if (perMinute === undefined) counts.set(key, (perMinute = new Map()));
  perMinute.set(minute, (perMinute.get(minute) ?? 0) + 1);
}

function toSeries(counts: Map<string, Map<number, number>>) {
  // A loop, not Math.min(...): two weeks of minutes for every series would overflow the call stack.
  let first = Infinity;
  let last = -Infinity;
  for (const perMinute of counts.values()) {
    for (const minute of perMinute.keys()) {
      if (minute < first) first = minute;
      if (minute > last) last = minute;
    }
  }
  return [...counts].map(([key, perMinute]) => {
    const series = new Float32Array(last - first + 1);
    for (const [minute, count] of perMinute) series[minute - first] = count;
    return { key, group: key.split('\u0000')[0], startMinute: first, counts: series };
  });
}
