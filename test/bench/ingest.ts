import { createReadStream, createWriteStream, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { LineSplitter } from '../../backend/src/journal/lines.ts';
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
async function bareJsonParse(
  chunks: AsyncIterable<Buffer>,
): Promise<{ entries: number; bytes: number; seconds: number }> {
  const started = performance.now();
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
  return { entries, bytes, seconds: (performance.now() - started) / 1000 };
}

async function importWithCli(path: string, dataDir: string) {
  const run = await runMeasured(process.execPath, [LOOKOUT_BIN, 'import', path, '--data', dataDir]);
  const match = /imported ([\d,]+) entries .*in ([\d.]+) s/.exec(run.stderr);
  if (run.code !== 0 || !match) throw new Error(`lookout import failed (${run.code}): ${run.stderr}`);
  return {
    entries: Number(match[1]?.replaceAll(',', '')),
    seconds: Number(match[2]),
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

      const reference = await bareJsonParse(createReadStream(file, { highWaterMark: 1 << 20 }));
      const small = await importWithCli(smallFile, join(dir, 'data-small'));
      const full = await importWithCli(file, join(dir, 'data-full'));
      const rows: (string | number)[][] = [
        [
          'bare JSON.parse (reference)',
          fmt(reference.entries),
          fmt(reference.entries / reference.seconds),
          fmt(bytes / 1e6 / reference.seconds, 1),
          '1.00',
          '-',
        ],
        [
          'lookout import',
          fmt(small.entries),
          fmt(small.entries / small.seconds),
          fmt(smallBytes / 1e6 / small.seconds, 1),
          ratio(small, reference),
          fmt(small.peakRssMb),
        ],
        [
          'lookout import',
          fmt(full.entries),
          fmt(full.entries / full.seconds),
          fmt(bytes / 1e6 / full.seconds, 1),
          ratio(full, reference),
          fmt(full.peakRssMb),
        ],
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
          const pulled = JSON.parse(pull.stdout) as { entries: number; seconds: number };
          rows.push(
            [
              'gatewayd stream read + JSON.parse (reference)',
              fmt(served.entries),
              fmt(served.entries / served.seconds),
              fmt(served.bytes / 1e6 / served.seconds, 1),
              '1.00',
              '-',
            ],
            [
              'lookout gatewayd pull',
              fmt(pulled.entries),
              fmt(pulled.entries / pulled.seconds),
              fmt(served.bytes / 1e6 / pulled.seconds, 1),
              ratio(pulled, served),
              fmt(pull.peakRssMb),
            ],
          );
        } finally {
          await gatewayd.stop();
        }
      }
      printTable(['path', 'entries', 'entries/s', 'MB/s', 'vs reference', 'peak RSS MB'], rows);
      console.log('\nratio = entries/s divided by the reference measured just above it in this run');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
};

function ratio(
  run: { entries: number; seconds: number },
  reference: { entries: number; seconds: number },
): string {
  return (run.entries / run.seconds / (reference.entries / reference.seconds)).toFixed(2);
}

/** What gatewayd itself can deliver: its whole stream read and each line JSON.parsed. */
async function readGatewayd(url: string): Promise<{ entries: number; bytes: number; seconds: number }> {
  const response = await fetch(`${url}/entries`, { headers: { accept: 'application/json' } });
  async function* buffers() {
    for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
      yield Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    }
  }
  return bareJsonParse(buffers());
}
