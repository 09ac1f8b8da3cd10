/**
 * A deterministic generator of realistic journald entries, shaped as `journalctl -o json` prints
 * them (every value a string): many hosts with different roles (web, k8s node, database, worker,
 * CI runner, developer workstation), their units' real message shapes with varying parameters, the
 * trusted fields journald adds, related entries in realistic sequences (an ssh login starts a
 * logind session and a user manager; a pod start makes veth devices appear), timers that fire on
 * the clock, and the priority mix of real logs (errors on stdout are still PRIORITY=6).
 */

export type CorpusEntry = Record<string, string>;

export interface CorpusOptions {
  count: number;
  /** Same seed, same options: same entries. Default 1. */
  seed?: number;
  /** How many hosts, or their names; roles are handed out in a fixed rotation. Default 12. */
  hosts?: number | readonly string[];
  /** `__REALTIME_TIMESTAMP` of the start, µs since the epoch. Default 2024-06-03T00:00:00Z. */
  startUs?: number;
  /** Average entries per second over all hosts. Default 50. */
  entriesPerSecond?: number;
  /** Add a `__CURSOR` of journald's shape, as `journalctl -o json` prints (one seqnum space per host). */
  cursors?: boolean;
  /** Busier by day than by night (UTC), averaging `entriesPerSecond` over a whole day. Default false. */
  diurnal?: boolean;
}

export const DEFAULT_START_US = Date.UTC(2024, 5, 3) * 1000;

/** mulberry32: a tiny, fast, seedable PRNG; returns floats in [0, 1). */
export function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** One `journalctl -o json` line, without the newline. */
export function toJsonLine(entry: CorpusEntry): string {
  return JSON.stringify(entry);
}

const HEX_PAIRS = Array.from({ length: 256 }, (_, byte) => byte.toString(16).padStart(2, '0')).join('');
const hexByte = (byte: number) => HEX_PAIRS.slice(2 * byte, 2 * byte + 2);

class Random {
  readonly next: () => number;

  constructor(seed: number) {
    this.next = mulberry32(seed);
  }

  int(low: number, high: number): number {
    return low + Math.floor(this.next() * (high - low + 1));
  }

  chance(probability: number): boolean {
    return this.next() < probability;
  }

  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)] as T;
  }

  /** Favours the first items, as real traffic favours a few clients, paths and users. */
  pickSkewed<T>(items: readonly T[]): T {
    const u = this.next();
    return items[Math.floor(u * u * u * items.length)] as T;
  }

  hex(digits: number): string {
    let text = '';
    for (let done = 0; done < digits; done += 8) {
      const word = (this.next() * 4294967296) >>> 0;
      text +=
        hexByte(word >>> 24) +
        hexByte((word >>> 16) & 255) +
        hexByte((word >>> 8) & 255) +
        hexByte(word & 255);
    }
    return digits % 8 === 0 ? text : text.slice(0, digits);
  }

  exponential(mean: number): number {
    return -mean * Math.log(1 - this.next());
  }

  /** Right-skewed like real durations and sizes: half below `median`, a long tail above. */
  logNormal(median: number, sigma: number): number {
    const normal = Math.sqrt(-2 * Math.log(1 - this.next())) * Math.cos(2 * Math.PI * this.next());
    return median * Math.exp(sigma * normal);
  }

  weighted<T>(table: Weighted<T>): T {
    const target = this.next() * table.total;
    let low = 0;
    let high = table.cumulative.length - 1;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if ((table.cumulative[middle] as number) <= target) low = middle + 1;
      else high = middle;
    }
    return table.items[low] as T;
  }
}

interface Weighted<T> {
  items: T[];
  cumulative: number[];
  total: number;
}

function weighted<T>(pairs: readonly (readonly [T, number])[]): Weighted<T> {
  const items: T[] = [];
  const cumulative: number[] = [];
  let total = 0;
  for (const [item, weight] of pairs) {
    if (weight <= 0) continue;
    total += weight;
    items.push(item);
    cumulative.push(total);
  }
  return { items, cumulative, total };
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

const pad2 = (value: number) => (value < 10 ? `0${value}` : String(value));

/** Timestamps as the various programs print them, recomputed once per second (hosts run in UTC). */
class TimeText {
  private second = -1;
  private year = '';
  private month = '';
  private monthName = '';
  private day = '';
  private dayNumber = 0;
  private clock = '';

  private at(us: number): void {
    const second = Math.floor(us / 1e6);
    if (second === this.second) return;
    this.second = second;
    const date = new Date(second * 1000);
    this.year = String(date.getUTCFullYear());
    this.month = pad2(date.getUTCMonth() + 1);
    this.monthName = MONTHS[date.getUTCMonth()] as string;
    this.dayNumber = date.getUTCDate();
    this.day = pad2(this.dayNumber);
    this.clock = `${pad2(date.getUTCHours())}:${pad2(date.getUTCMinutes())}:${pad2(date.getUTCSeconds())}`;
  }

  private fraction(us: number, digits: number): string {
    return String(Math.floor(us % 1e6))
      .padStart(6, '0')
      .slice(0, digits);
  }

  /** `Jun  3 00:00:01 `, the SYSLOG_TIMESTAMP field (with its trailing space). */
  syslog(us: number): string {
    this.at(us);
    return `${this.monthName} ${String(this.dayNumber).padStart(2, ' ')} ${this.clock} `;
  }

  nginxAccess(us: number): string {
    this.at(us);
    return `${this.day}/${this.monthName}/${this.year}:${this.clock} +0000`;
  }

  nginxError(us: number): string {
    this.at(us);
    return `${this.year}/${this.month}/${this.day} ${this.clock}`;
  }

  iso(us: number, digits: number): string {
    this.at(us);
    const fraction = digits > 6 ? this.fraction(us, 6) + '0'.repeat(digits - 6) : this.fraction(us, digits);
    return `${this.year}-${this.month}-${this.day}T${this.clock}.${fraction}Z`;
  }

  klog(us: number): string {
    this.at(us);
    return `${this.month}${this.day} ${this.clock}.${this.fraction(us, 6)}`;
  }

  postgres(us: number): string {
    this.at(us);
    return `${this.year}-${this.month}-${this.day} ${this.clock}.${this.fraction(us, 3)} UTC`;
  }
}

type Role = 'web' | 'k8s' | 'db' | 'worker' | 'ci' | 'dev';

const ROLE_ROTATION: Role[] = [
  'web',
  'k8s',
  'db',
  'web',
  'k8s',
  'worker',
  'ci',
  'k8s',
  'dev',
  'web',
  'k8s',
  'worker',
];
const ROLE_HOSTNAME: Record<Role, string> = {
  web: 'web',
  k8s: 'k8s-node',
  db: 'db',
  worker: 'worker',
  ci: 'ci-runner',
  dev: 'dev-ws',
};

const TEAM = [
  { name: 'alice', uid: 1000 },
  { name: 'bob', uid: 1001 },
  { name: 'deploy', uid: 1002 },
  { name: 'ansible', uid: 1003 },
  { name: 'carol', uid: 1004 },
] as const;
type Member = (typeof TEAM)[number];

// prettier-ignore
const SCANNED_USERS = [
  'root', 'admin', 'test', 'user', 'ubuntu', 'oracle', 'postgres', 'guest', 'ftpuser', 'pi', 'support', 'git',
  'mysql', 'hadoop', 'debian', 'nagios', 'minecraft', 'steam', 'teamspeak', 'jenkins', 'ansible', 'centos',
  'ec2-user', 'test1', 'www', 'web', 'backup', 'dev', 'demo', 'odoo', 'es', 'elastic', 'zabbix', 'sol', 'solana',
];

// prettier-ignore
const SCANNER_FIRST_OCTETS = [
  27, 36, 43, 45, 58, 59, 61, 101, 103, 104, 106, 110, 112, 115, 117, 119, 122, 124, 139, 141, 150, 159, 161, 165,
  170, 175, 178, 180, 182, 183, 185, 190, 193, 194, 195, 196, 202, 206, 209, 210, 211, 218, 220, 221, 222,
];

const USER_AGENTS = [
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/125.0.0.0 Safari/537.36',
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4.1 Safari/605.1.15',
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1',
  'Mozilla/5.0 (X11; Linux x86_64; rv:126.0) Gecko/20100101 Firefox/126.0',
  'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/125.0.6422.53 Mobile Safari/537.36',
  'okhttp/4.12.0',
  'Go-http-client/1.1',
  'python-requests/2.31.0',
  'curl/7.88.1',
  'kube-probe/1.29',
  'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)',
  'Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)',
  'Mozilla/5.0 zgrab/0.x',
];

// prettier-ignore
const PROBED_PATHS = [
  '/.env', '/wp-login.php', '/xmlrpc.php', '/.git/config', '/phpmyadmin/', '/admin/config.php', '/cgi-bin/luci',
  '/actuator/health', '/vendor/phpunit/phpunit/src/Util/PHP/eval-stdin.php', '/boaform/admin/formLogin',
];

const CONTAINER_IMAGES = [
  'registry.example.com/shop/orders-api:2.14.3',
  'registry.example.com/shop/web-frontend:5.2.0',
  'registry.example.com/shop/billing-worker:1.9.1',
  'docker.io/library/redis:7.2.4',
  'quay.io/prometheus/node-exporter:v1.8.1',
  'registry.k8s.io/coredns/coredns:v1.11.1',
  'docker.io/grafana/promtail:2.9.8',
];
const POD_APPS = [
  'orders-api',
  'web-frontend',
  'billing-worker',
  'redis',
  'node-exporter',
  'coredns',
  'promtail',
];

interface Victim {
  unit: string;
  comm: string;
  exe: string;
}

/** The process that an OOM kill or a segfault hits, by host role. */
const VICTIMS: Record<Role, Victim> = {
  web: { unit: 'orders-api.service', comm: 'node', exe: '/usr/bin/node' },
  k8s: { unit: 'containerd.service', comm: 'containerd-shim', exe: '/usr/bin/containerd-shim-runc-v2' },
  db: { unit: 'postgresql@15-main.service', comm: 'postgres', exe: '/usr/lib/postgresql/15/bin/postgres' },
  worker: { unit: 'billing-worker.service', comm: 'python3', exe: '/usr/bin/python3.11' },
  ci: { unit: 'docker.service', comm: 'dockerd', exe: '/usr/bin/dockerd' },
  dev: { unit: 'user@1004.service', comm: 'gnome-shell', exe: '/usr/bin/gnome-shell' },
};

interface Process {
  pid: number;
  uid: number;
  gid: number;
  comm: string;
  exe: string;
  cmdline: string;
}

type Transport = 'journal' | 'stdout' | 'syslog' | 'kernel';

/** The fields journald derives from the sender, for one process of one unit. */
interface Source {
  transport: Transport;
  identifier: string;
  pid: number;
  /** The fields every entry of this process carries, after the per-entry time and priority fields. */
  keys: string[];
  values: string[];
  /** Entry builders by the names of the extra fields of a message, joined by commas. */
  builders: Map<string, EntryBuilder>;
}

type EntryBuilder = (values: string[]) => CorpusEntry;

/**
 * A function that returns an object literal with these keys, in this order, from an array of values.
 * V8 makes such a literal in tens of nanoseconds with fast properties; adding two dozen properties
 * one by one (or spreading a template and adding to it) is 30 times slower and leaves a dictionary-mode
 * object that JSON.stringify serialises 3 times slower, which made a million-entry corpus take half a minute.
 */
function compileBuilder(keys: readonly string[]): EntryBuilder {
  const fields = keys.map((key, index) => `${JSON.stringify(key)}: values[${index}]`).join(', ');
  return new Function('values', `return { ${fields} };`) as EntryBuilder;
}

interface Host {
  name: string;
  role: Role;
  machineId: string;
  bootId: string;
  bootUs: number;
  seqnumId: string;
  seqnum: number;
  nextPid: number;
  nextSession: number;
  nextJob: number;
  /** Open ssh sessions per user: the user manager runs while the count is above zero. */
  sessions: Map<string, number>;
  services: Map<string, Source>;
  pods: string[];
  restarts: Map<string, number>;
  /** The current activation of each unit, as systemd's `INVOCATION_ID` names it. */
  invocations: Map<string, string>;
}

interface Scheduled {
  timeUs: number;
  order: number;
  run: () => void;
}

/** A binary min-heap of scheduled work, ordered by time and then by scheduling order. */
class Agenda {
  private readonly items: Scheduled[] = [];
  private order = 0;

  get size(): number {
    return this.items.length;
  }

  peekTime(): number {
    return this.items[0]?.timeUs ?? Infinity;
  }

  add(timeUs: number, run: () => void): void {
    const items = this.items;
    items.push({ timeUs, order: this.order++, run });
    let index = items.length - 1;
    while (index > 0) {
      const parent = (index - 1) >> 1;
      if (!this.before(index, parent)) break;
      this.swap(index, parent);
      index = parent;
    }
  }

  pop(): Scheduled | undefined {
    const items = this.items;
    const top = items[0];
    const last = items.pop();
    if (top === undefined || last === undefined || items.length === 0) return top;
    items[0] = last;
    let index = 0;
    for (;;) {
      const left = 2 * index + 1;
      const right = left + 1;
      let smallest = index;
      if (left < items.length && this.before(left, smallest)) smallest = left;
      if (right < items.length && this.before(right, smallest)) smallest = right;
      if (smallest === index) return top;
      this.swap(index, smallest);
      index = smallest;
    }
  }

  private before(a: number, b: number): boolean {
    const x = this.items[a] as Scheduled;
    const y = this.items[b] as Scheduled;
    return x.timeUs < y.timeUs || (x.timeUs === y.timeUs && x.order < y.order);
  }

  private swap(a: number, b: number): void {
    const items = this.items;
    [items[a], items[b]] = [items[b] as Scheduled, items[a] as Scheduled];
  }
}

const SECOND = 1_000_000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** Where systemd (v252) logs its common messages from, and the catalog ids they carry. */
const SD = {
  jobStart: ['src/core/job.c', '581', 'job_log_begin_status_message', '7d4958e842da4a758f6c1cdc7b36dcc5'],
  jobDone: ['src/core/job.c', '768', 'job_emit_done_message', '39f53479d3a045ac8e11786248231fbf'],
  jobStop: ['src/core/job.c', '581', 'job_log_begin_status_message', 'de5b426a63be47a7b6ac3eaac82e2f6f'],
  jobStopped: ['src/core/job.c', '768', 'job_emit_done_message', '9d1aaa27d60140bd96365438aad20286'],
  success: ['src/core/unit.c', '5553', 'unit_log_success', '7ad2d189f7e94e70a38c781354912448'],
  resources: ['src/core/unit.c', '2398', 'unit_log_resources', 'ae8f7b866b0347b9af31fe1c80b127c0'],
  exited: ['src/core/unit.c', '5604', 'unit_log_process_exit', '98e322203f7a4ed290d09fe03c09fe15'],
  failure: ['src/core/unit.c', '5568', 'unit_log_failure', 'd9b373ed55a64feb8242e02dbe79a49c'],
  restart: ['src/core/service.c', '2409', 'service_enter_restart', '5eb03494b6584870a536b337290809b3'],
  oom: ['src/core/unit.c', '3760', 'unit_check_oom', 'fe6faa94e7774663a0da52717891d8ef'],
  target: ['src/core/job.c', '768', 'job_emit_done_message', '39f53479d3a045ac8e11786248231fbf'],
} as const;
type SdMessage = keyof typeof SD;

interface TimerUnit {
  unit: string;
  description: string;
  periodUs: number;
  cpu: [number, number];
  roles?: Role[];
}

// prettier-ignore
const TIMERS: TimerUnit[] = [
  { unit: 'sysstat-collect.service', description: 'system activity accounting tool', periodUs: 10 * MINUTE, cpu: [5, 30] },
  { unit: 'logrotate.service', description: 'Rotate log files', periodUs: DAY, cpu: [80, 900] },
  { unit: 'man-db.service', description: 'Daily man-db regeneration', periodUs: DAY, cpu: [200, 4000] },
  { unit: 'apt-daily.service', description: 'Daily apt download activities', periodUs: 12 * HOUR, cpu: [400, 9000] },
  { unit: 'systemd-tmpfiles-clean.service', description: 'Cleanup of Temporary Directories', periodUs: DAY, cpu: [5, 40] },
  { unit: 'certbot.service', description: 'Certbot', periodUs: 12 * HOUR, cpu: [300, 2500], roles: ['web'] },
  { unit: 'phpsessionclean.service', description: 'Clean php session files', periodUs: 30 * MINUTE, cpu: [10, 60], roles: ['web'] },
  { unit: 'e2scrub_all.service', description: 'Online ext4 Metadata Check for All Filesystems', periodUs: 7 * DAY, cpu: [20, 200] },
  { unit: 'fstrim.service', description: 'Discard unused blocks on filesystems from /etc/fstab', periodUs: 7 * DAY, cpu: [30, 300] },
];

class Corpus {
  private readonly random: Random;
  private readonly time = new TimeText();
  private readonly agenda = new Agenda();
  private readonly hosts: Host[];
  private readonly starters: Weighted<() => void>;
  private readonly out: CorpusEntry[] = [];
  private readonly builders = new Map<string, EntryBuilder>();
  private readonly meanGapUs: number;
  private readonly cursors: boolean;
  private readonly diurnal: boolean;
  private clockUs: number;
  private lastUs: number;
  private nextArrivalUs: number;
  private episodes = 0;
  private emitted = 0;
  /** The host and time the entries being built belong to. */
  private host: Host;

  constructor(options: CorpusOptions) {
    const seed = options.seed ?? 1;
    this.random = new Random(seed);
    const startUs = options.startUs ?? DEFAULT_START_US;
    this.clockUs = startUs;
    this.lastUs = startUs;
    this.meanGapUs = SECOND / (options.entriesPerSecond ?? 50);
    this.cursors = options.cursors ?? false;
    this.diurnal = options.diurnal ?? false;
    const names = options.hosts ?? 12;
    const count = typeof names === 'number' ? names : names.length;
    if (count < 1) throw new Error('a corpus needs at least one host');
    const perRole = new Map<Role, number>();
    this.hosts = Array.from({ length: count }, (_, index) => {
      const role = ROLE_ROTATION[index % ROLE_ROTATION.length] as Role;
      const number = (perRole.get(role) ?? 0) + 1;
      perRole.set(role, number);
      const name =
        typeof names === 'number' ? `${ROLE_HOSTNAME[role]}-${pad2(number)}` : (names[index] as string);
      return this.makeHost(name, role, startUs);
    });
    this.host = this.hosts[0] as Host;
    this.starters = weighted(this.hosts.flatMap((host) => this.startersOf(host)));
    for (const host of this.hosts) this.scheduleTimers(host, startUs);
    this.nextArrivalUs = startUs + this.gap();
  }

  *entries(count: number): Generator<CorpusEntry> {
    while (this.emitted < count) {
      if (this.agenda.peekTime() <= this.nextArrivalUs) {
        const due = this.agenda.pop() as Scheduled;
        this.clockUs = Math.max(this.clockUs, due.timeUs);
        due.run();
      } else {
        this.clockUs = this.nextArrivalUs;
        this.random.weighted(this.starters)();
        this.episodes++;
        this.nextArrivalUs = this.clockUs + this.gap();
      }
      for (const entry of this.out) {
        if (this.emitted >= count) break;
        this.emitted++;
        yield entry;
      }
      this.out.length = 0;
    }
  }

  /**
   * Episodes emit several entries each (and schedule more), so episodes start less often than
   * entries arrive: the gap scales with the entries per episode seen so far.
   */
  private gap(): number {
    const entriesPerEpisode = this.episodes < 50 ? 3 : (this.emitted + this.out.length) / this.episodes;
    let mean = this.meanGapUs * entriesPerEpisode;
    if (this.diurnal) {
      const hour = (this.clockUs % DAY) / HOUR;
      mean /= 1 + 0.6 * Math.sin(((hour - 8) / 24) * 2 * Math.PI);
    }
    return Math.max(1, Math.round(this.random.exponential(mean)));
  }

  private makeHost(name: string, role: Role, startUs: number): Host {
    const random = this.random;
    return {
      name,
      role,
      machineId: random.hex(32),
      bootId: random.hex(32),
      bootUs: startUs - random.int(2 * HOUR, 40 * DAY),
      seqnumId: random.hex(32),
      seqnum: random.int(1000, 9_000_000),
      nextPid: random.int(20_000, 900_000),
      nextSession: random.int(3, 2000),
      nextJob: random.int(100, 90_000),
      sessions: new Map(),
      services: new Map(),
      pods: Array.from({ length: 8 }, () => `${random.pick(POD_APPS)}-${random.hex(10)}-${random.hex(5)}`),
      restarts: new Map(),
      invocations: new Map(),
    };
  }

  private newPid(host: Host): number {
    host.nextPid += this.random.int(1, 60);
    if (host.nextPid > 4_194_304) host.nextPid = 1000 + this.random.int(0, 999);
    return host.nextPid;
  }

  // ---- emitting ------------------------------------------------------------------------

  private at(host: Host): this {
    this.host = host;
    return this;
  }

  /** Builds one entry of the current host, a few µs after the previous one. */
  private entry(source: Source, priority: number, message: string, extra?: CorpusEntry): CorpusEntry {
    const host = this.host;
    const random = this.random;
    const us = Math.max(this.clockUs, this.lastUs + random.int(3, 400));
    this.lastUs = us;
    const monotonic = us - host.bootUs;
    const values: string[] = [];
    if (this.cursors) {
      host.seqnum++;
      values.push(
        `s=${host.seqnumId};i=${host.seqnum.toString(16)};b=${host.bootId};` +
          `m=${monotonic.toString(16)};t=${us.toString(16)};x=${random.hex(16)}`,
      );
    }
    values.push(String(us), String(monotonic), String(priority));
    if (source.transport === 'syslog') values.push(this.time.syslog(us), String(us - random.int(5, 900)));
    else if (source.transport === 'journal') values.push(String(us - random.int(5, 900)));
    else if (source.transport === 'kernel') values.push(String(monotonic - random.int(20, 3000)));
    for (const value of source.values) values.push(value);
    let extraKeys = '';
    if (extra !== undefined) {
      for (const key in extra) {
        extraKeys += extraKeys.length === 0 ? key : `,${key}`;
        values.push(extra[key] as string);
      }
    }
    values.push(message);
    const entry = this.builder(source, extraKeys)(values);
    this.out.push(entry);
    return entry;
  }

  private builder(source: Source, extraKeys: string): EntryBuilder {
    const known = source.builders.get(extraKeys);
    if (known !== undefined) return known;
    const keys: string[] = [];
    if (this.cursors) keys.push('__CURSOR');
    keys.push('__REALTIME_TIMESTAMP', '__MONOTONIC_TIMESTAMP', 'PRIORITY');
    if (source.transport === 'syslog') keys.push('SYSLOG_TIMESTAMP', '_SOURCE_REALTIME_TIMESTAMP');
    else if (source.transport === 'journal') keys.push('_SOURCE_REALTIME_TIMESTAMP');
    else if (source.transport === 'kernel') keys.push('_SOURCE_MONOTONIC_TIMESTAMP');
    keys.push(...source.keys);
    if (extraKeys.length > 0) keys.push(...extraKeys.split(','));
    keys.push('MESSAGE');
    const layout = keys.join(',');
    let builder = this.builders.get(layout);
    if (builder === undefined) {
      builder = compileBuilder(keys);
      this.builders.set(layout, builder);
    }
    source.builders.set(extraKeys, builder);
    return builder;
  }

  private later(delayUs: number, run: () => void): void {
    const host = this.host;
    this.agenda.add(this.clockUs + Math.max(1, Math.round(delayUs)), () => {
      this.host = host;
      run();
    });
  }

  /** The fields journald records about a process of a unit (cached per host and key). */
  private source(
    key: string,
    make: () => {
      transport: Transport;
      identifier: string;
      facility?: number;
      unit?: string;
      slice?: string;
      cgroup?: string;
      userUnit?: string;
      process?: Process;
      extra?: CorpusEntry;
    },
  ): Source {
    const host = this.host;
    const known = host.services.get(key);
    if (known !== undefined) return known;
    const spec = make();
    const base: CorpusEntry = {
      _BOOT_ID: host.bootId,
      _MACHINE_ID: host.machineId,
      _HOSTNAME: host.name,
      _TRANSPORT: spec.transport,
    };
    base.SYSLOG_FACILITY = String(spec.facility ?? (spec.transport === 'kernel' ? 0 : 3));
    base.SYSLOG_IDENTIFIER = spec.identifier;
    const proc = spec.process;
    if (proc !== undefined) {
      if (spec.transport === 'syslog') base.SYSLOG_PID = String(proc.pid);
      base._PID = String(proc.pid);
      base._UID = String(proc.uid);
      base._GID = String(proc.gid);
      base._COMM = proc.comm;
      base._EXE = proc.exe;
      base._CMDLINE = proc.cmdline;
      base._CAP_EFFECTIVE = proc.uid === 0 ? '1ffffffffff' : '0';
    }
    if (spec.unit !== undefined) {
      const slice = spec.slice ?? 'system.slice';
      base._SYSTEMD_CGROUP = spec.cgroup ?? `/${slice}/${spec.unit}`;
      base._SYSTEMD_UNIT = spec.unit;
      base._SYSTEMD_SLICE = slice;
      base._SYSTEMD_INVOCATION_ID = this.invocation(spec.unit);
      if (spec.userUnit !== undefined) {
        const uid = proc?.uid ?? 1000;
        base._SYSTEMD_USER_UNIT = spec.userUnit;
        base._SYSTEMD_OWNER_UID = String(uid);
        base._SYSTEMD_USER_SLICE = spec.userUnit === 'init.scope' ? '-.slice' : 'app.slice';
        base._AUDIT_LOGINUID = String(uid);
        base._AUDIT_SESSION = String(host.nextSession - 1);
      }
    }
    if (spec.transport === 'stdout') base._STREAM_ID = this.random.hex(32);
    if (spec.extra !== undefined) Object.assign(base, spec.extra);
    const source: Source = {
      transport: spec.transport,
      identifier: spec.identifier,
      pid: proc?.pid ?? 0,
      keys: Object.keys(base),
      values: Object.values(base),
      builders: new Map(),
    };
    host.services.set(key, source);
    return source;
  }

  /** A process of a unit that lives as long as the service (its pid stays). */
  private daemon(
    unit: string,
    transport: Transport,
    identifier: string,
    proc: Omit<Process, 'pid'>,
    facility?: number,
    extra?: CorpusEntry,
  ): Source {
    return this.source(unit, () => ({
      transport,
      identifier,
      facility,
      unit,
      process: { ...proc, pid: this.newPid(this.host) },
      extra,
    }));
  }

  /** A short-lived process (an ssh connection, a cron job, sudo): a fresh pid each time. */
  private transient(
    unit: string,
    transport: Transport,
    identifier: string,
    proc: Omit<Process, 'pid'>,
    facility?: number,
    cgroup?: string,
  ): Source {
    const host = this.host;
    const key = `${unit}#transient`;
    host.services.delete(key);
    return this.source(key, () => ({
      transport,
      identifier,
      facility,
      unit,
      cgroup,
      process: { ...proc, pid: this.newPid(host) },
    }));
  }

  private kernel(): Source {
    return this.source('kernel', () => ({ transport: 'kernel', identifier: 'kernel' }));
  }

  private pid1(): Source {
    return this.source('init.scope', () => ({
      transport: 'journal',
      identifier: 'systemd',
      unit: 'init.scope',
      slice: '-.slice',
      cgroup: '/init.scope',
      process: {
        pid: 1,
        uid: 0,
        gid: 0,
        comm: 'systemd',
        exe: '/usr/lib/systemd/systemd',
        cmdline: '/sbin/init',
      },
    }));
  }

  private userManager(member: Member): Source {
    const host = this.host;
    const key = `user@${member.uid}.service#manager`;
    return this.source(key, () => ({
      transport: 'journal',
      identifier: 'systemd',
      unit: `user@${member.uid}.service`,
      slice: `user-${member.uid}.slice`,
      cgroup: `/user.slice/user-${member.uid}.slice/user@${member.uid}.service/init.scope`,
      userUnit: 'init.scope',
      process: {
        pid: this.newPid(host),
        uid: member.uid,
        gid: member.uid,
        comm: 'systemd',
        exe: '/usr/lib/systemd/systemd',
        cmdline: '/lib/systemd/systemd --user',
      },
    }));
  }

  /** A message of systemd itself (PID 1, or a user's manager), with its code location and catalog id. */
  private systemd(
    kind: SdMessage,
    unit: string,
    message: string,
    priority = 6,
    extra: CorpusEntry = {},
    manager?: Source,
  ): void {
    const [file, line, func, messageId] = SD[kind];
    const fields: CorpusEntry = { CODE_FILE: file, CODE_LINE: line, CODE_FUNC: func, MESSAGE_ID: messageId };
    if (manager === undefined) {
      fields.UNIT = unit;
    } else {
      fields.USER_UNIT = unit;
    }
    fields.INVOCATION_ID = this.invocation(unit);
    if (kind === 'jobStart' || kind === 'jobStop') {
      fields.JOB_ID = String(++this.host.nextJob);
      fields.JOB_TYPE = kind === 'jobStart' ? 'start' : 'stop';
    }
    if (kind === 'jobDone' || kind === 'jobStopped' || kind === 'target') {
      fields.JOB_ID = String(this.host.nextJob);
      fields.JOB_TYPE = kind === 'jobStopped' ? 'stop' : 'start';
      fields.JOB_RESULT = 'done';
    }
    this.entry(manager ?? this.pid1(), priority, message, Object.assign(fields, extra));
  }

  private invocation(unit: string): string {
    const invocations = this.host.invocations;
    let id = invocations.get(unit);
    if (id === undefined) {
      id = this.random.hex(32);
      invocations.set(unit, id);
    }
    return id;
  }

  private cpu(low: number, high: number): string {
    const ms = Math.round(this.random.logNormal(Math.sqrt(low * high), 0.5));
    return ms < 1000 ? `${ms}ms` : `${(ms / 1000).toFixed(3).replace(/0+$/, '').replace(/\.$/, '')}s`;
  }

  // ---- who says what --------------------------------------------------------------------

  private startersOf(host: Host): [() => void, number][] {
    const on = (run: () => void) => () => {
      this.host = host;
      run();
    };
    const starters: [() => void, number][] = [
      [on(() => this.sshScan()), 0.01],
      [on(() => this.sshLogin()), 0.01],
      [on(() => this.kernelNoise()), 0.15],
      [on(() => this.chrony()), 0.05],
      [on(() => this.systemdNoise()), 0.08],
      [on(() => this.rareTrouble()), 0.004],
    ];
    switch (host.role) {
      case 'web':
        starters.push(
          [on(() => this.nginxAccess()), 9],
          [on(() => this.nginxError()), 0.5],
          [on(() => this.ordersApi()), 3],
          [on(() => this.firewallBlock()), 0.6],
        );
        break;
      case 'k8s':
        starters.push(
          [on(() => this.kubelet()), 4],
          [on(() => this.containerd('k8s')), 1.5],
          [on(() => this.podChurn()), 0.04],
        );
        break;
      case 'db':
        starters.push([on(() => this.postgres()), 6]);
        break;
      case 'worker':
        starters.push([on(() => this.billingWorker()), 4], [on(() => this.workerCrash()), 0.003]);
        break;
      case 'ci':
        starters.push(
          [on(() => this.dockerd()), 2],
          [on(() => this.containerd('docker')), 0.6],
          [on(() => this.ciJob()), 0.04],
        );
        break;
      case 'dev':
        starters.push(
          [on(() => this.desktop()), 1.5],
          [on(() => this.networkManager()), 0.3],
          [on(() => this.sudo(TEAM[0])), 0.03],
        );
        break;
    }
    return starters;
  }

  private scheduleTimers(host: Host, startUs: number): void {
    this.host = host;
    for (const timer of TIMERS) {
      if (timer.roles !== undefined && !timer.roles.includes(host.role)) continue;
      const first = startUs + this.random.int(0, Math.min(timer.periodUs, DAY) - 1);
      const fire = () => {
        this.runTimer(timer);
        this.later(timer.periodUs + this.random.int(0, 30 * SECOND), fire);
      };
      this.agenda.add(first, () => {
        this.host = host;
        fire();
      });
    }
    const hourlyMinute = this.random.int(0, 59);
    const cronHourly = () => {
      this.cron(TEAM[0], 'root', '   cd / && run-parts --report /etc/cron.hourly');
      this.later(HOUR, cronHourly);
    };
    this.agenda.add(startUs + ((hourlyMinute * MINUTE - (startUs % HOUR) + HOUR) % HOUR), () => {
      this.host = host;
      cronHourly();
    });
    if (host.role === 'web' || host.role === 'worker') {
      const everyFive = () => {
        this.cron(TEAM[2], 'deploy', '/opt/shop/bin/refresh-cache >/dev/null 2>&1');
        this.later(5 * MINUTE, everyFive);
      };
      this.agenda.add(startUs + ((5 * MINUTE - (startUs % (5 * MINUTE))) % (5 * MINUTE)), () => {
        this.host = host;
        everyFive();
      });
    }
    if (host.role === 'db') {
      const checkpoint = () => {
        this.postgresCheckpoint();
        this.later(5 * MINUTE, checkpoint);
      };
      this.agenda.add(startUs + this.random.int(0, 5 * MINUTE), () => {
        this.host = host;
        checkpoint();
      });
    }
  }

  private runTimer(timer: TimerUnit): void {
    const random = this.random;
    this.systemd('jobStart', timer.unit, `Starting ${timer.description}...`);
    const runtime = random.logNormal(timer.cpu[1] * 1000, 0.6);
    this.later(runtime, () => {
      if (timer.unit === 'logrotate.service') this.rsyslogHup();
      this.systemd('success', timer.unit, `${timer.unit}: Deactivated successfully.`);
      this.systemd('jobDone', timer.unit, `Finished ${timer.description}.`);
      if (random.chance(0.7)) {
        this.systemd('resources', timer.unit, `${timer.unit}: Consumed ${this.cpu(...timer.cpu)} CPU time.`);
      }
    });
  }

  // sshd ----------------------------------------------------------------------------------

  private sshd(): Source {
    return this.transient(
      'ssh.service',
      'syslog',
      'sshd',
      {
        uid: 0,
        gid: 0,
        comm: 'sshd',
        exe: '/usr/sbin/sshd',
        cmdline: 'sshd: /usr/sbin/sshd -D [listener] 0 of 10-100 startups',
      },
      4,
    );
  }

  private scannerIp(): string {
    const random = this.random;
    return `${random.pick(SCANNER_FIRST_OCTETS)}.${random.int(0, 255)}.${random.int(0, 255)}.${random.int(1, 254)}`;
  }

  private internalIp(): string {
    const random = this.random;
    return `10.${random.int(0, 3)}.${random.pickSkewed([1, 2, 3, 4, 5, 8, 12, 16, 20])}.${random.int(2, 254)}`;
  }

  private sshScan(): void {
    const random = this.random;
    const ip = this.scannerIp();
    const attempts = random.chance(0.3) ? 1 : random.int(2, 40);
    const sameUser = random.chance(0.3) ? 'root' : undefined;
    let delay = 0;
    for (let attempt = 0; attempt < attempts; attempt++) {
      delay += random.logNormal(2.5 * SECOND, 0.8);
      this.later(delay, () => this.sshAttempt(ip, sameUser ?? random.pickSkewed(SCANNED_USERS)));
    }
  }

  private sshAttempt(ip: string, user: string): void {
    const random = this.random;
    const sshd = this.sshd();
    const port = random.int(32768, 60999);
    const roll = random.next();
    if (roll < 0.08) {
      this.entry(sshd, 6, `Connection closed by ${ip} port ${port} [preauth]`);
      return;
    }
    if (roll < 0.12) {
      this.entry(sshd, 3, 'error: kex_exchange_identification: read: Connection reset by peer');
      this.entry(sshd, 6, `Connection reset by ${ip} port ${port}`);
      return;
    }
    if (roll < 0.14) {
      this.entry(sshd, 6, `banner exchange: Connection from ${ip} port ${port}: invalid format`);
      return;
    }
    const invalid = user !== 'root' && random.chance(0.85);
    const who = invalid ? `invalid user ${user}` : user;
    if (invalid) {
      this.entry(sshd, 6, `Invalid user ${user} from ${ip} port ${port}`);
      this.entry(sshd, 5, 'pam_unix(sshd:auth): check pass; user unknown', { SYSLOG_FACILITY: '10' });
    }
    this.entry(
      sshd,
      5,
      `pam_unix(sshd:auth): authentication failure; logname= uid=0 euid=0 tty=ssh ruser= rhost=${ip}${invalid ? '' : `  user=${user}`}`,
      { SYSLOG_FACILITY: '10' },
    );
    this.later(random.logNormal(2 * SECOND, 0.4), () => {
      this.entry(sshd, 6, `Failed password for ${who} from ${ip} port ${port} ssh2`);
      if (random.chance(0.6)) {
        this.entry(sshd, 6, `Received disconnect from ${ip} port ${port}:11: Bye Bye [preauth]`);
        this.entry(sshd, 6, `Disconnected from ${who} ${ip} port ${port} [preauth]`);
      } else {
        this.entry(sshd, 6, `Connection closed by ${who} ${ip} port ${port} [preauth]`);
      }
    });
  }

  private sshLogin(): void {
    const random = this.random;
    const host = this.host;
    const member = random.pickSkewed(TEAM);
    const ip = this.internalIp();
    const port = random.int(32768, 60999);
    const sshd = this.sshd();
    const session = host.nextSession++;
    const key = random.chance(0.8)
      ? `publickey for ${member.name} from ${ip} port ${port} ssh2: ED25519 SHA256:${Buffer.from(random.hex(64), 'hex').toString('base64').slice(0, 43)}`
      : `password for ${member.name} from ${ip} port ${port} ssh2`;
    this.entry(sshd, 6, `Accepted ${key}`);
    this.entry(
      sshd,
      6,
      `pam_unix(sshd:session): session opened for user ${member.name}(uid=${member.uid}) by (uid=0)`,
      {
        SYSLOG_FACILITY: '10',
      },
    );
    this.logind(
      `New session ${session} of user ${member.name}.`,
      ['src/login/logind-session.c', '778', 'session_start', '8d45620c1a4348dbb17410da57c60c66'],
      { SESSION_ID: String(session), USER_ID: member.name, LEADER: String(sshd.pid) },
    );
    const open = host.sessions.get(member.name) ?? 0;
    host.sessions.set(member.name, open + 1);
    if (open === 0) this.userManagerStart(member);
    this.systemd('jobDone', `session-${session}.scope`, `Started Session ${session} of User ${member.name}.`);
    const lengthUs = random.logNormal(4 * MINUTE, 1.2);
    for (let sudo = random.int(0, 3); sudo > 0; sudo--)
      this.later(random.next() * lengthUs, () => this.sudo(member));
    this.later(lengthUs, () => {
      this.entry(sshd, 6, `Received disconnect from ${ip} port ${port}:11: disconnected by user`);
      this.entry(sshd, 6, `Disconnected from user ${member.name} ${ip} port ${port}`);
      this.entry(sshd, 6, `pam_unix(sshd:session): session closed for user ${member.name}`, {
        SYSLOG_FACILITY: '10',
      });
      this.systemd(
        'success',
        `session-${session}.scope`,
        `session-${session}.scope: Deactivated successfully.`,
      );
      this.logind(`Session ${session} logged out. Waiting for processes to exit.`);
      this.logind(`Removed session ${session}.`, [
        'src/login/logind-session.c',
        '909',
        'session_stop',
        '3354939424b4456d9802ca8333ed424a',
      ]);
      const left = (host.sessions.get(member.name) ?? 1) - 1;
      host.sessions.set(member.name, left);
      if (left === 0)
        this.later(10 * SECOND, () =>
          host.sessions.get(member.name) === 0 ? this.userManagerStop(member) : undefined,
        );
    });
  }

  private logind(
    message: string,
    code?: readonly [string, string, string, string],
    extra?: CorpusEntry,
  ): void {
    const source = this.daemon(
      'systemd-logind.service',
      'journal',
      'systemd-logind',
      {
        uid: 0,
        gid: 0,
        comm: 'systemd-logind',
        exe: '/usr/lib/systemd/systemd-logind',
        cmdline: '/lib/systemd/systemd-logind',
      },
      4,
    );
    const [file, line, func, messageId] = code ?? [
      'src/login/logind-session.c',
      '897',
      'session_finalize',
      '',
    ];
    const fields: CorpusEntry = { CODE_FILE: file, CODE_LINE: line, CODE_FUNC: func };
    if (messageId !== '') fields.MESSAGE_ID = messageId;
    this.entry(source, 6, message, Object.assign(fields, extra));
  }

  private userManagerStart(member: Member): void {
    const uid = member.uid;
    const manager = this.userManager(member);
    this.systemd('jobDone', `user-${uid}.slice`, `Created slice User Slice of UID ${uid}.`);
    this.systemd(
      'jobStart',
      `user-runtime-dir@${uid}.service`,
      `Starting User Runtime Directory /run/user/${uid}...`,
    );
    this.systemd(
      'jobDone',
      `user-runtime-dir@${uid}.service`,
      `Finished User Runtime Directory /run/user/${uid}.`,
    );
    this.systemd('jobStart', `user@${uid}.service`, `Starting User Manager for UID ${uid}...`);
    this.later(this.random.int(30_000, 200_000), () => {
      const user = (kind: SdMessage, unit: string, message: string) =>
        this.systemd(kind, unit, message, 6, {}, manager);
      user('target', 'default.target', 'Queued start job for default target Main User Target.');
      user('target', 'app.slice', 'Created slice User Application Slice.');
      user('target', 'paths.target', 'Reached target Paths.');
      user('target', 'timers.target', 'Reached target Timers.');
      user('jobStart', 'dbus.socket', 'Starting D-Bus User Message Bus Socket...');
      user('jobDone', 'dbus.socket', 'Listening on D-Bus User Message Bus Socket.');
      user('target', 'sockets.target', 'Reached target Sockets.');
      user('target', 'basic.target', 'Reached target Basic System.');
      user('target', 'default.target', 'Reached target Main User Target.');
      this.entry(manager, 6, `Startup finished in ${this.random.int(40, 400)}ms.`, {
        CODE_FILE: 'src/core/manager.c',
        CODE_LINE: '3533',
        CODE_FUNC: 'manager_notify_finished',
        MESSAGE_ID: 'eed00a68ffd84e31882105fd973abdd1',
        USERSPACE_USEC: String(this.random.int(40_000, 400_000)),
      });
      this.systemd('jobDone', `user@${uid}.service`, `Started User Manager for UID ${uid}.`);
    });
  }

  private userManagerStop(member: Member): void {
    const uid = member.uid;
    const manager = this.userManager(member);
    this.systemd('jobStop', `user@${uid}.service`, `Stopping User Manager for UID ${uid}...`);
    const user = (kind: SdMessage, unit: string, message: string) =>
      this.systemd(kind, unit, message, 6, {}, manager);
    user('target', 'exit.target', 'Activating special unit Exit the Session...');
    user('jobStopped', 'default.target', 'Stopped target Main User Target.');
    user('jobStopped', 'basic.target', 'Stopped target Basic System.');
    user('jobStopped', 'paths.target', 'Stopped target Paths.');
    user('jobStopped', 'sockets.target', 'Stopped target Sockets.');
    user('jobStopped', 'timers.target', 'Stopped target Timers.');
    user('success', 'dbus.socket', 'dbus.socket: Deactivated successfully.');
    user('jobStopped', 'dbus.socket', 'Closed D-Bus User Message Bus Socket.');
    user('jobStopped', 'app.slice', 'Removed slice User Application Slice.');
    user('target', 'shutdown.target', 'Reached target Shutdown.');
    user('target', 'systemd-exit.service', 'Finished Exit the Session.');
    user('target', 'exit.target', 'Reached target Exit the Session.');
    this.host.services.delete(`user@${uid}.service#manager`);
    this.host.invocations.delete(`user@${uid}.service`);
    this.systemd('success', `user@${uid}.service`, `user@${uid}.service: Deactivated successfully.`);
    this.systemd('jobStopped', `user@${uid}.service`, `Stopped User Manager for UID ${uid}.`);
    this.systemd(
      'jobStop',
      `user-runtime-dir@${uid}.service`,
      `Stopping User Runtime Directory /run/user/${uid}...`,
    );
    this.systemd('success', `run-user-${uid}.mount`, `run-user-${uid}.mount: Deactivated successfully.`);
    this.systemd(
      'success',
      `user-runtime-dir@${uid}.service`,
      `user-runtime-dir@${uid}.service: Deactivated successfully.`,
    );
    this.systemd(
      'jobStopped',
      `user-runtime-dir@${uid}.service`,
      `Stopped User Runtime Directory /run/user/${uid}.`,
    );
    this.systemd('jobStopped', `user-${uid}.slice`, `Removed slice User Slice of UID ${uid}.`);
  }

  private sudo(member: Member): void {
    const random = this.random;
    const command = random.pickSkewed([
      '/usr/bin/systemctl restart nginx',
      '/usr/bin/journalctl -u orders-api -n 200',
      '/usr/bin/apt-get update',
      '/usr/bin/systemctl status postgresql@15-main',
      '/usr/bin/tail -f /var/log/nginx/error.log',
      '/usr/bin/docker ps -a',
      '/usr/bin/kubectl get pods -A',
      '/usr/sbin/ufw status',
      `/usr/bin/vim /etc/nginx/sites-available/shop.conf`,
      '/usr/bin/du -sh /var/lib/postgresql',
    ]);
    const tty = `pts/${random.int(0, 4)}`;
    const sudo = this.transient(
      `session-${this.host.nextSession - 1}.scope`,
      'syslog',
      'sudo',
      { uid: member.uid, gid: member.uid, comm: 'sudo', exe: '/usr/bin/sudo', cmdline: `sudo ${command}` },
      10,
      `/user.slice/user-${member.uid}.slice/session-${this.host.nextSession - 1}.scope`,
    );
    const what = `TTY=${tty} ; PWD=/home/${member.name} ; USER=root ; COMMAND=${command}`;
    if (random.chance(0.04)) {
      this.entry(
        sudo,
        5,
        `pam_unix(sudo:auth): authentication failure; logname=${member.name} uid=${member.uid} euid=0 tty=/dev/${tty} ruser=${member.name} rhost=  user=${member.name}`,
      );
      this.entry(sudo, 1, `${member.name.padStart(8)} : 1 incorrect password attempt ; ${what}`);
      return;
    }
    this.entry(sudo, 5, `${member.name.padStart(8)} : ${what}`);
    this.entry(
      sudo,
      6,
      `pam_unix(sudo:session): session opened for user root(uid=0) by ${member.name}(uid=${member.uid})`,
    );
    this.later(random.logNormal(1.5 * SECOND, 1.5), () => {
      if (command.includes('restart nginx'))
        this.restartService('nginx.service', 'A high performance web server and a reverse proxy server');
      this.entry(sudo, 6, 'pam_unix(sudo:session): session closed for user root');
    });
  }

  private restartService(unit: string, description: string): void {
    this.systemd('jobStop', unit, `Stopping ${description}...`);
    this.systemd('success', unit, `${unit}: Deactivated successfully.`);
    this.systemd('jobStopped', unit, `Stopped ${description}.`);
    this.systemd('resources', unit, `${unit}: Consumed ${this.cpu(200, 20_000)} CPU time.`);
    this.systemd('jobStart', unit, `Starting ${description}...`);
    this.host.services.delete(unit);
    this.host.invocations.delete(unit);
    this.later(this.random.int(20_000, 400_000), () =>
      this.systemd('jobDone', unit, `Started ${description}.`),
    );
  }

  private cron(member: Member, user: string, command: string): void {
    const uid = user === 'root' ? 0 : member.uid;
    const cron = this.transient(
      'cron.service',
      'syslog',
      'CRON',
      { uid: 0, gid: 0, comm: 'cron', exe: '/usr/sbin/cron', cmdline: '/usr/sbin/CRON -f -P' },
      10,
    );
    this.entry(cron, 6, `pam_unix(cron:session): session opened for user ${user}(uid=${uid}) by (uid=0)`);
    this.entry(cron, 6, `(${user}) CMD (${command})`, { SYSLOG_FACILITY: '9' });
    this.later(this.random.logNormal(400_000, 1), () => {
      if (this.random.chance(0.03))
        this.entry(cron, 6, '(CRON) info (No MTA installed, discarding output)', { SYSLOG_FACILITY: '9' });
      this.entry(cron, 6, `pam_unix(cron:session): session closed for user ${user}`);
    });
  }

  // the kernel ----------------------------------------------------------------------------

  private kernelNoise(): void {
    const random = this.random;
    const kernel = this.kernel();
    const roll = random.next();
    if (roll < 0.35) {
      const comm = random.pick(['node', 'python3', 'containerd-shim', 'postgres', 'nginx', 'kubelet']);
      this.entry(
        kernel,
        6,
        `audit: type=1400 audit(${Math.floor(this.clockUs / 1e6)}.${random.int(100, 999)}:${random.int(100, 99_999)}): apparmor="DENIED" operation="open" class="file" profile="${random.pick(['cri-containerd.apparmor.d', 'docker-default', '/usr/sbin/chronyd', 'nvidia_modprobe'])}" name="/proc/${random.int(1, 99_999)}/${random.pick(['mounts', 'cmdline', 'status', 'net/dev'])}" pid=${random.int(1000, 999_999)} comm="${comm}" requested_mask="r" denied_mask="r" fsuid=${random.pick([0, 33, 999, 65534])} ouid=0`,
      );
    } else if (roll < 0.55) {
      this.entry(
        kernel,
        4,
        `perf: interrupt took too long (${random.int(2501, 9000)} > ${random.int(2500, 3200)}), lowering kernel.perf_event_max_sample_rate to ${random.pick([79750, 63750, 50000, 39750, 31500])}`,
      );
    } else if (roll < 0.7) {
      this.entry(kernel, 6, `hrtimer: interrupt took ${random.int(50_000, 9_000_000)} ns`);
    } else if (roll < 0.85) {
      this.entry(
        kernel,
        5,
        `EXT4-fs (${random.pick(['vda1', 'vdb1', 'nvme0n1p2'])}): ${random.pick(['resizing filesystem from', 'mounted filesystem with ordered data mode. Quota mode: none.', 'Delayed block allocation failed for inode'])}${random.chance(0.5) ? '' : ` ${random.int(1_000_000, 90_000_000)} blocks`}`,
      );
    } else {
      this.entry(
        kernel,
        4,
        `TCP: request_sock_TCP: Possible SYN flooding on port ${random.pick([443, 80, 8080, 6443, 5432])}. Sending cookies.  Check SNMP counters.`,
      );
    }
  }

  private firewallBlock(): void {
    const random = this.random;
    const kernel = this.kernel();
    const proto = random.chance(0.85) ? 'TCP' : 'UDP';
    const port = random.pickSkewed([
      23, 22, 3389, 445, 8080, 5900, 1433, 3306, 6379, 8443, 2375, 5060, 123, 161,
    ]);
    const tail =
      proto === 'TCP'
        ? `SPT=${random.int(1024, 65535)} DPT=${port} WINDOW=${random.pick([1024, 14600, 29200, 64240, 65535])} RES=0x00 SYN URGP=0`
        : `SPT=${random.int(1024, 65535)} DPT=${port} LEN=${random.int(8, 120)}`;
    this.entry(
      kernel,
      4,
      `[UFW BLOCK] IN=eth0 OUT= MAC=52:54:00:${random.hex(2)}:${random.hex(2)}:${random.hex(2)}:fe:ff:ff:ff:ff:ff:08:00 SRC=${this.scannerIp()} DST=10.0.1.${random.int(10, 40)} LEN=${random.int(40, 60)} TOS=0x00 PREC=0x00 TTL=${random.int(38, 250)} ID=${random.int(1, 65535)} ${random.chance(0.5) ? 'DF ' : ''}PROTO=${proto} ${tail}`,
    );
  }

  /** Rare trouble: an OOM kill, a segfault with its core dump (a multi-line entry), a disk error. */
  private rareTrouble(): void {
    const random = this.random;
    const kernel = this.kernel();
    const roll = random.next();
    const victim = VICTIMS[this.host.role];
    const pid = this.newPid(this.host);
    if (roll < 0.45) {
      const rss = random.int(800_000, 6_000_000);
      this.entry(
        kernel,
        4,
        `${victim.comm} invoked oom-killer: gfp_mask=0x140cca(GFP_HIGHUSER_MOVABLE|__GFP_COMP), order=0, oom_score_adj=0`,
      );
      this.entry(
        kernel,
        6,
        `oom-kill:constraint=CONSTRAINT_NONE,nodemask=(null),cpuset=/,mems_allowed=0,global_oom,task_memcg=/system.slice/${victim.unit},task=${victim.comm},pid=${pid},uid=${random.pick([0, 33, 999, 1001])}`,
      );
      this.entry(
        kernel,
        3,
        `Out of memory: Killed process ${pid} (${victim.comm}) total-vm:${rss + random.int(10_000, 900_000)}kB, anon-rss:${rss}kB, file-rss:${random.int(0, 9000)}kB, shmem-rss:0kB, UID:${random.pick([0, 33, 999, 1001])} pgtables:${random.int(2000, 14_000)}kB oom_score_adj:0`,
      );
      this.later(random.int(10_000, 200_000), () => {
        this.systemd(
          'oom',
          victim.unit,
          `${victim.unit}: A process of this unit has been killed by the OOM killer.`,
          5,
        );
        this.systemd('failure', victim.unit, `${victim.unit}: Failed with result 'oom-kill'.`, 4, {
          UNIT_RESULT: 'oom-kill',
        });
      });
    } else if (roll < 0.85) {
      const library = random.pick(['libc.so.6', 'libssl.so.3', 'libpython3.11.so.1.0', 'libuv.so.1']);
      this.entry(
        kernel,
        6,
        `${victim.comm}[${pid}]: segfault at ${random.hex(4)} ip 00007f${random.hex(10)} sp 00007ffd${random.hex(8)} error 4 in ${library}[7f${random.hex(10)}+${random.hex(6)}] likely on CPU ${random.int(0, 7)} (core ${random.int(0, 3)}, socket 0)`,
      );
      this.later(random.int(200_000, 2_000_000), () => this.coredump(victim, pid, library));
    } else {
      const device = random.pick(['vdb', 'sdb', 'nvme1n1']);
      const sector = random.int(1_000_000, 900_000_000);
      for (let repeat = random.int(1, 6); repeat > 0; repeat--) {
        this.entry(
          kernel,
          3,
          `I/O error, dev ${device}, sector ${sector + repeat * 8} op 0x0:(READ) flags 0x80700 phys_seg 1 prio class 2`,
        );
      }
      this.entry(
        kernel,
        3,
        `Buffer I/O error on dev ${device}1, logical block ${Math.floor(sector / 8)}, async page read`,
      );
    }
  }

  private coredump(victim: Victim, pid: number, library: string): void {
    const random = this.random;
    const uid = random.pick([0, 33, 999, 1001]);
    const coredump = this.transient(
      `systemd-coredump@0-${random.int(1000, 99_999)}-0.service`,
      'journal',
      'systemd-coredump',
      {
        uid: 0,
        gid: 0,
        comm: 'systemd-coredum',
        exe: '/usr/lib/systemd/systemd-coredump',
        cmdline: `/lib/systemd/systemd-coredump ${pid} ${uid} ${uid} 11 ${Math.floor(this.clockUs / 1e6)} 18446744073709551615 ${this.host.name}`,
      },
      3,
      `/system.slice/system-systemd\\x2dcoredump.slice/systemd-coredump@0-${random.int(1000, 99_999)}-0.service`,
    );
    const frames = random.int(4, 14);
    const lines = [
      `Process ${pid} (${victim.comm}) of user ${uid} dumped core.`,
      '',
      `Module ${library} from deb ${library.replace(/\.so.*$/, '')}-${random.int(1, 3)}.${random.int(0, 30)}-${random.int(1, 9)}.amd64`,
      `Stack trace of thread ${pid}:`,
    ];
    for (let frame = 0; frame < frames; frame++) {
      const symbol = random.chance(0.4)
        ? 'n/a'
        : random.pick([
            '__pthread_kill_implementation',
            'raise',
            'abort',
            'malloc',
            '_int_free',
            'uv_run',
            'PyEval_EvalFrameDefault',
            'SSL_read',
            'main',
            '__libc_start_call_main',
          ]);
      lines.push(
        `#${frame}  0x00007f${random.hex(10)} ${symbol} (${frame < frames - 2 ? library : victim.comm} + 0x${random.hex(5)})`,
      );
    }
    lines.push(`ELF object binary architecture: AMD x86-64`);
    this.entry(coredump, 2, lines.join('\n'), {
      CODE_FILE: 'src/coredump/coredump.c',
      CODE_LINE: '927',
      CODE_FUNC: 'submit_coredump',
      MESSAGE_ID: 'fc2e22bc6ee647b6b90729ab34a250b1',
      COREDUMP_UNIT: victim.unit,
      COREDUMP_PID: String(pid),
      COREDUMP_UID: String(uid),
      COREDUMP_SIGNAL: '11',
      COREDUMP_SIGNAL_NAME: 'SIGSEGV',
      COREDUMP_COMM: victim.comm,
      COREDUMP_EXE: victim.exe,
      COREDUMP_FILENAME: `/var/lib/systemd/coredump/core.${victim.comm}.${uid}.${this.host.bootId}.${pid}.${Math.floor(this.clockUs / 1e6)}000000.zst`,
    });
    this.systemd(
      'exited',
      victim.unit,
      `${victim.unit}: Main process exited, code=dumped, status=11/SEGV`,
      5,
      { EXIT_CODE: 'dumped', EXIT_STATUS: '11' },
    );
    this.systemd('failure', victim.unit, `${victim.unit}: Failed with result 'core-dump'.`, 4, {
      UNIT_RESULT: 'core-dump',
    });
  }

  // base daemons --------------------------------------------------------------------------

  private chrony(): void {
    const random = this.random;
    const chronyd = this.daemon('chrony.service', 'syslog', 'chronyd', {
      uid: 104,
      gid: 110,
      comm: 'chronyd',
      exe: '/usr/sbin/chronyd',
      cmdline: '/usr/sbin/chronyd -F 1',
    });
    const server = () =>
      `${random.int(5, 212)}.${random.int(0, 255)}.${random.int(0, 255)}.${random.int(1, 254)}`;
    const roll = random.next();
    if (roll < 0.4)
      this.entry(chronyd, 6, `Selected source ${server()} (${random.int(0, 3)}.debian.pool.ntp.org)`);
    else if (roll < 0.7)
      this.entry(
        chronyd,
        6,
        `Source ${server()} replaced with ${server()} (${random.int(0, 3)}.debian.pool.ntp.org)`,
      );
    else if (roll < 0.9)
      this.entry(chronyd, 4, `System clock wrong by ${(random.next() * 2 - 1).toFixed(6)} seconds`);
    else this.entry(chronyd, 4, "Can't synchronise: no majority");
  }

  private rsyslogHup(): void {
    const rsyslog = this.daemon(
      'rsyslog.service',
      'syslog',
      'rsyslogd',
      {
        uid: 0,
        gid: 0,
        comm: 'rsyslogd',
        exe: '/usr/sbin/rsyslogd',
        cmdline: '/usr/sbin/rsyslogd -n -iNONE',
      },
      5,
    );
    this.entry(
      rsyslog,
      6,
      `[origin software="rsyslogd" swVersion="8.2302.0" x-pid="${rsyslog.pid}" x-info="https://www.rsyslog.com"] rsyslogd was HUPed`,
    );
  }

  private systemdNoise(): void {
    const random = this.random;
    const roll = random.next();
    if (roll < 0.4) {
      const rsyslog = this.daemon(
        'rsyslog.service',
        'syslog',
        'rsyslogd',
        {
          uid: 0,
          gid: 0,
          comm: 'rsyslogd',
          exe: '/usr/sbin/rsyslogd',
          cmdline: '/usr/sbin/rsyslogd -n -iNONE',
        },
        5,
      );
      this.entry(
        rsyslog,
        6,
        'imjournal: journal files changed, reloading...  [v8.2302.0 try https://www.rsyslog.com/e/0 ]',
      );
    } else if (roll < 0.6) {
      const journald = this.daemon('systemd-journald.service', 'journal', 'systemd-journald', {
        uid: 0,
        gid: 0,
        comm: 'systemd-journal',
        exe: '/usr/lib/systemd/systemd-journald',
        cmdline: '/lib/systemd/systemd-journald',
      });
      const unit = random.pick([
        'orders-api.service',
        'kubelet.service',
        'nginx.service',
        'containerd.service',
        'billing-worker.service',
      ]);
      this.entry(journald, 5, `Suppressed ${random.int(100, 90_000)} messages from ${unit}`, {
        CODE_FILE: 'src/journal/journald-server.c',
        CODE_LINE: '1072',
        CODE_FUNC: 'dispatch_message_real',
        MESSAGE_ID: 'a596d6fe7bfa4994828e72309e95d61e',
        N_DROPPED: String(random.int(100, 90_000)),
      });
    } else {
      const unit = `run-containerd-runc-k8s.io-${random.hex(64)}-runc.${random.hex(6)}.mount`;
      this.systemd('success', unit, `${unit}: Deactivated successfully.`);
    }
  }

  // web -----------------------------------------------------------------------------------

  private requestPath(): string {
    const random = this.random;
    const roll = random.next();
    if (roll < 0.35) return `/api/v1/orders/${random.int(100_000, 999_999)}`;
    if (roll < 0.5)
      return `/api/v1/products?category=${random.pick(['shoes', 'bags', 'hats', 'coats'])}&page=${random.int(1, 30)}`;
    if (roll < 0.62) return `/static/js/app.${random.hex(8)}.js`;
    if (roll < 0.7) return `/api/v1/users/${random.int(1000, 99_999)}/cart`;
    if (roll < 0.78) return '/healthz';
    if (roll < 0.84)
      return `/images/products/${random.int(1000, 9999)}-${random.pick(['thumb', 'large'])}.webp`;
    if (roll < 0.9) return '/login';
    if (roll < 0.95) return random.pick(PROBED_PATHS);
    return random.pick(['/', '/favicon.ico', '/robots.txt', '/sitemap.xml']);
  }

  private nginxWorker(): Source {
    const worker = this.random.int(0, 1);
    return this.source(`nginx.service#${worker}`, () => ({
      transport: 'syslog',
      identifier: 'nginx',
      facility: 23,
      unit: 'nginx.service',
      process: {
        pid: this.newPid(this.host),
        uid: 33,
        gid: 33,
        comm: 'nginx',
        exe: '/usr/sbin/nginx',
        cmdline: 'nginx: worker process',
      },
    }));
  }

  private nginxAccess(): void {
    const random = this.random;
    const path = this.requestPath();
    const probing = PROBED_PATHS.includes(path);
    const method =
      path.includes('/cart') || path === '/login'
        ? random.pick(['GET', 'POST', 'POST', 'PUT'])
        : random.chance(0.97)
          ? 'GET'
          : random.pick(['HEAD', 'OPTIONS', 'POST']);
    const status = probing ? random.pick([404, 404, 404, 403, 400]) : random.weighted(this.statusTable);
    const bytes =
      status === 304 || status === 204 ? 0 : Math.round(random.logNormal(status >= 400 ? 180 : 2400, 1.3));
    const client =
      probing || random.chance(0.25)
        ? this.scannerIp()
        : `${random.int(1, 223)}.${random.int(0, 255)}.${random.int(0, 255)}.${random.int(1, 254)}`;
    const referer = random.chance(0.6)
      ? '-'
      : `https://shop.example.com${random.pick(['/', '/cart', '/products', '/checkout'])}`;
    this.entry(
      this.nginxWorker(),
      6,
      `${client} - - [${this.time.nginxAccess(this.clockUs)}] "${method} ${path} HTTP/${random.chance(0.7) ? '1.1' : '2.0'}" ${status} ${bytes} "${referer}" "${probing ? random.pick(USER_AGENTS.slice(-4)) : random.pickSkewed(USER_AGENTS)}"`,
    );
  }

  // prettier-ignore
  private readonly statusTable = weighted<number>([
    [200, 80], [304, 6], [301, 2], [302, 2], [201, 2], [204, 1.5], [400, 1], [401, 1], [403, 0.5],
    [404, 3], [499, 0.4], [500, 0.2], [502, 0.2], [503, 0.1], [504, 0.1],
  ]);

  private nginxError(): void {
    const random = this.random;
    const client = random.chance(0.5) ? this.scannerIp() : this.internalIp();
    const connection = random.int(10_000, 9_000_000);
    const request = `${random.chance(0.9) ? 'GET' : 'POST'} ${this.requestPath()} HTTP/1.1`;
    const upstream = `http://127.0.0.1:${random.pick([3000, 3001])}`;
    const roll = random.next();
    const worker = this.nginxWorker();
    const prefix = `${this.time.nginxError(this.clockUs)} [%LEVEL%] ${worker.pid}#${worker.pid}: *${connection}`;
    const tail = `client: ${client}, server: shop.example.com, request: "${request}"`;
    if (roll < 0.35) {
      this.entry(
        worker,
        3,
        `${prefix.replace('%LEVEL%', 'error')} open() "/var/www/shop${random.pick(PROBED_PATHS)}" failed (2: No such file or directory), ${tail}, host: "shop.example.com"`,
      );
    } else if (roll < 0.6) {
      this.entry(
        worker,
        3,
        `${prefix.replace('%LEVEL%', 'error')} connect() failed (111: Connection refused) while connecting to upstream, ${tail}, upstream: "${upstream}/", host: "shop.example.com"`,
      );
    } else if (roll < 0.8) {
      this.entry(
        worker,
        3,
        `${prefix.replace('%LEVEL%', 'error')} upstream timed out (110: Connection timed out) while reading response header from upstream, ${tail}, upstream: "${upstream}/", host: "shop.example.com"`,
      );
    } else {
      this.entry(
        worker,
        4,
        `${prefix.replace('%LEVEL%', 'warn')} an upstream response is buffered to a temporary file /var/cache/nginx/proxy_temp/${random.int(1, 9)}/${pad2(random.int(0, 99))}/00000${random.int(10_000, 99_999)} while reading upstream, ${tail}, upstream: "${upstream}/", host: "shop.example.com"`,
      );
    }
  }

  private ordersApi(): void {
    const random = this.random;
    const api = this.daemon('orders-api.service', 'stdout', 'orders-api', {
      uid: 998,
      gid: 998,
      comm: 'node',
      exe: '/usr/bin/node',
      cmdline: '/usr/bin/node --enable-source-maps /opt/orders-api/dist/server.js',
    });
    const time = Math.floor(this.clockUs / 1000);
    const reqId = `req-${random.hex(4)}`;
    const roll = random.next();
    const url = this.requestPath().replace(/^\/api/, '');
    if (roll < 0.9) {
      const status = random.weighted(this.statusTable);
      const level = status >= 500 ? 50 : status >= 400 ? 40 : 30;
      this.entry(
        api,
        6,
        `{"level":${level},"time":${time},"pid":${api.pid},"hostname":"${this.host.name}","reqId":"${reqId}","req":{"method":"${random.chance(0.8) ? 'GET' : 'POST'}","url":"${url}","remoteAddress":"${this.internalIp()}","remotePort":${random.int(32768, 60999)}},"res":{"statusCode":${status}},"responseTime":${random.logNormal(18, 1).toFixed(3)},"msg":"request completed"}`,
      );
    } else if (roll < 0.96) {
      this.entry(
        api,
        6,
        `{"level":30,"time":${time},"pid":${api.pid},"hostname":"${this.host.name}","orderId":${random.int(100_000, 999_999)},"items":${random.int(1, 9)},"totalCents":${random.int(500, 90_000)},"msg":"order created"}`,
      );
    } else if (roll < 0.99) {
      this.entry(
        api,
        6,
        `{"level":40,"time":${time},"pid":${api.pid},"hostname":"${this.host.name}","reqId":"${reqId}","cache":"redis","durationMs":${random.int(200, 3000)},"msg":"slow cache lookup"}`,
      );
    } else {
      const db = `10.0.5.${random.int(10, 12)}:5432`;
      this.entry(
        api,
        6,
        `{"level":50,"time":${time},"pid":${api.pid},"hostname":"${this.host.name}","reqId":"${reqId}","err":{"type":"Error","message":"connect ECONNREFUSED ${db}","stack":"Error: connect ECONNREFUSED ${db}\\n    at TCPConnectWrap.afterConnect [as oncomplete] (node:net:1605:16)","errno":-111,"code":"ECONNREFUSED","syscall":"connect","address":"${db.split(':')[0]}","port":5432},"msg":"database query failed"}`,
      );
    }
  }

  // database ------------------------------------------------------------------------------

  private postgresSource(): Source {
    return this.daemon('postgresql@15-main.service', 'stdout', 'postgres', {
      uid: 106,
      gid: 113,
      comm: 'postgres',
      exe: '/usr/lib/postgresql/15/bin/postgres',
      cmdline:
        '/usr/lib/postgresql/15/bin/postgres -D /var/lib/postgresql/15/main -c config_file=/etc/postgresql/15/main/postgresql.conf',
    });
  }

  private postgres(): void {
    const random = this.random;
    const pg = this.postgresSource();
    const backend = random.int(10_000, 4_000_000);
    const who = random.pickSkewed([
      'app@shop',
      'app@shop',
      'billing@shop',
      'grafana@metrics',
      'postgres@postgres',
    ]);
    const prefix = `${this.time.postgres(this.clockUs)} [${backend}] ${who}`;
    const roll = random.next();
    if (roll < 0.45) {
      const host = this.internalIp();
      const port = random.int(32768, 60999);
      const [user, database] = who.split('@') as [string, string];
      this.entry(
        pg,
        6,
        `${this.time.postgres(this.clockUs)} [${backend}] [unknown]@[unknown] LOG:  connection received: host=${host} port=${port}`,
      );
      this.entry(
        pg,
        6,
        `${prefix} LOG:  connection authorized: user=${user} database=${database} application_name=${random.pick(['orders-api', 'billing-worker', 'psql', 'grafana'])} SSL enabled (protocol=TLSv1.3, cipher=TLS_AES_256_GCM_SHA384, bits=256)`,
      );
      this.later(random.logNormal(3 * SECOND, 2), () => {
        const seconds = random.logNormal(3, 2);
        this.entry(
          pg,
          6,
          `${this.time.postgres(this.clockUs)} [${backend}] ${who} LOG:  disconnection: session time: 0:${pad2(Math.min(59, Math.floor(seconds / 60)))}:${(seconds % 60).toFixed(3).padStart(6, '0')} user=${user} database=${database} host=${host} port=${port}`,
        );
      });
    } else if (roll < 0.8) {
      const table = random.pick(['orders', 'order_items', 'customers', 'invoices', 'products', 'events']);
      const statement = random.pick([
        `SELECT * FROM ${table} WHERE customer_id = ${random.int(1, 99_999)} ORDER BY created_at DESC LIMIT 50`,
        `UPDATE ${table} SET status = 'shipped', updated_at = now() WHERE id = ${random.int(1, 999_999)}`,
        `SELECT count(*) FROM ${table} WHERE created_at > now() - interval '${random.int(1, 30)} days'`,
        `INSERT INTO events (kind, payload) VALUES ('${random.pick(['view', 'click', 'checkout'])}', $1)`,
      ]);
      this.entry(
        pg,
        6,
        `${prefix} LOG:  duration: ${random.logNormal(1500, 0.6).toFixed(3)} ms  statement: ${statement}`,
      );
    } else if (roll < 0.9) {
      const email = `${random.pick(['anna', 'li', 'sam', 'kim', 'jo', 'max'])}${random.int(1, 9999)}@example.${random.pick(['com', 'org', 'net'])}`;
      this.entry(
        pg,
        6,
        `${prefix} ERROR:  duplicate key value violates unique constraint "customers_email_key"`,
      );
      this.entry(pg, 6, `${prefix} DETAIL:  Key (email)=(${email}) already exists.`);
      this.entry(pg, 6, `${prefix} STATEMENT:  INSERT INTO customers (email, name) VALUES ($1, $2)`);
    } else if (roll < 0.95) {
      const table = random.pick(['orders', 'events', 'invoices']);
      this.entry(
        pg,
        6,
        `${this.time.postgres(this.clockUs)} [${backend}] LOG:  automatic vacuum of table "shop.public.${table}": index scans: ${random.int(0, 2)}`,
      );
    } else if (roll < 0.98) {
      this.entry(pg, 6, `${prefix} ERROR:  canceling statement due to statement timeout`);
    } else {
      const user = random.pick(['admin', 'postgres', 'app', 'root', 'test']);
      this.entry(
        pg,
        6,
        `${this.time.postgres(this.clockUs)} [${backend}] ${user}@${random.pick(['postgres', 'shop', 'template1'])} FATAL:  password authentication failed for user "${user}"`,
      );
      this.entry(
        pg,
        6,
        `${this.time.postgres(this.clockUs)} [${backend}] ${user}@postgres DETAIL:  Connection matched pg_hba.conf line ${random.int(90, 130)}: "host all all 0.0.0.0/0 scram-sha-256"`,
      );
    }
  }

  private postgresCheckpoint(): void {
    const random = this.random;
    const pg = this.postgresSource();
    const checkpointer = random.int(400, 9000);
    this.entry(
      pg,
      6,
      `${this.time.postgres(this.clockUs)} [${checkpointer}] LOG:  checkpoint starting: time`,
    );
    const writeSeconds = random.logNormal(20, 0.8);
    this.later(writeSeconds * SECOND, () => {
      const buffers = random.int(10, 20_000);
      this.entry(
        pg,
        6,
        `${this.time.postgres(this.clockUs)} [${checkpointer}] LOG:  checkpoint complete: wrote ${buffers} buffers (${(buffers / 1638.4).toFixed(1)}%); 0 WAL file(s) added, ${random.int(0, 3)} removed, ${random.int(0, 4)} recycled; write=${writeSeconds.toFixed(3)} s, sync=${(random.next() / 10).toFixed(3)} s, total=${(writeSeconds + random.next() / 5).toFixed(3)} s; sync files=${random.int(5, 300)}, longest=${(random.next() / 20).toFixed(3)} s, average=${(random.next() / 100).toFixed(3)} s; distance=${random.int(100, 900_000)} kB, estimate=${random.int(100, 900_000)} kB`,
      );
    });
  }

  // worker --------------------------------------------------------------------------------

  private billingSource(): Source {
    return this.daemon('billing-worker.service', 'journal', 'billing-worker', {
      uid: 997,
      gid: 997,
      comm: 'python3',
      exe: '/usr/bin/python3.11',
      cmdline: '/opt/billing/venv/bin/python3 -m billing.worker --queue invoices',
    });
  }

  private python(logger: string, file: string, line: number, func: string): CorpusEntry {
    return {
      CODE_FILE: `/opt/billing/venv/lib/python3.11/site-packages/billing/${file}`,
      CODE_LINE: String(line),
      CODE_FUNC: func,
      LOGGER: logger,
      THREAD_NAME: 'MainThread',
      PROCESS_NAME: 'MainProcess',
    };
  }

  private billingWorker(): void {
    const random = this.random;
    const worker = this.billingSource();
    const job = random.hex(12);
    const customer = `cus_${random.hex(14)}`;
    const roll = random.next();
    if (roll < 0.6) {
      this.entry(
        worker,
        6,
        `Charged customer ${customer} amount=${random.logNormal(40, 1).toFixed(2)} EUR invoice=in_${random.hex(16)} in ${Math.round(random.logNormal(350, 0.7))} ms`,
        this.python('billing.jobs', 'jobs.py', 212, 'charge_invoice'),
      );
    } else if (roll < 0.8) {
      this.entry(
        worker,
        6,
        `Processing invoice batch ${job} (${random.int(1, 400)} invoices)`,
        this.python('billing.worker', 'worker.py', 88, 'run_batch'),
      );
    } else if (roll < 0.93) {
      this.entry(
        worker,
        4,
        `Payment declined for customer ${customer}: card_declined (${random.pick(['insufficient_funds', 'expired_card', 'do_not_honor', 'incorrect_cvc'])})`,
        this.python('billing.jobs', 'jobs.py', 230, 'charge_invoice'),
      );
    } else if (roll < 0.985) {
      this.entry(
        worker,
        4,
        `Retrying job ${job} in ${random.pick([5, 10, 30, 60, 120])}s (attempt ${random.int(1, 4)}/5)`,
        this.python('billing.queue', 'queue.py', 141, 'retry'),
      );
    } else {
      this.entry(worker, 3, this.traceback(job), this.python('billing.worker', 'worker.py', 97, 'run_batch'));
    }
  }

  /** A Python traceback: logging's JournalHandler sends it as one multi-line MESSAGE. */
  private traceback(job: string): string {
    const random = this.random;
    const timeout = random.chance(0.5);
    return [
      `Job ${job} failed`,
      'Traceback (most recent call last):',
      '  File "/opt/billing/venv/lib/python3.11/site-packages/billing/worker.py", line 91, in run_batch',
      '    result = self.jobs.charge_invoice(invoice)',
      '  File "/opt/billing/venv/lib/python3.11/site-packages/billing/jobs.py", line 208, in charge_invoice',
      '    response = self.gateway.charge(invoice.customer_id, invoice.amount_cents)',
      '  File "/opt/billing/venv/lib/python3.11/site-packages/billing/gateway.py", line 64, in charge',
      '    return self.session.post(self.url, json=payload, timeout=10).json()',
      timeout
        ? "requests.exceptions.ReadTimeout: HTTPSConnectionPool(host='api.payments.example', port=443): Read timed out. (read timeout=10)"
        : `requests.exceptions.ConnectionError: HTTPSConnectionPool(host='api.payments.example', port=443): Max retries exceeded with url: /v1/charges (Caused by NewConnectionError('<urllib3.connection.HTTPSConnection object at 0x7f${random.hex(10)}>: Failed to establish a new connection: [Errno 111] Connection refused'))`,
    ].join('\n');
  }

  /** A crash loop: the worker dies at start-up and systemd restarts it a few times. */
  private workerCrash(): void {
    const random = this.random;
    const unit = 'billing-worker.service';
    const description = 'Billing worker';
    const crashes = random.int(1, 6);
    let delay = 0;
    for (let crash = 0; crash < crashes; crash++) {
      delay += random.int(2 * SECOND, 12 * SECOND);
      this.later(delay, () => {
        const worker = this.billingSource();
        this.entry(
          worker,
          2,
          `Cannot start: ${random.pick(["KeyError: 'PAYMENTS_API_KEY'", 'could not connect to server: Connection refused', 'redis.exceptions.ConnectionError: Error 111 connecting to 10.0.5.20:6379. Connection refused.'])}`,
          this.python('billing.worker', 'worker.py', 42, 'main'),
        );
        const restarts = (this.host.restarts.get(unit) ?? 0) + 1;
        this.host.restarts.set(unit, restarts);
        this.systemd('exited', unit, `${unit}: Main process exited, code=exited, status=1/FAILURE`, 5, {
          EXIT_CODE: 'exited',
          EXIT_STATUS: '1',
        });
        this.systemd('failure', unit, `${unit}: Failed with result 'exit-code'.`, 4, {
          UNIT_RESULT: 'exit-code',
        });
        this.host.services.delete(unit);
        this.host.invocations.delete(unit);
        this.later(5 * SECOND, () => {
          this.systemd(
            'restart',
            unit,
            `${unit}: Scheduled restart job, restart counter is at ${restarts}.`,
            6,
            { N_RESTARTS: String(restarts) },
          );
          this.systemd('jobStopped', unit, `Stopped ${description}.`);
          this.systemd('jobDone', unit, `Started ${description}.`);
        });
      });
    }
  }

  // kubernetes and containers ------------------------------------------------------------

  private kubeletSource(): Source {
    return this.daemon('kubelet.service', 'stdout', 'kubelet', {
      uid: 0,
      gid: 0,
      comm: 'kubelet',
      exe: '/usr/bin/kubelet',
      cmdline:
        '/usr/bin/kubelet --bootstrap-kubeconfig=/etc/kubernetes/bootstrap-kubelet.conf --kubeconfig=/etc/kubernetes/kubelet.conf --config=/var/lib/kubelet/config.yaml --container-runtime-endpoint=unix:///var/run/containerd/containerd.sock',
    });
  }

  private klog(level: 'I' | 'W' | 'E', file: string, text: string): void {
    const kubelet = this.kubeletSource();
    this.entry(
      kubelet,
      6,
      `${level}${this.time.klog(this.clockUs)} ${String(kubelet.pid).padStart(7)} ${file}] ${text}`,
    );
  }

  private kubelet(): void {
    const random = this.random;
    const pod = random.pick(this.host.pods);
    const namespace = pod.startsWith('coredns') || pod.startsWith('node-exporter') ? 'kube-system' : 'shop';
    const podUid = `${random.hex(8)}-${random.hex(4)}-${random.hex(4)}-${random.hex(4)}-${random.hex(12)}`;
    const container = pod.split('-').slice(0, -2).join('-');
    const roll = random.next();
    if (roll < 0.3) {
      this.klog(
        'I',
        'prober.go:107',
        `"Probe failed" probeType="${random.pick(['Readiness', 'Liveness'])}" pod="${namespace}/${pod}" podUID="${podUid}" containerName="${container}" probeResult="failure" output="Get \\"http://10.244.${random.int(0, 9)}.${random.int(2, 250)}:8080/healthz\\": ${random.pick(['context deadline exceeded (Client.Timeout exceeded while awaiting headers)', 'dial tcp 10.244.1.23:8080: connect: connection refused'])}"`,
      );
    } else if (roll < 0.5) {
      this.klog(
        'E',
        'pod_workers.go:1298',
        `"Error syncing pod, skipping" err="failed to \\"StartContainer\\" for \\"${container}\\" with CrashLoopBackOff: \\"back-off ${random.pick(['10s', '20s', '40s', '1m20s', '2m40s', '5m0s'])} restarting failed container=${container} pod=${pod}_${namespace}(${podUid})\\"" pod="${namespace}/${pod}" podUID="${podUid}"`,
      );
    } else if (roll < 0.65) {
      this.klog(
        'I',
        'kubelet_volumes.go:161',
        `"Cleaned up orphaned pod volumes dir" podUID="${podUid}" path="/var/lib/kubelet/pods/${podUid}/volumes"`,
      );
    } else if (roll < 0.8) {
      this.klog('I', 'scope.go:117', `"RemoveContainer" containerID="${random.hex(64)}"`);
    } else if (roll < 0.9) {
      this.klog(
        'W',
        'reflector.go:535',
        `object-"${namespace}"/"kube-root-ca.crt": failed to list *v1.ConfigMap: configmaps "kube-root-ca.crt" is forbidden: User "system:node:${this.host.name}" cannot list resource "configmaps" in API group "" in the namespace "${namespace}": no relationship found between node '${this.host.name}' and this object`,
      );
    } else {
      this.klog(
        'I',
        'image_gc_manager.go:321',
        `"Disk usage on image filesystem is over the high threshold, trying to free bytes down to the low threshold" usage=${random.int(85, 95)} highThreshold=85 amountToFree=${random.int(100_000_000, 9_000_000_000)} lowThreshold=80`,
      );
    }
  }

  private containerdSource(): Source {
    return this.daemon('containerd.service', 'stdout', 'containerd', {
      uid: 0,
      gid: 0,
      comm: 'containerd',
      exe: '/usr/bin/containerd',
      cmdline: '/usr/bin/containerd',
    });
  }

  private logrus(source: Source, level: string, message: string, fields = ''): void {
    this.entry(
      source,
      6,
      `time="${this.time.iso(this.clockUs, 9)}" level=${level} msg="${message}"${fields}`,
    );
  }

  private containerd(flavour: 'k8s' | 'docker'): void {
    const random = this.random;
    const source = this.containerdSource();
    const id = random.hex(64);
    const namespace = flavour === 'k8s' ? 'k8s.io' : 'moby';
    const roll = random.next();
    if (roll < 0.35) {
      this.logrus(source, 'info', 'shim disconnected', ` id=${id} namespace=${namespace}`);
      this.logrus(
        source,
        'warning',
        'cleaning up after shim disconnected',
        ` id=${id} namespace=${namespace}`,
      );
      this.logrus(source, 'info', 'cleaning up dead shim', ` namespace=${namespace}`);
    } else if (roll < 0.6) {
      this.logrus(
        source,
        'info',
        `ImageUpdate event name:\\"${random.pick(CONTAINER_IMAGES)}\\" labels:{key:\\"io.cri-containerd.image\\" value:\\"managed\\"}`,
      );
    } else if (roll < 0.85) {
      this.logrus(
        source,
        'error',
        `ContainerStatus for \\"${id}\\" failed`,
        ` error="rpc error: code = NotFound desc = an error occurred when try to find container \\"${id}\\": not found"`,
      );
    } else {
      this.logrus(
        source,
        'info',
        `loading plugin \\"io.containerd.event.v1.publisher\\"...`,
        ' runtime=io.containerd.runc.v2 type=io.containerd.event.v1',
      );
    }
  }

  private podChurn(): void {
    const random = this.random;
    const host = this.host;
    const old = random.int(0, host.pods.length - 1);
    const app = random.pick(POD_APPS);
    const pod = `${app}-${random.hex(10)}-${random.hex(5)}`;
    const gone = host.pods[old] as string;
    host.pods[old] = pod;
    const containerd = this.containerdSource();
    const sandbox = random.hex(64);
    const container = random.hex(64);
    const veth = `veth${random.hex(8)}`;
    const port = random.int(2, 40);
    const kernel = this.kernel();
    this.logrus(
      containerd,
      'info',
      `RunPodSandbox for &PodSandboxMetadata{Name:${pod},Uid:${random.hex(8)}-${random.hex(4)}-${random.hex(4)}-${random.hex(4)}-${random.hex(12)},Namespace:shop,Attempt:0,}`,
    );
    this.entry(kernel, 6, `cni0: port ${port}(${veth}) entered blocking state`);
    this.entry(kernel, 6, `cni0: port ${port}(${veth}) entered disabled state`);
    this.entry(kernel, 6, `device ${veth} entered promiscuous mode`);
    this.entry(kernel, 6, `cni0: port ${port}(${veth}) entered forwarding state`);
    this.later(random.int(200_000, 2_000_000), () => {
      this.logrus(
        containerd,
        'info',
        `RunPodSandbox for &PodSandboxMetadata{Name:${pod},Namespace:shop,Attempt:0,} returns sandbox id \\"${sandbox}\\"`,
      );
      this.logrus(
        containerd,
        'info',
        `CreateContainer within sandbox \\"${sandbox}\\" for container &ContainerMetadata{Name:${app},Attempt:0,}`,
      );
      this.logrus(containerd, 'info', `StartContainer for \\"${container}\\"`);
      this.later(random.int(100_000, 900_000), () => {
        this.logrus(containerd, 'info', `StartContainer for \\"${container}\\" returns successfully`);
        this.klog(
          'I',
          'kubelet.go:2457',
          `"SyncLoop (PLEG): event for pod" pod="shop/${pod}" event={"ID":"${random.hex(8)}-${random.hex(4)}-${random.hex(4)}-${random.hex(4)}-${random.hex(12)}","Type":"ContainerStarted","Data":"${container}"}`,
        );
      });
    });
    this.later(random.int(1 * SECOND, 20 * SECOND), () => {
      const oldVeth = `veth${random.hex(8)}`;
      this.klog('I', 'kubelet.go:2436', `"SyncLoop DELETE" source="api" pods=["shop/${gone}"]`);
      this.logrus(containerd, 'info', `StopContainer for \\"${random.hex(64)}\\" with timeout 30 (s)`);
      this.entry(kernel, 6, `cni0: port ${random.int(2, 40)}(${oldVeth}) entered disabled state`);
      this.entry(kernel, 6, `device ${oldVeth} left promiscuous mode`);
      const mount = `var-lib-kubelet-pods-${random.hex(8)}\\x2d${random.hex(4)}\\x2d${random.hex(4)}\\x2d${random.hex(4)}\\x2d${random.hex(12)}-volumes-kubernetes.io\\x7eprojected-kube\\x2dapi\\x2daccess\\x2d${random.hex(5)}.mount`;
      this.systemd('success', mount, `${mount}: Deactivated successfully.`);
    });
  }

  private dockerd(): void {
    const random = this.random;
    const dockerd = this.daemon('docker.service', 'stdout', 'dockerd', {
      uid: 0,
      gid: 0,
      comm: 'dockerd',
      exe: '/usr/bin/dockerd',
      cmdline: '/usr/bin/dockerd -H fd:// --containerd=/run/containerd/containerd.sock',
    });
    const id = random.hex(64);
    const roll = random.next();
    if (roll < 0.5) {
      this.logrus(
        dockerd,
        'info',
        'ignoring event',
        ` container=${id} module=libcontainerd namespace=moby topic=/tasks/delete type="*events.TaskDelete"`,
      );
    } else if (roll < 0.7) {
      this.logrus(
        dockerd,
        'info',
        `Container failed to exit within 10s of signal 15 - using the force`,
        ` container=${id}`,
      );
    } else if (roll < 0.85) {
      this.logrus(
        dockerd,
        'error',
        `Handler for POST /v1.43/containers/${id.slice(0, 12)}/start returned error: driver failed programming external connectivity on endpoint ci-job-${random.int(1000, 99_999)} (${random.hex(64)}): Bind for 0.0.0.0:${random.pick([5432, 6379, 8080])} failed: port is already allocated`,
      );
    } else {
      this.logrus(
        dockerd,
        'warning',
        `Error getting v2 registry: Get \\"https://registry.example.com/v2/\\": net/http: request canceled while waiting for connection (Client.Timeout exceeded while awaiting headers)`,
      );
    }
  }

  private ciJob(): void {
    const random = this.random;
    const kernel = this.kernel();
    const veth = `veth${random.hex(7)}`;
    const port = random.int(1, 12);
    this.entry(kernel, 6, `docker0: port ${port}(${veth}) entered blocking state`);
    this.entry(kernel, 6, `docker0: port ${port}(${veth}) entered disabled state`);
    this.entry(kernel, 6, `device ${veth} entered promiscuous mode`);
    this.entry(kernel, 6, `eth0: renamed from ${`veth${random.hex(7)}`}`);
    this.entry(kernel, 6, `IPv6: ADDRCONF(NETDEV_CHANGE): ${veth}: link becomes ready`);
    this.entry(kernel, 6, `docker0: port ${port}(${veth}) entered forwarding state`);
    this.later(random.logNormal(3 * MINUTE, 1), () => {
      this.entry(kernel, 6, `docker0: port ${port}(${veth}) entered disabled state`);
      this.entry(kernel, 6, `device ${veth} left promiscuous mode`);
      this.entry(kernel, 6, `docker0: port ${port}(${veth}) entered disabled state`);
      const mount = `var-lib-docker-overlay2-${random.hex(64)}-merged.mount`;
      this.systemd('success', mount, `${mount}: Deactivated successfully.`);
    });
  }

  // a developer's workstation ------------------------------------------------------------

  private userService(
    userUnit: string,
    identifier: string,
    proc: Omit<Process, 'pid' | 'uid' | 'gid'>,
  ): Source {
    const member = TEAM[4];
    return this.source(`user:${userUnit}`, () => ({
      transport: 'stdout',
      identifier,
      unit: `user@${member.uid}.service`,
      slice: `user-${member.uid}.slice`,
      cgroup: `/user.slice/user-${member.uid}.slice/user@${member.uid}.service/app.slice/${userUnit}`,
      userUnit,
      process: { ...proc, pid: this.newPid(this.host), uid: member.uid, gid: member.uid },
    }));
  }

  private desktop(): void {
    const random = this.random;
    const roll = random.next();
    if (roll < 0.3) {
      const shell = this.userService('org.gnome.Shell@wayland.service', 'gnome-shell', {
        comm: 'gnome-shell',
        exe: '/usr/bin/gnome-shell',
        cmdline: '/usr/bin/gnome-shell',
      });
      if (random.chance(0.15)) {
        this.entry(
          shell,
          3,
          [
            `JS ERROR: TypeError: this._${random.pick(['indicator', 'menu', 'actor', 'settings'])} is null`,
            `_updateIcon@resource:///org/gnome/shell/ui/status/${random.pick(['network', 'volume', 'bluetooth'])}.js:${random.int(100, 900)}:${random.int(5, 40)}`,
            `_sync@resource:///org/gnome/shell/ui/panel.js:${random.int(100, 900)}:${random.int(5, 40)}`,
            `@resource:///org/gnome/shell/ui/init.js:21:20`,
          ].join('\n'),
        );
      } else {
        this.entry(
          shell,
          4,
          `Window manager warning: Buggy client sent a _NET_ACTIVE_WINDOW message with a timestamp of 0 for 0x${random.hex(7)}`,
        );
      }
    } else if (roll < 0.55) {
      const pipewire = this.userService('wireplumber.service', 'wireplumber', {
        comm: 'wireplumber',
        exe: '/usr/bin/wireplumber',
        cmdline: '/usr/bin/wireplumber',
      });
      this.entry(
        pipewire,
        4,
        random.pick([
          "SPA handle 'api.libcamera.enum.manager' could not be loaded; is it installed?",
          "PipeWire's libcamera SPA missing or broken. libcamera not supported.",
          `<WpSiAudioAdapter:0x${random.hex(12)}> Object activation aborted: proxy destroyed`,
        ]),
      );
    } else if (roll < 0.85) {
      const syncthing = this.userService('syncthing.service', 'syncthing', {
        comm: 'syncthing',
        exe: '/usr/bin/syncthing',
        cmdline: '/usr/bin/syncthing serve --no-browser --no-restart --logflags=0',
      });
      const device = random.hex(7).toUpperCase();
      this.entry(
        syncthing,
        6,
        random.pick([
          `[${device}] INFO: Completed initial scan of sendreceive folder "Documents" (${random.hex(5)}-${random.hex(5)})`,
          `[${device}] INFO: Established secure connection to ${random.hex(7).toUpperCase()} at 192.168.1.${random.int(2, 250)}:22000-192.168.1.${random.int(2, 250)}:22000/tcp-client/TLS1.3-TLS_AES_128_GCM_SHA256`,
          `[${device}] INFO: Lost primary connection to ${random.hex(7).toUpperCase()} at 192.168.1.${random.int(2, 250)}:22000: reading length: EOF (${random.int(1, 3)} remain)`,
          `[${device}] INFO: Detected ${random.int(1, 3)} NAT service`,
        ]),
      );
    } else {
      const tracker = this.userService('tracker-miner-fs-3.service', 'tracker-miner-f', {
        comm: 'tracker-miner-f',
        exe: '/usr/libexec/tracker-miner-fs-3',
        cmdline: '/usr/libexec/tracker-miner-fs-3',
      });
      this.entry(
        tracker,
        4,
        `Could not process 'file:///home/carol/Downloads/${random.pick(['report', 'invoice', 'scan', 'slides'])}-${random.int(1, 999)}.${random.pick(['pdf', 'docx', 'odt'])}': ${random.pick(['Error when getting information for file “/home/carol/Downloads”: No such file or directory', 'Could not get any metadata for uri'])}`,
      );
    }
  }

  private networkManager(): void {
    const random = this.random;
    const nm = this.daemon('NetworkManager.service', 'journal', 'NetworkManager', {
      uid: 0,
      gid: 0,
      comm: 'NetworkManager',
      exe: '/usr/sbin/NetworkManager',
      cmdline: '/usr/sbin/NetworkManager --no-daemon',
    });
    const stamp = `[${(this.clockUs / 1e6).toFixed(4)}]`;
    const device = 'wlp0s20f3';
    const fields = (
      level: string,
      domains: string,
      file: string,
      line: number,
      func: string,
    ): CorpusEntry => ({
      NM_LOG_LEVEL: level,
      NM_LOG_DOMAINS: domains,
      NM_DEVICE: device,
      CODE_FILE: file,
      CODE_LINE: String(line),
      CODE_FUNC: func,
    });
    const roll = random.next();
    if (roll < 0.6) {
      this.entry(
        nm,
        6,
        `<info>  ${stamp} dhcp4 (${device}): state changed new lease, address=192.168.1.${random.int(2, 250)}, acd pending`,
        fields('info', 'DHCP4', 'src/core/dhcp/nm-dhcp-client.c', 669, '_nm_dhcp_client_notify'),
      );
    } else if (roll < 0.85) {
      this.entry(
        nm,
        6,
        `<info>  ${stamp} device (${device}): supplicant interface state: ${random.pick(['completed -> 4way_handshake', '4way_handshake -> completed', 'scanning -> authenticating'])}`,
        fields(
          'info',
          'DEVICE,WIFI',
          'src/core/devices/wifi/nm-device-wifi.c',
          2594,
          'supplicant_iface_state',
        ),
      );
    } else {
      this.entry(
        nm,
        4,
        `<warn>  ${stamp} dhcp4 (${device}): request timed out`,
        fields('warn', 'DHCP4', 'src/core/dhcp/nm-dhcp-client.c', 748, 'timeout_cb'),
      );
    }
  }
}

/**
 * `count` entries in time order (deterministic for the same options). Entries carry no `__CURSOR`
 * unless `cursors` is set: only journald assigns real ones.
 */
export function generateEntries(options: CorpusOptions): Generator<CorpusEntry> {
  if (!Number.isSafeInteger(options.count) || options.count < 0)
    throw new Error(`count must be a whole number, got ${options.count}`);
  if (options.entriesPerSecond !== undefined && !(options.entriesPerSecond > 0)) {
    throw new Error(`entriesPerSecond must be positive, got ${options.entriesPerSecond}`);
  }
  return new Corpus(options).entries(options.count);
}
