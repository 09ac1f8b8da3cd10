import { createReadStream, createWriteStream, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { LineSplitter } from '../../backend/src/journal/lines.ts';
import { importJournalFile } from '../../backend/src/sources/file-import.ts';
import { Store } from '../../backend/src/store/store.ts';
import type { StoredBatch } from '../../backend/src/store/store.ts';
import type { MinedEntry } from '../../backend/src/mining/mined-entry.ts';
import { generateEntries, toJsonLine } from '../support/journal-corpus.ts';
import { toExportFormat } from '../support/journal-export.ts';
import { startGatewayd, writeJournal } from '../support/journald.ts';
import { missingTool } from '../support/system-tools.ts';
import type { Benchmark } from './benchmark.ts';
import { fmt, printTable } from './benchmark.ts';
import { runMeasured } from './measure-child.ts';

const LOOKOUT_BIN = fileURLToPath(new URL('../../backend/bin/lookout.js', import.meta.url));
const PULL_WORKER = fileURLToPath(new URL('./ingest-pull-worker.ts', import.meta.url));
const ENTRIES = Number(process.env.LOOKOUT_BENCH_ENTRIES ?? 1_000_000);
const ROUNDS = 3;

async function writeCorpusFile(path: string, count: number): Promise<number> {
  const out = createWriteStream(path);
  let pending = '';
  for (const entry of generateEntries({ count, seed: 7, hosts: 40, cursors: true, entriesPerSecond: 2000 })) {
    pending += toJsonLine(entry) + '\n';
    if (pending.length > 1 << 20) {
      if (!out.write(pending)) await once(out, 'drain');
      pending = '';
    }
  }
  out.end(pending);
  await once(out, 'finish');
  return statSync(path).size;
}

/** The reference work: split the same bytes into lines the same way and JSON.parse each, nothing else. */
async function bareJsonParse(chunks: AsyncIterable<Buffer>): Promise<Measured & { bytes: number }> {
  const started = performance.now();
  const cpuStarted = process.cpuUsage();
  let entries = 0;
  let bytes = 0;
  const splitter = new LineSplitter({
    line: (text) => {
      if (text.length > 0) {
        JSON.parse(text);
        entries++;
      }
    },
    oversized: () => {},
  });
  for await (const chunk of chunks) {
    bytes += chunk.length;
    splitter.push(chunk);
  }
  splitter.end();
  const cpu = process.cpuUsage(cpuStarted);
  return {
    entries,
    bytes,
    seconds: (performance.now() - started) / 1000,
    cpuSeconds: (cpu.user + cpu.system) / 1e6,
  };
}

/**
 * The ingest path without the mining stage (entries stored with template 0), in this process: how
 * fast the foundation is on its own, to set beside the full pipeline that `lookout import` runs.
 */
async function importWithoutMining(path: string, dataDir: string): Promise<Measured> {
  const store = Store.open(dataDir);
  try {
    const summary = await importJournalFile({
      path,
      sink: {
        resumePoint: (key) => store.sources.get(key)?.resumeFrom ?? null,
        reportError: () => {},
        write: (batch) => {
          // Set in place, as the pipeline's mining stage does: a copy per entry would be the bench's own cost.
          for (const entry of batch.entries) (entry as MinedEntry).templateId = 0;
          store.writeBatch(batch as StoredBatch);
        },
      },
    });
    return { entries: summary.accepted, seconds: summary.seconds, cpuSeconds: summary.cpuSeconds };
  } finally {
    store.close();
  }
}

async function importWithCli(path: string, dataDir: string): Promise<Measured> {
  const run = await runMeasured(process.execPath, [LOOKOUT_BIN, 'import', path, '--data', dataDir, '--json']);
  if (run.code !== 0) throw new Error(`lookout import failed (${run.code}): ${run.stderr}`);
  const summary = JSON.parse(run.stdout) as { accepted: number; seconds: number; cpuSeconds: number };
  return {
    entries: summary.accepted,
    seconds: summary.seconds,
    cpuSeconds: summary.cpuSeconds,
    peakRssMb: run.peakRssMb,
  };
}

export const ingestBenchmark: Benchmark = {
  name: 'ingest',
  title: `journald ingest of ${fmt(ENTRIES)} realistic entries: file import and gatewayd pull`,
  async run() {
    const dir = mkdtempSync(join(tmpdir(), 'lookout-bench-ingest-'));
    try {
      const quarter = Math.round(ENTRIES / 4);
      const smallFile = join(dir, 'quarter.json');
      const file = join(dir, 'full.json');
      const smallBytes = await writeCorpusFile(smallFile, quarter);
      const bytes = await writeCorpusFile(file, ENTRIES);
      console.log(
        `corpus: ${fmt(ENTRIES)} entries, ${fmt(bytes / 1e6)} MB (${fmt(bytes / ENTRIES)} bytes/entry)\n`,
      );

      // Interleaved rounds, each figure the median: other processes on the machine slow single runs.
      const references: Measured[] = [];
      const foundations: Measured[] = [];
      const fulls: Measured[] = [];
      for (let round = 0; round < ROUNDS; round++) {
        references.push(await bareJsonParse(createReadStream(file, { highWaterMark: 1 << 20 })));
        foundations.push(await importWithoutMining(file, join(dir, 'data-foundation')));
        fulls.push(await importWithCli(file, join(dir, 'data-full')));
        // Each round imports into an empty store, as the first did.
        for (const data of ['data-foundation', 'data-full'])
          rmSync(join(dir, data), { recursive: true, force: true });
      }
      const reference = medianByRate(references);
      const foundation = medianByRate(foundations);
      const full = medianByRate(fulls);
      const small = await importWithCli(smallFile, join(dir, 'data-small'));
      const rows = [
        row('bare JSON.parse (reference)', reference, bytes, reference),
        row('ingest foundation: parse → normalise → store', foundation, bytes, reference),
        row('lookout import (full pipeline: mining and detection)', small, smallBytes, reference),
        row('lookout import (full pipeline: mining and detection)', full, bytes, reference),
      ];

      const skip = missingTool(
        'systemd-journal-remote',
        '/lib/systemd/systemd-journal-remote',
        'systemd-socket-activate',
      );
      if (skip) {
        console.log(`gatewayd pull skipped: ${skip}`);
      } else {
        const journalDir = join(dir, 'journal');
        const writeStarted = performance.now();
        await writeJournal(
          journalDir,
          toExportFormat(generateEntries({ count: ENTRIES, seed: 7, hosts: 40, entriesPerSecond: 2000 })),
        );
        const writeSeconds = (performance.now() - writeStarted) / 1000;
        console.log(
          `journal written by systemd-journal-remote in ${writeSeconds.toFixed(1)} s (${fmt(ENTRIES / writeSeconds)} entries/s)\n`,
        );
        const gatewayd = await startGatewayd(journalDir);
        try {
          const served = await readGatewayd(gatewayd.url);
          const pull = await runMeasured(process.execPath, [
            '--import',
            'tsx',
            PULL_WORKER,
            gatewayd.url,
            join(dir, 'data-pull'),
          ]);
          if (pull.code !== 0) throw new Error(`pull worker failed: ${pull.stderr}`);
          const pulled = JSON.parse(pull.stdout) as Measured;
          rows.push(
            row('gatewayd stream read + JSON.parse (reference)', served, served.bytes, served),
            row('lookout gatewayd pull', { ...pulled, peakRssMb: pull.peakRssMb }, served.bytes, served),
          );
        } finally {
          await gatewayd.stop();
        }
      }
      printTable(
        [
          'path',
          'entries',
          'entries/s (wall)',
          'entries per CPU-s',
          'MB per CPU-s',
          'vs reference',
          'peak RSS MB',
        ],
        rows,
      );
      console.log(
        '\nper CPU-s: entries over the user + system CPU time the work took, i.e. the rate on one core,\n' +
          'which load from other processes does not inflate; vs reference compares those rates with the\n' +
          'reference row above, measured in this run on the same input. The rows on the whole corpus are the\n' +
          `medians of ${ROUNDS} interleaved rounds.`,
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
};

interface Measured {
  entries: number;
  seconds: number;
  cpuSeconds: number;
  peakRssMb?: number;
}

function medianByRate<T extends Measured>(runs: T[]): T {
  const sorted = [...runs].sort((a, b) => a.entries / a.cpuSeconds - b.entries / b.cpuSeconds);
  return sorted[Math.floor(sorted.length / 2)] as T;
}

function row(name: string, run: Measured, bytes: number, reference: Measured): string[] {
  const perCpu = (measured: Measured) => measured.entries / measured.cpuSeconds;
  return [
    name,
    fmt(run.entries),
    fmt(run.entries / run.seconds),
    fmt(perCpu(run)),
    fmt(bytes / 1e6 / run.cpuSeconds, 1),
    (perCpu(run) / perCpu(reference)).toFixed(2),
    run.peakRssMb === undefined ? '-' : fmt(run.peakRssMb),
  ];
}

/** What gatewayd itself can deliver: its whole stream read and each line JSON.parsed. */
async function readGatewayd(url: string): Promise<Measured & { bytes: number }> {
  const response = await fetch(`${url}/entries`, { headers: { accept: 'application/json' } });
  async function* buffers() {
    for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
      yield Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    }
  }
  return bareJsonParse(buffers());
}
