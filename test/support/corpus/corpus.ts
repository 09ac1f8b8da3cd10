/**
 * A deterministic generator of realistic journald entries, shaped as `journalctl -o json` prints
 * them (every value a string): many hosts with different roles (web, k8s node, database, worker,
 * CI runner, developer workstation), their units' real message shapes with varying parameters, the
 * trusted fields journald adds, related entries in realistic sequences (an ssh login starts a
 * logind session and a user manager; a pod start makes veth devices appear), timers that fire on
 * the clock, and the priority mix of real logs (errors on stdout are still PRIORITY=6).
 */
import type { Role } from './catalog.ts';
import { DAY, HOUR, MINUTE, ROLE_HOSTNAME, ROLE_ROTATION, SECOND, TEAM, TIMERS } from './catalog.ts';
import type { Weighted } from './random.ts';
import { weighted } from './random.ts';
import type { CorpusEntry, Host } from './recorder.ts';
import { Recorder } from './recorder.ts';
import { pad2 } from './time-text.ts';
import { billingWorker, workerCrash } from './units/billing.ts';
import { ciJob, containerd, dockerd, kubelet, podChurn } from './units/containers.ts';
import { desktop, networkManager } from './units/desktop.ts';
import { firewallBlock, kernelNoise, rareTrouble } from './units/kernel.ts';
import { postgres, postgresCheckpoint } from './units/postgres.ts';
import { sshLogin, sshScan, sudo } from './units/ssh.ts';
import { chrony, cron, runTimer, systemdNoise } from './units/system.ts';
import { nginxAccess, nginxError, ordersApi } from './units/web.ts';

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

/** A Monday. */
export const DEFAULT_START_US = Date.UTC(2024, 5, 3) * 1000;

/** One `journalctl -o json` line, without the newline. */
export function toJsonLine(entry: CorpusEntry): string {
  return JSON.stringify(entry);
}

class Corpus {
  private readonly rec: Recorder;
  private readonly hosts: Host[];
  private readonly starters: Weighted<() => void>;
  private readonly meanGapUs: number;
  private readonly diurnal: boolean;
  private nextArrivalUs: number;
  private episodes = 0;
  private emitted = 0;

  constructor(options: CorpusOptions) {
    const startUs = options.startUs ?? DEFAULT_START_US;
    const rec = new Recorder({ seed: options.seed ?? 1, startUs, cursors: options.cursors ?? false });
    this.rec = rec;
    this.meanGapUs = SECOND / (options.entriesPerSecond ?? 50);
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
      return rec.makeHost(name, role, startUs);
    });
    rec.host = this.hosts[0] as Host;
    this.starters = weighted(this.hosts.flatMap((host) => this.startersOf(host)));
    for (const host of this.hosts) this.scheduleTimers(host, startUs);
    this.nextArrivalUs = startUs + this.gap();
  }

  *entries(count: number): Generator<CorpusEntry> {
    const rec = this.rec;
    const agenda = rec.agenda;
    const out = rec.out;
    while (this.emitted < count) {
      if (agenda.peekTime() <= this.nextArrivalUs) {
        const due = agenda.pop();
        if (due === undefined) break;
        rec.clockUs = Math.max(rec.clockUs, due.timeUs);
        due.run();
      } else {
        rec.clockUs = this.nextArrivalUs;
        rec.random.weighted(this.starters)();
        this.episodes++;
        this.nextArrivalUs = rec.clockUs + this.gap();
      }
      for (const entry of out) {
        if (this.emitted >= count) break;
        this.emitted++;
        yield entry;
      }
      out.length = 0;
    }
  }

  /**
   * Episodes emit several entries each (and schedule more), so episodes start less often than
   * entries arrive: the gap scales with the entries per episode seen so far.
   */
  private gap(): number {
    const rec = this.rec;
    const entriesPerEpisode = this.episodes < 50 ? 3 : (this.emitted + rec.out.length) / this.episodes;
    let mean = this.meanGapUs * entriesPerEpisode;
    if (this.diurnal) {
      const hour = (rec.clockUs % DAY) / HOUR;
      mean /= 1 + 0.6 * Math.sin(((hour - 8) / 24) * 2 * Math.PI);
    }
    return Math.max(1, Math.round(rec.random.exponential(mean)));
  }

  private startersOf(host: Host): [() => void, number][] {
    const rec = this.rec;
    const on = (run: (rec: Recorder) => void) => () => {
      rec.host = host;
      run(rec);
    };
    const starters: [() => void, number][] = [
      [on(sshScan), 0.01],
      [on(sshLogin), 0.01],
      [on(kernelNoise), 0.15],
      [on(chrony), 0.05],
      [on(systemdNoise), 0.08],
      [on(rareTrouble), 0.004],
    ];
    switch (host.role) {
      case 'web':
        starters.push(
          [on(nginxAccess), 9],
          [on(nginxError), 0.5],
          [on(ordersApi), 3],
          [on(firewallBlock), 0.6],
        );
        break;
      case 'k8s':
        starters.push([on(kubelet), 4], [on((rec) => containerd(rec, 'k8s')), 1.5], [on(podChurn), 0.04]);
        break;
      case 'db':
        starters.push([on(postgres), 6]);
        break;
      case 'worker':
        starters.push([on(billingWorker), 4], [on(workerCrash), 0.003]);
        break;
      case 'ci':
        starters.push([on(dockerd), 2], [on((rec) => containerd(rec, 'docker')), 0.6], [on(ciJob), 0.04]);
        break;
      case 'dev':
        starters.push([on(desktop), 1.5], [on(networkManager), 0.3], [on((rec) => sudo(rec, TEAM[0])), 0.03]);
        break;
    }
    return starters;
  }

  private scheduleTimers(host: Host, startUs: number): void {
    const rec = this.rec;
    rec.host = host;
    for (const timer of TIMERS) {
      if (timer.roles !== undefined && !timer.roles.includes(host.role)) continue;
      const first = startUs + rec.random.int(0, Math.min(timer.periodUs, DAY) - 1);
      const fire = () => {
        runTimer(rec, timer);
        rec.later(timer.periodUs + rec.random.int(0, 30 * SECOND), fire);
      };
      rec.schedule(first, host, fire);
    }
    const hourlyMinute = rec.random.int(0, 59);
    const cronHourly = () => {
      cron(rec, TEAM[0], 'root', '   cd / && run-parts --report /etc/cron.hourly');
      rec.later(HOUR, cronHourly);
    };
    rec.schedule(startUs + ((hourlyMinute * MINUTE - (startUs % HOUR) + HOUR) % HOUR), host, cronHourly);
    if (host.role === 'web' || host.role === 'worker') {
      const everyFive = () => {
        cron(rec, TEAM[2], 'deploy', '/opt/shop/bin/refresh-cache >/dev/null 2>&1');
        rec.later(5 * MINUTE, everyFive);
      };
      rec.schedule(startUs + ((5 * MINUTE - (startUs % (5 * MINUTE))) % (5 * MINUTE)), host, everyFive);
    }
    if (host.role === 'db') {
      const checkpoint = () => {
        postgresCheckpoint(rec);
        rec.later(5 * MINUTE, checkpoint);
      };
      rec.schedule(startUs + rec.random.int(0, 5 * MINUTE), host, checkpoint);
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
