// A small, realistic journald stream for the entry scorer's tests and benchmark: web, database and
// worker hosts whose units say their real kinds of lines, busier by day than by night, admins logging in
// during office hours from a few addresses, scanners at every hour from ever new ones, timers on the
// clock; and the odd entries an on-call engineer would want to hear about, to inject into it.
import type { JournalEntry } from '../../../src/journal/entry.ts';
import { SeededRandom } from '../../../src/detect/random.ts';

/** Monday 2024-06-03 00:00 UTC, in µs. */
export const STREAM_START_US = Date.UTC(2024, 5, 3) * 1000;
export const HOUR_US = 3_600_000_000;
export const DAY_US = 24 * HOUR_US;

const ADMINS = ['alice', 'bob', 'deploy'];
const ADMIN_ADDRESSES = ['10.8.0.2', '10.8.0.3', '10.8.0.6', '192.0.2.10'];
const SCANNED_USERS = 'admin test oracle ubnt postgres git user guest ftp pi support jenkins'.split(' ');
const QUEUES = ['mail', 'thumbnails', 'invoices', 'search-index'];
const PATHS = ['/api/items', '/api/cart', '/api/orders', '/api/users', '/static/app.js', '/healthz'];

interface Host {
  name: string;
  role: 'web' | 'db' | 'worker';
  address: string;
}

const HOSTS: Host[] = [
  { name: 'web-1', role: 'web', address: '10.0.1.11' },
  { name: 'web-2', role: 'web', address: '10.0.1.12' },
  { name: 'web-3', role: 'web', address: '10.0.1.13' },
  { name: 'db-1', role: 'db', address: '10.0.2.21' },
  { name: 'worker-1', role: 'worker', address: '10.0.3.31' },
  { name: 'worker-2', role: 'worker', address: '10.0.3.32' },
];

export class StreamWriter {
  readonly entries: JournalEntry[] = [];
  readonly random: SeededRandom;

  constructor(seed: number) {
    this.random = new SeededRandom(seed);
  }

  emit(timeUs: number, host: string, unit: string, priority: number | null, message: string): void {
    this.entries.push({
      cursor: null,
      timeUs,
      host,
      unit,
      priority,
      message,
      pid: null,
      flags: 0,
      extra: null,
    });
  }

  pick<T>(items: readonly T[]): T {
    return items[this.random.nextInt(items.length)] as T;
  }

  int(low: number, high: number): number {
    return low + this.random.nextInt(high - low + 1);
  }

  /** An address from a pool of `pool` public ones: small pools repeat, large ones are mostly new. */
  address(pool: number): string {
    const index = this.random.nextInt(pool);
    return `${45 + (index % 150)}.${(index >>> 3) % 256}.${(index * 7) % 256}.${(index * 13) % 254}`;
  }
}

/** Office hours, Monday to Friday, UTC. */
function officeHours(hour: number, weekday: number): boolean {
  return weekday < 5 && hour >= 8 && hour < 18;
}

/** Traffic by hour of day: a night trough at a fifth of the afternoon peak. */
function dayCurve(hour: number): number {
  return 0.2 + 0.8 * Math.exp(-(((hour - 14) / 4.5) ** 2));
}

function sshd(out: StreamWriter, time: number, host: Host, hour: number, weekday: number): void {
  const ssh = (priority: number, message: string) =>
    out.emit(time, host.name, 'ssh.service', priority, message);
  const port = out.int(30000, 65000);
  if (officeHours(hour, weekday) && out.random.next() < 1 / 900) {
    const user = out.pick(ADMINS);
    const method = user === 'deploy' ? 'publickey' : 'password';
    ssh(6, `Accepted ${method} for ${user} from ${out.pick(ADMIN_ADDRESSES)} port ${port} ssh2`);
    ssh(
      6,
      `pam_unix(sshd:session): session opened for user ${user}(uid=${1000 + ADMINS.indexOf(user)}) by (uid=0)`,
    );
    out.emit(
      time + 40_000,
      host.name,
      'systemd-logind.service',
      6,
      `New session ${out.int(1, 9999)} of user ${user}.`,
    );
  }
  if (out.random.next() < 1 / 150) {
    const user = out.pick(SCANNED_USERS);
    const from = out.address(5000);
    ssh(6, `Invalid user ${user} from ${from} port ${port}`);
    ssh(6, `Failed password for invalid user ${user} from ${from} port ${port} ssh2`);
    ssh(6, `Connection closed by invalid user ${user} ${from} port ${port} [preauth]`);
  }
}

function kernel(out: StreamWriter, time: number, host: Host): void {
  if (out.random.next() >= 1 / 40) return;
  const mac = `52:54:00:${out.int(16, 255).toString(16)}:${out.int(16, 255).toString(16)}:01`;
  out.emit(
    time,
    host.name,
    'kernel',
    4,
    `[UFW BLOCK] IN=eth0 OUT= MAC=${mac} SRC=${out.address(20000)} DST=${host.address} LEN=${out.int(40, 60)} ` +
      `TOS=0x00 PREC=0x00 TTL=${out.int(40, 250)} ID=${out.int(1, 65535)} PROTO=TCP SPT=${out.int(1024, 65535)} ` +
      `DPT=${out.pick([22, 23, 80, 443, 3389, 8080])} WINDOW=1024 RES=0x00 SYN URGP=0`,
  );
}

function web(out: StreamWriter, time: number, host: Host, hour: number): void {
  if (out.random.next() >= 0.25 * dayCurve(hour)) return;
  const path = `${out.pick(PATHS)}/${out.int(1, 5000)}`;
  const roll = out.random.next();
  if (roll < 0.001) {
    out.emit(
      time,
      host.name,
      'shop.service',
      3,
      `request failed method=GET path=${path} status=500 error="upstream timeout"`,
    );
  } else {
    const status = roll < 0.03 ? 404 : 200;
    const method = out.random.next() < 0.8 ? 'GET' : 'POST';
    out.emit(
      time,
      host.name,
      'shop.service',
      6,
      `request completed method=${method} path=${path} status=${status} duration_ms=${out.int(2, 400)}`,
    );
  }
}

function database(out: StreamWriter, time: number, host: Host, second: number, hour: number): void {
  const postgres = (message: string) => out.emit(time, host.name, 'postgresql.service', 6, message);
  if (second % 300 === 0) {
    postgres('checkpoint starting: time');
    postgres(
      `checkpoint complete: wrote ${out.int(10, 3000)} buffers (${out.int(0, 9)}.${out.int(0, 9)}%); 0 WAL file(s) added, ` +
        `0 removed, ${out.int(0, 3)} recycled; write=${out.int(1, 269)}.${out.int(100, 999)} s, sync=0.00${out.int(1, 9)} s`,
    );
  }
  if (out.random.next() < 0.05 * dayCurve(hour)) {
    const client = out.pick(HOSTS.filter((other) => other.role !== 'db')).address;
    postgres(`connection received: host=${client} port=${out.int(30000, 65000)}`);
    postgres('connection authorized: user=shop database=shop application_name=shop');
  }
}

function worker(out: StreamWriter, time: number, host: Host, hour: number): void {
  if (out.random.next() >= 0.08 * dayCurve(hour)) return;
  const job = out.int(100000, 999999);
  if (out.random.next() < 0.02) {
    out.emit(
      time,
      host.name,
      'jobs.service',
      4,
      `job ${job} failed attempt ${out.int(1, 3)}: timeout after ${out.int(5000, 30000)} ms`,
    );
  } else {
    out.emit(
      time,
      host.name,
      'jobs.service',
      6,
      `processed job ${job} queue=${out.pick(QUEUES)} in ${out.int(5, 9000)} ms`,
    );
  }
}

function timers(out: StreamWriter, time: number, host: Host, second: number): void {
  const ofDay = second % 86400;
  if (ofDay % 3600 === 17 * 60) {
    out.emit(time, host.name, 'cron.service', 6, '(root) CMD (cd / && run-parts --report /etc/cron.hourly)');
    out.emit(
      time + 1000,
      host.name,
      'cron.service',
      6,
      'pam_unix(cron:session): session opened for user root(uid=0) by (uid=0)',
    );
  }
  if (ofDay === 0) {
    out.emit(time, host.name, 'systemd', 6, 'Starting Rotate log files...');
    out.emit(time + 900_000, host.name, 'systemd', 6, 'logrotate.service: Deactivated successfully.');
    out.emit(time + 950_000, host.name, 'systemd', 6, 'Finished Rotate log files.');
  }
  if (ofDay === 6 * 3600 + 25 * 60) {
    out.emit(time, host.name, 'systemd', 6, 'Starting Daily apt download activities...');
    out.emit(time + 20_000_000, host.name, 'systemd', 6, 'apt-daily.service: Deactivated successfully.');
  }
  if (second % 900 === 450) {
    out.emit(time, host.name, 'systemd', 6, `Started Session c${out.int(1, 99999)} of User root.`);
  }
}

/** `days` of ordinary traffic from six hosts, in time order (about 1.7 entries a second on average). */
export function normalStream(days: number, seed = 1, startUs = STREAM_START_US): JournalEntry[] {
  const out = new StreamWriter(seed);
  const seconds = Math.round(days * 86400);
  for (let second = 0; second < seconds; second++) {
    const hour = Math.floor((second % 86400) / 3600);
    const weekday = Math.floor(second / 86400) % 7;
    for (const host of HOSTS) {
      const time = startUs + second * 1e6 + out.random.nextInt(900_000);
      sshd(out, time, host, hour, weekday);
      kernel(out, time, host);
      timers(out, time, host, second);
      if (host.role === 'web') web(out, time, host, hour);
      if (host.role === 'db') database(out, time, host, second, hour);
      if (host.role === 'worker') worker(out, time, host, hour);
    }
  }
  return out.entries.sort((a, b) => a.timeUs - b.timeUs);
}

export type AnomalyKind = 'root-login' | 'outbound-connection' | 'oom-kill';

/** One odd entry of the kind, at `timeUs`, varied by `variant`. */
export function anomaly(kind: AnomalyKind, timeUs: number, variant = 0): JournalEntry {
  const host = HOSTS[variant % HOSTS.length] as Host;
  const base = { cursor: null, timeUs, host: host.name, pid: null, flags: 0, extra: null };
  const address = `203.0.113.${(66 + variant * 17) % 250}`;
  switch (kind) {
    case 'root-login':
      return {
        ...base,
        unit: 'ssh.service',
        priority: 6,
        message: `Accepted password for root from ${address} port ${50122 + variant} ssh2`,
      };
    case 'outbound-connection':
      return {
        ...base,
        unit: 'kernel',
        priority: 4,
        message:
          `[UFW ALLOW] IN= OUT=eth0 SRC=${host.address} DST=${address} LEN=60 TOS=0x00 PREC=0x00 TTL=64 ` +
          `ID=${31337 + variant} DF PROTO=TCP SPT=${41000 + variant} DPT=4444 WINDOW=64240 RES=0x00 SYN URGP=0`,
      };
    case 'oom-kill':
      return {
        ...base,
        unit: 'kernel',
        priority: 3,
        message:
          `Out of memory: Killed process ${31000 + variant} (java) total-vm:${8_100_000 + variant}kB, ` +
          `anon-rss:${4_000_000 + variant}kB, file-rss:0kB, shmem-rss:0kB, UID:1000 pgtables:9120kB oom_score_adj:0`,
      };
  }
}

/** Entries merged in time order (stable: at equal times, `stream`'s first). */
export function mergeByTime(stream: readonly JournalEntry[], extra: readonly JournalEntry[]): JournalEntry[] {
  return [...stream, ...extra].sort((a, b) => a.timeUs - b.timeUs);
}
