import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { mkdir, stat } from 'node:fs/promises';
import { createServer } from 'node:net';
import { delimiter, join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { setTimeout as sleep } from 'node:timers/promises';

/**
 * The real journald tools, driven from tests: systemd-journal-remote writes journal files,
 * journalctl reads them back, systemd-journal-gatewayd serves them over HTTP on loopback.
 * Quirks these helpers work around are listed in test/support/README.md.
 */

const PACKAGE = 'systemd-journal-remote';

interface Tool {
  command: string;
  candidates: string[];
  debianPackage: string;
}

const TOOLS = {
  journalRemote: {
    command: 'systemd-journal-remote',
    candidates: ['/lib/systemd/systemd-journal-remote', '/usr/lib/systemd/systemd-journal-remote'],
    debianPackage: PACKAGE,
  },
  gatewayd: {
    command: 'systemd-journal-gatewayd',
    candidates: ['/lib/systemd/systemd-journal-gatewayd', '/usr/lib/systemd/systemd-journal-gatewayd'],
    debianPackage: PACKAGE,
  },
  journalctl: { command: 'journalctl', candidates: [], debianPackage: 'systemd' },
  socketActivate: { command: 'systemd-socket-activate', candidates: [], debianPackage: 'systemd' },
} satisfies Record<string, Tool>;

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function locate(tool: Tool): string {
  const onPath = (process.env.PATH ?? '').split(delimiter).map((dir) => join(dir, tool.command));
  const found = [...tool.candidates, ...onPath].find(isExecutable);
  if (found !== undefined) return found;
  throw new Error(
    `${tool.command} not found (looked in ${[...tool.candidates, '$PATH'].join(', ')}): ` +
      `install the Debian package "${tool.debianPackage}" (apt-get install ${tool.debianPackage})`,
  );
}

/** Process groups still running; killed when this process exits, however the test ended. */
const liveGroups = new Set<number>();
let exitHookInstalled = false;

function killGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    // already gone
  }
}

/**
 * Spawns in a new process group that is killed on exit. Where util-linux's setpriv exists the
 * child also gets a parent-death signal, which covers this process being killed outright
 * (SIGKILL from a test runner's timeout runs no exit hook).
 */
function spawnTracked(command: string, args: string[], stdio: ('pipe' | 'ignore')[]): ChildProcess {
  if (!exitHookInstalled) {
    process.on('exit', () => {
      for (const pid of liveGroups) killGroup(pid, 'SIGKILL');
    });
    exitHookInstalled = true;
  }
  const setpriv = ['/usr/bin/setpriv', '/bin/setpriv'].find(isExecutable);
  const child =
    setpriv === undefined
      ? spawn(command, args, { stdio, detached: true })
      : spawn(setpriv, ['--pdeathsig', 'KILL', '--', command, ...args], { stdio, detached: true });
  const pid = child.pid;
  if (pid !== undefined) {
    liveGroups.add(pid);
    child.once('exit', () => liveGroups.delete(pid));
  }
  return child;
}

/** Keeps the start and the end of a child's stderr: journal-remote can warn once per entry. */
class StderrTail {
  private head = '';
  private tail = '';
  private dropped = 0;

  constructor(
    stream: NodeJS.ReadableStream | null,
    private readonly limit = 32 * 1024,
  ) {
    stream?.setEncoding('utf8');
    stream?.on('data', (chunk: string) => this.add(chunk));
  }

  private add(chunk: string): void {
    if (this.head.length < this.limit) {
      const room = this.limit - this.head.length;
      this.head += chunk.slice(0, room);
      chunk = chunk.slice(room);
    }
    this.tail += chunk;
    if (this.tail.length > this.limit) {
      this.dropped += this.tail.length - this.limit;
      this.tail = this.tail.slice(-this.limit);
    }
  }

  get text(): string {
    if (this.dropped === 0) return this.head + this.tail;
    return `${this.head}\n… ${this.dropped} characters left out …\n${this.tail}`;
  }
}

function exited(child: ChildProcess): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  return new Promise((resolveExit, reject) => {
    if (child.exitCode !== null || child.signalCode !== null) {
      resolveExit({ code: child.exitCode, signal: child.signalCode });
      return;
    }
    child.once('error', reject);
    child.once('close', (code, signal) => resolveExit({ code, signal }));
  });
}

/**
 * journal-remote reports data it could not store on stderr and still exits 0: an entry without
 * `__REALTIME_TIMESTAMP` ("Entry is invalid, ignoring."), a line that is not a field ("Entry with
 * no payload, skipping"), input that ends inside an entry ("Premature EOF. N bytes lost.").
 * Only these lines are harmless.
 */
const HARMLESS_REMOTE_LINE = [
  /^Unknown dunder line __\w+=.*, ignoring\.$/,
  /^Finishing after writing \d+ entries$/,
  /^.*: Journal header limits reached or header out-of-date, rotating\.?$/,
  /^… \d+ characters left out …$/,
  /^$/,
];

async function* chunked(
  source: Iterable<Buffer> | AsyncIterable<Buffer>,
  size: number,
): AsyncGenerator<Buffer> {
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  for await (const chunk of source) {
    pending.push(chunk);
    pendingBytes += chunk.length;
    if (pendingBytes >= size) {
      yield Buffer.concat(pending, pendingBytes);
      pending = [];
      pendingBytes = 0;
    }
  }
  if (pendingBytes > 0) yield Buffer.concat(pending, pendingBytes);
}

/**
 * Pipes journal export format into systemd-journal-remote, creating or appending to `dir/file`
 * (journal-remote rotates a full file to `dir/<name>@….journal`, so read the directory, not the file).
 * A string source is export-format text; for a file on disk pass `fs.createReadStream(path)`.
 * Resolves to the number of entries journal-remote wrote; rejects with its stderr when it fails or
 * drops data.
 */
export async function writeJournal(
  dir: string,
  source: Iterable<Buffer> | AsyncIterable<Buffer> | string,
  file = 'system.journal',
): Promise<number> {
  if (!file.endsWith('.journal') || file.includes('/')) {
    throw new Error(`journal file name must be a plain name ending in .journal, got ${file}`);
  }
  const remote = locate(TOOLS.journalRemote);
  await mkdir(dir, { recursive: true });
  const output = join(resolve(dir), file);
  const child = spawnTracked(
    remote,
    ['--split-mode=none', `--output=${output}`, '-'],
    ['pipe', 'ignore', 'pipe'],
  );
  const stderr = new StderrTail(child.stderr);
  const exit = exited(child);
  const stdin = child.stdin;
  if (stdin === null) throw new Error('systemd-journal-remote has no stdin');
  let writeError: unknown;
  stdin.on('error', (error) => (writeError ??= error));
  try {
    const chunks = typeof source === 'string' ? [Buffer.from(source)] : chunked(source, 1 << 20);
    for await (const chunk of chunks) {
      if (writeError !== undefined) break;
      if (!stdin.write(chunk)) {
        await new Promise<void>((resume) => {
          const done = () => {
            stdin.off('drain', done);
            stdin.off('close', done);
            resume();
          };
          stdin.on('drain', done);
          stdin.on('close', done);
        });
      }
    }
  } finally {
    stdin.end();
  }
  const { code, signal } = await exit;
  const message = stderr.text.trim();
  const where = `systemd-journal-remote --output=${output}`;
  if (code !== 0) {
    throw new Error(`${where} failed (${signal ?? `exit code ${code}`}): ${message || String(writeError)}`);
  }
  const problems = message
    .split('\n')
    .filter((line) => !HARMLESS_REMOTE_LINE.some((pattern) => pattern.test(line)));
  if (problems.length > 0) throw new Error(`${where} dropped data: ${problems.slice(0, 20).join('\n')}`);
  const written = /Finishing after writing (\d+) entries/.exec(message);
  if (written?.[1] === undefined)
    throw new Error(`${where} did not say how many entries it wrote: ${message}`);
  return Number(written[1]);
}

function journalctlArgs(dir: string, args: string[]): string[] {
  return [`--directory=${resolve(dir)}`, '--no-pager', ...args];
}

/**
 * Every entry of the journal files in `dir`, as `journalctl -o json --all` prints them (with
 * `--all`, because without it a field whose `NAME=value` is 4096 bytes or more comes out as null).
 * `extraArgs` go to journalctl as they are, e.g. `['_HOSTNAME=web-01']` or `['--reverse']`.
 */
export async function* streamJournal(
  dir: string,
  extraArgs: string[] = [],
): AsyncGenerator<Record<string, unknown>> {
  const journalctl = locate(TOOLS.journalctl);
  const child = spawnTracked(journalctl, journalctlArgs(dir, ['-o', 'json', '--all', ...extraArgs]), [
    'ignore',
    'pipe',
    'pipe',
  ]);
  const stderr = new StderrTail(child.stderr);
  const exit = exited(child);
  const stdout = child.stdout;
  if (stdout === null) throw new Error('journalctl has no stdout');
  let finished = false;
  try {
    for await (const line of createInterface({ input: stdout, crlfDelay: Infinity })) {
      if (line.length > 0) yield JSON.parse(line) as Record<string, unknown>;
    }
    finished = true;
  } finally {
    if (!finished && child.pid !== undefined) killGroup(child.pid, 'SIGKILL');
  }
  const { code, signal } = await exit;
  if (code !== 0) {
    throw new Error(
      `journalctl --directory=${dir} failed (${signal ?? `exit code ${code}`}): ${stderr.text.trim()}`,
    );
  }
}

export async function readJournal(dir: string): Promise<Record<string, unknown>[]> {
  const entries: Record<string, unknown>[] = [];
  for await (const entry of streamJournal(dir)) entries.push(entry);
  return entries;
}

async function runJournalctl(dir: string, args: string[]): Promise<string> {
  const journalctl = locate(TOOLS.journalctl);
  const child = spawnTracked(journalctl, journalctlArgs(dir, args), ['ignore', 'pipe', 'pipe']);
  const stderr = new StderrTail(child.stderr);
  let stdout = '';
  child.stdout?.setEncoding('utf8');
  child.stdout?.on('data', (chunk: string) => (stdout += chunk));
  const { code, signal } = await exited(child);
  if (code !== 0) {
    throw new Error(
      `journalctl ${args.join(' ')} failed (${signal ?? `exit code ${code}`}): ${stderr.text.trim()}`,
    );
  }
  return stdout;
}

/**
 * The number of entries in the journal files in `dir`, from the files' headers (`journalctl
 * --header`), so a million-entry journal is counted in milliseconds.
 */
export async function countJournal(dir: string): Promise<number> {
  const headers = await runJournalctl(dir, ['--header']);
  let total = 0;
  for (const match of headers.matchAll(/^Entry objects: (\d+)$/gm)) total += Number(match[1]);
  return total;
}

export async function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen({ port: 0, host: '127.0.0.1', exclusive: true }, () => {
      const address = server.address();
      server.close(() => {
        if (address !== null && typeof address === 'object') resolvePort(address.port);
        else reject(new Error(`unexpected server address ${String(address)}`));
      });
    });
  });
}

export interface Gatewayd {
  /** `http://127.0.0.1:<port>`, without a trailing slash. */
  url: string;
  port: number;
  /** Stops gatewayd and waits until its process group is gone; does nothing when stopped. */
  stop(): Promise<void>;
  /** Starts it again on the same port and waits until it answers; does nothing when running. */
  start(): Promise<void>;
}

const READY_TIMEOUT_MS = 10_000;
const STOP_GRACE_MS = 2_000;

async function answers(url: string): Promise<boolean> {
  try {
    const response = await fetch(`${url}/`, { redirect: 'manual', signal: AbortSignal.timeout(1_000) });
    await response.body?.cancel();
    return true;
  } catch {
    return false;
  }
}

/**
 * Serves the journal files in `dir` with systemd-journal-gatewayd on a free loopback port (through
 * systemd-socket-activate: gatewayd alone has no address option and would listen on every interface).
 */
export async function startGatewayd(dir: string): Promise<Gatewayd> {
  const socketActivate = locate(TOOLS.socketActivate);
  const gatewayd = locate(TOOLS.gatewayd);
  const directory = resolve(dir);
  // gatewayd starts without it and then answers every request with 500 "Failed to open journal"
  const isDirectory = await stat(directory).then(
    (info) => info.isDirectory(),
    () => false,
  );
  if (!isDirectory) throw new Error(`cannot serve ${directory} with gatewayd: not a directory`);
  let child: ChildProcess | undefined;

  const launch = async (port: number): Promise<void> => {
    const url = `http://127.0.0.1:${port}`;
    const started = spawnTracked(
      socketActivate,
      ['--listen', `127.0.0.1:${port}`, gatewayd, `--directory=${directory}`],
      ['ignore', 'ignore', 'pipe'],
    );
    const stderr = new StderrTail(started.stderr);
    const exit = exited(started);
    let gone = false;
    void exit.then(
      () => (gone = true),
      () => (gone = true),
    );
    const deadline = Date.now() + READY_TIMEOUT_MS;
    while (!gone && Date.now() < deadline) {
      if (await answers(url)) {
        child = started;
        return;
      }
      await sleep(25);
    }
    if (started.pid !== undefined) killGroup(started.pid, 'SIGKILL');
    await exit.catch(() => undefined);
    const why = gone ? 'exited' : `did not answer within ${READY_TIMEOUT_MS} ms`;
    throw new Error(
      `systemd-journal-gatewayd on ${url} (--directory=${directory}) ${why}: ${stderr.text.trim()}`,
    );
  };

  let port = 0;
  for (let attempt = 1; ; attempt++) {
    port = await freePort();
    try {
      await launch(port);
      break;
    } catch (error) {
      // another process may take the port between freePort() and the listen
      if (attempt >= 3) throw error;
    }
  }

  const stop = async (): Promise<void> => {
    const running = child;
    child = undefined;
    const pid = running?.pid;
    if (running === undefined || pid === undefined) return;
    const exit = exited(running);
    killGroup(pid, 'SIGTERM');
    // gatewayd can wait for open ?follow responses before it ends on SIGTERM
    const timer = setTimeout(() => killGroup(pid, 'SIGKILL'), STOP_GRACE_MS);
    try {
      await exit;
    } finally {
      clearTimeout(timer);
    }
  };

  return {
    url: `http://127.0.0.1:${port}`,
    port,
    stop,
    start: async () => {
      if (child === undefined) await launch(port);
    },
  };
}
