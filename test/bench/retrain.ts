// Rolling retrain (issue 4): how long each model takes to learn again, and how fast ingest runs while it
// does. Both fits run on worker threads as in the service; ingest (parse → mine → score → store, through
// the same IngestPipeline) goes on in this thread, and its rate during each fit is set beside its rate
// with no fit running, measured just before and just after.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { IngestPipeline } from '../../backend/src/app/pipeline.ts';
import { trainRatesInWorker } from '../../backend/src/app/rate-training.ts';
import type { TrainOptions } from '../../backend/src/detect/autoencoder/index.ts';
import { MINUTES_PER_DAY } from '../../backend/src/detect/autoencoder/series.ts';
import { Detector } from '../../backend/src/detect/detector.ts';
import { EntryScorer, trainEntryModel } from '../../backend/src/detect/entries/index.ts';
import { trainInWorker as trainEntriesInWorker } from '../../backend/src/detect/entries/train-in-worker.ts';
import type { JournalEntry } from '../../backend/src/journal/entry.ts';
import { parseJournalLine } from '../../backend/src/journal/parse.ts';
import type { SourceBatch } from '../../backend/src/sources/sink.ts';
import { Store } from '../../backend/src/store/store.ts';
import { generateSeries, MONDAY, unitProfiles } from '../../backend/test/detect/autoencoder/synthetic.ts';
import { generateEntries, toJsonLine } from '../support/journal-corpus.ts';
import type { Benchmark } from './benchmark.ts';
import { fmt, printTable } from './benchmark.ts';

/** Distinct corpus lines, replayed with later times once used up. */
const CORPUS_LINES = 100_000;
const BATCH = 5_000;
/** Entries ingested to fill the entry model's window (100,000 rows) before anything is measured. */
const WARM_ENTRIES = 120_000;
/** Entries of each measurement without a fit running. */
const IDLE_ENTRIES = 40_000;
const RATE_SERIES = 200;
const RATE_DAYS = 7;
/** Fewer windows and epochs than the default retrain, so that the bench takes a minute, not several. */
const RATE_TRAINING: TrainOptions = { maxWindows: 1024, maxEpochs: 4, seed: 1 };

/** How often the entry model's fit is measured: it takes seconds, so one run is at the mercy of the load. */
const ENTRY_FITS = 3;

interface Segment {
  entries: number;
  seconds: number;
  /** CPU seconds of this (the ingest) thread alone, where the system tells them. */
  threadCpuSeconds: number | null;
}

/** This thread's user + system CPU seconds, from Linux's per-thread accounting (the main thread's id is the pid). */
function ingestThreadCpu(): number | null {
  try {
    const fields = readFileSync(`/proc/self/task/${process.pid}/stat`, 'utf8').split(') ')[1]?.split(' ');
    return (Number(fields?.[11]) + Number(fields?.[12])) / 100;
  } catch {
    return null;
  }
}

function cpuSince(started: number | null): number | null {
  const now = ingestThreadCpu();
  return now === null || started === null ? null : now - started;
}

/** The ingest bench's corpus, parsed once; each pass over it comes later in time than the last. */
class Feed {
  readonly #lines: string[] = [];
  readonly #spanUs: number;
  #next = 0;

  constructor() {
    for (const entry of generateEntries({
      count: CORPUS_LINES,
      seed: 7,
      hosts: 40,
      entriesPerSecond: 2000,
    })) {
      this.#lines.push(toJsonLine(entry));
    }
    this.#spanUs = this.#parse(this.#lines.length - 1).timeUs - this.#parse(0).timeUs + 1_000_000;
  }

  /** The next batch, parsed and normalised as a source does. */
  batch(): SourceBatch {
    const entries: JournalEntry[] = [];
    for (let index = 0; index < BATCH; index++, this.#next++) {
      const entry = this.#parse(this.#next % this.#lines.length);
      entry.timeUs += Math.floor(this.#next / this.#lines.length) * this.#spanUs;
      entries.push(entry);
    }
    return { sourceKey: 'bench:', entries, errors: [], resumeFrom: null };
  }

  #parse(line: number): JournalEntry {
    const parsed = parseJournalLine(this.#lines[line] as string, line + 1);
    if (parsed === null || 'error' in parsed) throw new Error(`corpus line ${line + 1} did not parse`);
    return parsed;
  }
}

function ingest(pipeline: IngestPipeline, feed: Feed, entries: number): Segment {
  const started = performance.now();
  const cpuStarted = ingestThreadCpu();
  for (let done = 0; done < entries; done += BATCH) pipeline.write(feed.batch());
  return { entries, seconds: (performance.now() - started) / 1000, threadCpuSeconds: cpuSince(cpuStarted) };
}

/** Ingests batch after batch until `work` settles, letting the event loop turn between batches. */
async function ingestDuring<T>(
  pipeline: IngestPipeline,
  feed: Feed,
  work: Promise<T>,
): Promise<Segment & { result: T }> {
  let settled: { result: T } | null = null;
  const done = work.then((result) => (settled = { result }));
  const started = performance.now();
  const cpuStarted = ingestThreadCpu();
  let entries = 0;
  while (settled === null) {
    pipeline.write(feed.batch());
    entries += BATCH;
    await nextTurn();
  }
  const threadCpuSeconds = cpuSince(cpuStarted);
  await done;
  const { result } = settled as { result: T };
  return { entries, seconds: (performance.now() - started) / 1000, threadCpuSeconds, result };
}

const rate = (segment: Segment) => segment.entries / segment.seconds;
/** The share of a core the ingest thread had: what other threads and processes left it. */
const cpuShare = (segment: Segment) =>
  segment.threadCpuSeconds === null ? '-' : fmt(segment.threadCpuSeconds / segment.seconds, 2);

/**
 * A week of per-minute counts of {@link RATE_SERIES} synthetic (host, unit) series, written into the
 * store's table as ingest writes them, for the rate model to read and learn from; returns the last minute.
 */
function writeCounts(store: Store): number {
  const series = generateSeries(unitProfiles(RATE_SERIES, 21), MONDAY, RATE_DAYS * MINUTES_PER_DAY, 22);
  const insert = store.db.prepare(
    'INSERT INTO entry_counts (series_id, minute, priority, count) VALUES (?, ?, 6, ?)',
  );
  store.db.transaction(() => {
    series.forEach((one, index) => {
      const id = store.series.idOf(one.group ?? `bench-${index % 20}`, `unit-${index}.service`);
      one.counts.forEach((count, offset) => {
        if (count > 0) insert.run(id, one.startMinute + offset, count);
      });
    });
  })();
  return MONDAY + RATE_DAYS * MINUTES_PER_DAY - 1;
}

export const retrainBenchmark: Benchmark = {
  name: 'retrain',
  title: 'rolling retrain of both models on worker threads, and ingest while they learn',
  async run() {
    const dir = mkdtempSync(join(tmpdir(), 'lookout-bench-retrain-'));
    const store = Store.open(dir);
    try {
      const feed = new Feed();
      // The schedule never calls for a fit by itself here: the bench starts each one.
      const scorer = new EntryScorer({ autoRefit: false, minTrainingRows: Number.MAX_SAFE_INTEGER });
      const pipeline = new IngestPipeline(store, { log: { warn: () => {} }, detector: new Detector(scorer) });
      ingest(pipeline, feed, WARM_ENTRIES);
      scorer.install(trainEntryModel(scorer.trainingJob()));

      const rows: (string | number)[][] = [];
      const measure = async (name: string, fit: () => Promise<unknown>) => {
        const before = ingest(pipeline, feed, IDLE_ENTRIES);
        const during = await ingestDuring(pipeline, feed, fit());
        const after = ingest(pipeline, feed, IDLE_ENTRIES);
        const idle = (rate(before) + rate(after)) / 2;
        rows.push([
          name,
          fmt(during.seconds, 1),
          fmt(idle),
          fmt(rate(during)),
          fmt(rate(during) / idle, 2),
          `${cpuShare(before)} / ${cpuShare(during)} / ${cpuShare(after)}`,
          fmt(during.entries),
        ]);
        return during.result;
      };

      const windowRows = scorer.stats.windowRows;
      const cpuStarted = process.cpuUsage();
      const inThread = trainEntryModel(scorer.trainingJob());
      const cpu = process.cpuUsage(cpuStarted);
      console.log(
        `entry model fitted in this thread on ${fmt(windowRows)} window rows: ${fmt((cpu.user + cpu.system) / 1e6, 2)} CPU-s ` +
          '(how long ingest would stall without the worker)\n',
      );
      scorer.install(inThread);

      for (let fit = 1; fit <= ENTRY_FITS; fit++) {
        await measure(
          `entry model (${fit}/${ENTRY_FITS}): fit + score the ${fmt(windowRows)}-row window`,
          async () => {
            scorer.install(await trainEntriesInWorker(scorer.trainingJob()));
          },
        );
      }
      const rates = Store.open(join(dir, 'rates'));
      const toMinute = writeCounts(rates);
      await measure(
        `rate model: read ${RATE_SERIES} series × ${RATE_DAYS} days from the store, ${RATE_TRAINING.maxWindows} windows, ≤ ${RATE_TRAINING.maxEpochs} epochs`,
        () =>
          trainRatesInWorker({
            databasePath: rates.db.name,
            fromMinute: toMinute - RATE_DAYS * MINUTES_PER_DAY,
            toMinute,
            minHistoryMinutes: MINUTES_PER_DAY,
            training: RATE_TRAINING,
          }),
      );
      rates.close();
      printTable(
        [
          'retrain (worker thread)',
          'retrain s (wall)',
          'ingest entries/s, no fit',
          'ingest entries/s, during fit',
          'during / no fit',
          'ingest thread CPU share: before / during / after',
          'entries ingested during fit',
        ],
        rows,
      );
      console.log(
        `\nload average at the end: ${loadavg()
          .map((load) => load.toFixed(1))
          .join(', ')}`,
      );
      pipeline.close();
    } finally {
      store.close();
      rmSync(dir, { recursive: true, force: true });
    }
  },
};
