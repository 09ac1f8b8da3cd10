/**
 * The engine of the fleet: each host's activities arrive as a Poisson process whose rate follows the
 * time of the week, clock-driven work (timers, cron, planned events, incidents) runs off one agenda,
 * and the two are merged into a single stream of entries in time order.
 */
import type { Weighted } from '../support/corpus/random.ts';
import { Random, weighted } from '../support/corpus/random.ts';
import type { CorpusEntry, Host } from '../support/corpus/recorder.ts';
import { Recorder } from '../support/corpus/recorder.ts';
import type { Activity, HostSlot } from './roster.ts';
import { activitiesOf } from './roster.ts';
import { level, SLOT_US, slotOfWeek } from './seasonality.ts';

export interface SimulatorOptions {
  seed: number;
  startUs: number;
  endUs: number;
  rate: number;
  cursors: boolean;
  hosts: readonly HostSlot[];
}

/** A span during which a unit's own activities on a host do not run (it is hung, crashing or down). */
interface Pause {
  unit: string;
  fromUs: number;
  untilUs: number;
}

/** A file system the disk usage report covers; an incident may make it fill up. */
export interface Disk {
  mount: string;
  sizeGiB: number;
  /** Usage right after the nightly clean-up; it creeps up by about a point over the day. */
  basePercent: number;
  fill?: DiskFill;
}

export interface DiskFill {
  fromUs: number;
  fullUs: number;
  /** Someone freed space: back to `basePercent`. */
  clearedUs: number;
  tag: string;
}

export interface SimHost extends HostSlot {
  host: Host;
  down: boolean;
  pauses: Pause[];
  disks: Disk[];
}

interface Arrival {
  host: SimHost;
  activity: Activity;
}

export class Simulator {
  readonly rec: Recorder;
  readonly hosts: SimHost[];
  readonly startUs: number;
  readonly endUs: number;
  /** Draws for planning (which days, which minutes), apart from the stream the entries draw from. */
  readonly planning: Random;
  /** The factor on every activity's rate (and on incidents that scale with traffic). */
  readonly rate: number;
  private readonly arrivals: Arrival[];
  /** Per slot of the week: the arrivals' weights (events per second) at that time. */
  private readonly tables = new Map<number, Weighted<Arrival>>();
  private nextArrivalUs = 0;
  private nextTable: Weighted<Arrival> | undefined;

  constructor(options: SimulatorOptions) {
    this.startUs = options.startUs;
    this.endUs = options.endUs;
    this.rate = options.rate;
    this.planning = new Random(options.seed ^ 0x5ca1ab1e);
    const rec = new Recorder({ seed: options.seed, startUs: options.startUs, cursors: options.cursors });
    this.rec = rec;
    this.hosts = options.hosts.map((slot) => ({
      ...slot,
      host: rec.makeHost(slot.name, slot.role, options.startUs),
      down: false,
      pauses: [],
      disks: [],
    }));
    rec.host = (this.hosts[0] as SimHost).host;
    this.arrivals = this.hosts.flatMap((host) =>
      activitiesOf(host.role).map((activity) => ({
        host,
        // Hosts of one role differ a little in how busy they are, as real ones do.
        activity: { ...activity, perSecond: activity.perSecond * (0.75 + 0.5 * this.planning.next()) },
      })),
    );
  }

  /** Runs `run` on `host` at `timeUs` (if the host is up then), untagged unless `run` sets a tag. */
  at(timeUs: number, host: SimHost, run: () => void): void {
    if (timeUs >= this.endUs) return;
    this.rec.schedule(Math.max(timeUs, this.startUs), host.host, () => {
      if (!host.down) run();
    });
  }

  /** Like `at`, even while the host is down: for bringing it back. */
  atEvenIfDown(timeUs: number, host: SimHost, run: () => void): void {
    if (timeUs < this.endUs) this.rec.schedule(timeUs, host.host, run);
  }

  /** Runs `run` every `periodUs` from `offsetUs` past the epoch (so on the clock), each time `jitterUs` later at most. */
  every(host: SimHost, periodUs: number, offsetUs: number, jitterUs: number, run: () => void): void {
    // One occurrence on the agenda at a time: a fleet's worth of timers planned ahead would make
    // every agenda operation slower.
    const tick = (nominalUs: number) => {
      this.atEvenIfDown(nominalUs + Math.floor(this.planning.next() * jitterUs), host, () => {
        if (!host.down) run();
        tick(nominalUs + periodUs);
      });
    };
    tick(this.startUs + ((((offsetUs - this.startUs) % periodUs) + periodUs) % periodUs));
  }

  pause(host: SimHost, unit: string, fromUs: number, untilUs: number): void {
    host.pauses.push({ unit, fromUs, untilUs });
  }

  isPaused(host: SimHost, unit: string, timeUs: number): boolean {
    for (const pause of host.pauses) {
      if (pause.unit === unit && timeUs >= pause.fromUs && timeUs < pause.untilUs) return true;
    }
    return false;
  }

  host(name: string): SimHost {
    const found = this.hosts.find((host) => host.name === name);
    if (found === undefined) throw new Error(`no host ${name} in this fleet`);
    return found;
  }

  *entries(): Generator<CorpusEntry> {
    const rec = this.rec;
    const agenda = rec.agenda;
    const out = rec.out;
    this.drawArrival(this.startUs);
    for (;;) {
      const dueUs = agenda.peekTime();
      if (dueUs <= this.nextArrivalUs) {
        if (dueUs >= this.endUs) return;
        const due = agenda.pop();
        if (due === undefined) return;
        rec.clockUs = Math.max(rec.clockUs, due.timeUs);
        due.run();
      } else {
        if (this.nextArrivalUs >= this.endUs) return;
        rec.clockUs = this.nextArrivalUs;
        const { host, activity } = rec.random.weighted(this.nextTable as Weighted<Arrival>);
        if (!host.down && (host.pauses.length === 0 || !this.isPaused(host, activity.unit, rec.clockUs))) {
          rec.host = host.host;
          rec.tag = undefined;
          activity.run(rec);
        }
        this.drawArrival(rec.clockUs);
      }
      for (const entry of out) yield entry;
      out.length = 0;
    }
  }

  /** The next arrival after `fromUs`: rates are constant within a slot, so draw slot by slot. */
  private drawArrival(fromUs: number): void {
    let timeUs = fromUs;
    while (timeUs < this.endUs) {
      const slotEndUs = (Math.floor(timeUs / SLOT_US) + 1) * SLOT_US;
      const table = this.table(slotOfWeek(timeUs));
      if (table.total > 0) {
        const arrivalUs = timeUs + Math.max(1, Math.round(this.rec.random.exponential(1e6 / table.total)));
        if (arrivalUs < slotEndUs) {
          this.nextArrivalUs = arrivalUs;
          this.nextTable = table;
          return;
        }
      }
      timeUs = slotEndUs;
    }
    this.nextArrivalUs = Infinity;
  }

  private table(slot: number): Weighted<Arrival> {
    let table = this.tables.get(slot);
    if (table === undefined) {
      table = weighted(
        this.arrivals.map(
          (arrival) =>
            [
              arrival,
              arrival.activity.perSecond * level(arrival.activity.profile, slot) * this.rate,
            ] as const,
        ),
      );
      this.tables.set(slot, table);
    }
    return table;
  }
}
