import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { open, realpath, stat } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import { pathToFileURL } from 'node:url';
import { LineSplitter } from '../journal/lines.ts';
import type { LineHandler } from '../journal/lines.ts';
import type { LineError } from '../journal/parse.ts';
import { EntryBatcher } from './batcher.ts';
import { STDIN_SOURCE } from './keys.ts';
import type { EntrySink } from './sink.ts';

export interface ImportProgress {
  bytesRead: number;
  /** Null for stdin. */
  totalBytes: number | null;
  accepted: number;
  rejected: number;
}

export interface ImportOptions {
  /** A file path, or '-' for standard input. */
  path: string;
  sink: EntrySink;
  /** Import the whole file again even if an earlier import of it got (part of) the way. */
  fromStart?: boolean;
  onProgress?: (progress: ImportProgress) => void;
  progressIntervalMs?: number;
  stdin?: Readable;
}

export interface ImportSummary {
  sourceKey: string;
  accepted: number;
  rejected: number;
  /** The first rejected lines, with their numbers. */
  errors: LineError[];
  /** Lines skipped because an earlier, interrupted import of this file had stored them. */
  resumedAfterLine: number;
  bytesRead: number;
  seconds: number;
  /** CPU time the import took (user + system), which load from other processes does not inflate. */
  cpuSeconds: number;
}

const REPORTED_ERRORS = 20;
/**
 * A file is read as fast as it can be, so its batches are stored when full (and at its end), not after a
 * pause: a busy machine's pauses would otherwise cut batches wherever they fell, and where a batch ends
 * is where the entry model's first fit happens (the pipeline fits between batches), so the same file
 * would score differently from run to run. (Longest timeout Node takes; stdin keeps the default.)
 */
const FILE_FLUSH_DELAY_MS = 2 ** 31 - 1;
/**
 * Entries per stored batch of an import. Larger batches cost less per entry (a batch writes each
 * per-minute count and each template it touched once, in one transaction): 20,000 made `lookout import`
 * of 1M entries 5–8 % faster than 5,000, with the same peak RSS. A crash loses no more than the batch in
 * progress, which the next run reads again.
 */
export const IMPORT_BATCH_ENTRIES = 20_000;
/** Bytes hashed to recognise a file again (a rotated file with the same name starts differently). */
const HEAD_BYTES = 4096;

/**
 * Imports a `journalctl -o json` export. For files, the resume point is the number of lines
 * stored, so an import that is killed and run again carries on where it stopped, and a
 * finished import run again adds nothing.
 */
export async function importJournalFile(options: ImportOptions): Promise<ImportSummary> {
  const started = performance.now();
  const cpuStarted = process.cpuUsage();
  const fromStdin = options.path === '-';
  const sourceKey = fromStdin ? STDIN_SOURCE : pathToFileURL(await realpath(options.path)).href;
  const totalBytes = fromStdin ? null : (await stat(options.path)).size;
  const head = fromStdin ? '' : await headHash(options.path);

  let skipLines = 0;
  if (!fromStdin && !options.fromStart) {
    const resume = parseResumePoint(options.sink.resumePoint(sourceKey));
    if (resume !== null && resume.head === head) skipLines = resume.lines;
  }

  const batcher = new EntryBatcher(sourceKey, options.sink, {
    keepErrors: REPORTED_ERRORS,
    maxEntries: IMPORT_BATCH_ENTRIES,
    resumeFromLine: fromStdin ? undefined : (line) => formatResumePoint(line, head),
    maxDelayMs: fromStdin ? undefined : FILE_FLUSH_DELAY_MS,
  });
  const handler: LineHandler =
    skipLines === 0
      ? batcher
      : {
          line: (text, number) => number > skipLines && batcher.line(text, number),
          oversized: (number, bytes) => number > skipLines && batcher.oversized(number, bytes),
        };
  const splitter = new LineSplitter(handler);

  const input = fromStdin
    ? (options.stdin ?? process.stdin)
    : createReadStream(options.path, { highWaterMark: 1 << 20 });
  let bytesRead = 0;
  let lastProgress = 0;
  const interval = options.progressIntervalMs ?? 200;
  const report = () =>
    options.onProgress?.({ bytesRead, totalBytes, accepted: batcher.accepted, rejected: batcher.rejected });
  for await (const chunk of input as AsyncIterable<Buffer>) {
    bytesRead += chunk.length;
    splitter.push(chunk);
    const now = performance.now();
    if (now - lastProgress >= interval) {
      lastProgress = now;
      report();
    }
  }
  splitter.end();
  batcher.flush();
  report();

  return {
    sourceKey,
    accepted: batcher.accepted,
    rejected: batcher.rejected,
    errors: batcher.firstErrors,
    resumedAfterLine: skipLines,
    bytesRead,
    seconds: (performance.now() - started) / 1000,
    cpuSeconds: cpuSecondsSince(cpuStarted),
  };
}

function cpuSecondsSince(start: NodeJS.CpuUsage): number {
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1e6;
}

function formatResumePoint(lines: number, head: string): string {
  return `lines=${lines};head=${head}`;
}

function parseResumePoint(value: string | null): { lines: number; head: string } | null {
  const match = value?.match(/^lines=(\d+);head=([0-9a-f]+)$/);
  return match ? { lines: Number(match[1]), head: match[2] ?? '' } : null;
}

async function headHash(path: string): Promise<string> {
  const file = await open(path, 'r');
  try {
    const buffer = Buffer.alloc(HEAD_BYTES);
    const { bytesRead } = await file.read(buffer, 0, HEAD_BYTES, 0);
    return createHash('sha256').update(buffer.subarray(0, bytesRead)).digest('hex').slice(0, 16);
  } finally {
    await file.close();
  }
}
