import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { LineSplitter } from '../journal/lines.ts';
import { Backoff } from './backoff.ts';
import { EntryBatcher } from './batcher.ts';
import { LOCAL_JOURNAL_SOURCE } from './keys.ts';
import type { EntrySink } from './sink.ts';

export interface JournalctlSourceOptions {
  sink: EntrySink;
  /** Read this journal directory instead of the system journal (`journalctl --directory`). */
  directory?: string;
  journalctl?: string;
  batchSize?: number;
  flushDelayMs?: number;
  backoff?: Backoff;
  onLog?: (level: 'info' | 'warn', message: string) => void;
}

/**
 * Follows the journal of the host Lookout runs on with `journalctl -o json --follow`, resuming
 * after the stored cursor with `--after-cursor`, and restarting journalctl if it exits.
 */
export class JournalctlSource {
  readonly key: string;
  private child: ChildProcess | null = null;
  private batcher: EntryBatcher | null = null;
  private retryTimer: NodeJS.Timeout | null = null;
  private stopped = true;
  private readonly backoff: Backoff;

  constructor(private readonly options: JournalctlSourceOptions) {
    this.key = options.directory ? `journal:${options.directory}` : LOCAL_JOURNAL_SOURCE;
    this.backoff = options.backoff ?? new Backoff();
  }

  start(): void {
    this.stopped = false;
    this.spawn();
  }

  stop(): void {
    this.stopped = true;
    if (this.retryTimer !== null) clearTimeout(this.retryTimer);
    this.retryTimer = null;
    this.end();
  }

  private spawn(): void {
    const resumeFrom = this.options.sink.resumePoint(this.key);
    // --all: without it journalctl prints null for values over 4 KiB.
    const args = ['--output=json', '--all', '--follow', '--no-tail', '--quiet'];
    if (this.options.directory) args.push(`--directory=${this.options.directory}`);
    if (resumeFrom !== null) args.push(`--after-cursor=${resumeFrom}`);
    const batcher = new EntryBatcher(this.key, this.options.sink, {
      maxEntries: this.options.batchSize,
      maxDelayMs: this.options.flushDelayMs,
      onFlushError: (error) => this.restart(`cannot store entries: ${error.message}`),
    });
    const splitter = new LineSplitter(batcher);
    const child = spawn(this.options.journalctl ?? 'journalctl', args, { stdio: ['ignore', 'pipe', 'pipe'] });
    this.child = child;
    this.batcher = batcher;
    let stderr = '';
    child.stderr?.setEncoding('utf8').on('data', (text: string) => {
      if (stderr.length < 2000) stderr += text;
    });
    child.stdout?.on('data', (chunk: Buffer) => {
      try {
        splitter.push(chunk);
        this.backoff.reset();
      } catch (error) {
        batcher.discard();
        this.restart(`cannot store entries: ${(error as Error).message}`);
      }
    });
    child.on('error', (error: NodeJS.ErrnoException) => {
      if (this.child !== child) return;
      this.restart(
        error.code === 'ENOENT'
          ? 'journalctl not found: install systemd or use a gatewayd source'
          : error.message,
      );
    });
    child.on('close', (code, signal) => {
      if (this.child !== child) return;
      this.restart(`journalctl exited (${signal ?? `code ${code}`})${stderr ? `: ${stderr.trim()}` : ''}`);
    });
  }

  private end(): void {
    const { child, batcher } = this;
    this.child = null;
    this.batcher = null;
    child?.kill('SIGTERM');
    try {
      batcher?.flush();
    } catch (error) {
      batcher?.discard();
      this.options.onLog?.('warn', `${this.key}: cannot store entries: ${(error as Error).message}`);
    }
  }

  private restart(reason: string): void {
    this.end();
    if (this.stopped) return;
    this.options.sink.reportError(this.key, reason);
    const delay = this.backoff.nextDelayMs();
    this.options.onLog?.('warn', `${this.key}: ${reason}; restarting in ${(delay / 1000).toFixed(1)} s`);
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      if (!this.stopped) this.spawn();
    }, delay);
  }
}

const SYSTEM_JOURNAL_DIRS = ['/var/log/journal', '/run/log/journal'];

/** Whether this host has a system journal with files in it and journalctl to read it. */
export function localJournalAvailable(): boolean {
  const hasJournalctl = (process.env.PATH ?? '')
    .split(':')
    .some((dir) => dir !== '' && existsSync(`${dir}/journalctl`));
  return hasJournalctl && SYSTEM_JOURNAL_DIRS.some((dir) => containsJournalFiles(dir, 2));
}

function containsJournalFiles(dir: string, depth: number): boolean {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return false;
  }
  return names.some(
    (name) =>
      name.endsWith('.journal') ||
      (depth > 0 && !name.includes('.') && containsJournalFiles(`${dir}/${name}`, depth - 1)),
  );
}
