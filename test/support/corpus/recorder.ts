import { Agenda } from './agenda.ts';
import type { Role } from './catalog.ts';
import { POD_APPS, DAY, HOUR, SCANNER_FIRST_OCTETS } from './catalog.ts';
import { Random } from './random.ts';
import { TimeText } from './time-text.ts';

export type CorpusEntry = Record<string, string>;

export interface Process {
  pid: number;
  uid: number;
  gid: number;
  comm: string;
  exe: string;
  cmdline: string;
}

export type Transport = 'journal' | 'stdout' | 'syslog' | 'kernel';

/** The fields journald derives from the sender, for one process of one unit. */
export interface Source {
  transport: Transport;
  identifier: string;
  pid: number;
  /** The fields every entry of this process carries, after the per-entry time and priority fields. */
  keys: string[];
  values: string[];
  /** Entry builders by the names of the extra fields of a message, joined by commas. */
  builders: Map<string, EntryBuilder>;
}

export interface SourceSpec {
  transport: Transport;
  identifier: string;
  facility?: number;
  unit?: string;
  slice?: string;
  cgroup?: string;
  userUnit?: string;
  process?: Process;
  extra?: CorpusEntry;
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

export interface Host {
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
  /** Bumped when the host goes down: work it scheduled before then never runs (its processes died). */
  epoch: number;
}

export interface RecorderOptions {
  seed: number;
  startUs: number;
  cursors: boolean;
}

/**
 * The journald of every simulated host at once: builds entries with the trusted fields journald adds,
 * keeps them in time order across hosts, and runs the work that units schedule for later. The units
 * (`units/*.ts`) say what is logged; this says how journald records it.
 */
export class Recorder {
  readonly random: Random;
  readonly time = new TimeText();
  readonly agenda = new Agenda();
  /** Entries built since the caller last drained this. */
  readonly out: CorpusEntry[] = [];
  /** The tag (an incident id) of each entry built while `tag` was set. */
  readonly tagged = new WeakMap<CorpusEntry, string>();
  private readonly builders = new Map<string, EntryBuilder>();
  private readonly cursors: boolean;
  clockUs: number;
  private lastUs: number;
  /** The host the entries being built belong to. */
  host!: Host;
  /** Marks the entries being built, and those of the work they schedule. */
  tag: string | undefined;

  constructor(options: RecorderOptions) {
    this.random = new Random(options.seed);
    this.clockUs = options.startUs;
    this.lastUs = options.startUs;
    this.cursors = options.cursors;
  }

  makeHost(name: string, role: Role, startUs: number): Host {
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
      epoch: 0,
    };
  }

  newPid(host: Host): number {
    host.nextPid += this.random.int(1, 60);
    if (host.nextPid > 4_194_304) host.nextPid = 1000 + this.random.int(0, 999);
    return host.nextPid;
  }

  /** Builds one entry of the current host, a few µs after the previous one. */
  entry(source: Source, priority: number, message: string, extra?: CorpusEntry): CorpusEntry {
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
    if (this.tag !== undefined) this.tagged.set(entry, this.tag);
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

  /** Runs `run` on the current host after `delayUs`, with the current tag, unless the host went down meanwhile. */
  later(delayUs: number, run: () => void): void {
    const host = this.host;
    const tag = this.tag;
    const epoch = host.epoch;
    this.agenda.add(this.clockUs + Math.max(1, Math.round(delayUs)), () => {
      if (host.epoch !== epoch) return;
      this.host = host;
      this.tag = tag;
      run();
    });
  }

  /** Runs `run` on `host` at `timeUs`, untagged: the clock-driven work of timers and cron. */
  schedule(timeUs: number, host: Host, run: () => void): void {
    this.agenda.add(timeUs, () => {
      this.host = host;
      this.tag = undefined;
      run();
    });
  }

  /** The fields journald records about a process of a unit (cached per host and key). */
  source(key: string, make: () => SourceSpec): Source {
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
  daemon(
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
  transient(
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

  invocation(unit: string): string {
    const invocations = this.host.invocations;
    let id = invocations.get(unit);
    if (id === undefined) {
      id = this.random.hex(32);
      invocations.set(unit, id);
    }
    return id;
  }

  kernel(): Source {
    return this.source('kernel', () => ({ transport: 'kernel', identifier: 'kernel' }));
  }

  scannerIp(): string {
    const random = this.random;
    return `${random.pick(SCANNER_FIRST_OCTETS)}.${random.int(0, 255)}.${random.int(0, 255)}.${random.int(1, 254)}`;
  }

  internalIp(): string {
    const random = this.random;
    return `10.${random.int(0, 3)}.${random.pickSkewed([1, 2, 3, 4, 5, 8, 12, 16, 20])}.${random.int(2, 254)}`;
  }

  /** CPU time as systemd prints it, log-normally spread around the middle of `low`..`high` ms. */
  cpu(low: number, high: number): string {
    const ms = Math.round(this.random.logNormal(Math.sqrt(low * high), 0.5));
    return ms < 1000 ? `${ms}ms` : `${(ms / 1000).toFixed(3).replace(/0+$/, '').replace(/\.$/, '')}s`;
  }
}
