import { spawn } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { LineSplitter } from '../journal/lines.ts';
import type { EntryBatcher } from './batcher.ts';
import { LOCAL_JOURNAL_SOURCE } from './keys.ts';
import { ReconnectingSource } from './reconnecting.ts';
import type { StreamConnection, StreamEvents, StreamSettings } from './reconnecting.ts';

export interface JournalctlSourceOptions extends StreamSettings {
  /** Read this journal directory instead of the system journal (`journalctl --directory`). */
  directory?: string;
  journalctl?: string;
}

/**
 * Follows the journal of the host Lookout runs on with `journalctl -o json --follow`, resuming
 * after the stored cursor with `--after-cursor`, and restarting journalctl if it exits.
 */
export class JournalctlSource extends ReconnectingSource {
  readonly key: string;

  constructor(private readonly options: JournalctlSourceOptions) {
    super(options);
    this.key = options.directory ? `journal:${options.directory}` : LOCAL_JOURNAL_SOURCE;
  }

  protected open(resumeFrom: string | null, batcher: EntryBatcher, events: StreamEvents): StreamConnection {
    // --all: without it journalctl prints null for values over 4 KiB.
    const args = ['--output=json', '--all', '--follow', '--no-tail', '--quiet'];
    if (this.options.directory) args.push(`--directory=${this.options.directory}`);
    if (resumeFrom !== null) args.push(`--after-cursor=${resumeFrom}`);
    const splitter = new LineSplitter(batcher);
    const child = spawn(this.options.journalctl ?? 'journalctl', args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (text: string) => {
      if (stderr.length < 2000) stderr += text;
    });
    child.stdout.on('data', (chunk: Buffer) => {
      try {
        splitter.push(chunk);
        events.healthy();
      } catch (error) {
        events.failed(`cannot store entries: ${(error as Error).message}`, { keepPending: false });
      }
    });
    child.on('error', (error: NodeJS.ErrnoException) =>
      events.failed(
        error.code === 'ENOENT'
          ? 'journalctl not found: install systemd or use a gatewayd source'
          : error.message,
      ),
    );
    child.on('close', (code, signal) =>
      events.failed(`journalctl exited (${signal ?? `code ${code}`})${stderr ? `: ${stderr.trim()}` : ''}`),
    );
    return { close: () => child.kill('SIGTERM') };
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
