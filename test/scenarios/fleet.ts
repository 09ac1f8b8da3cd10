/**
 * A simulated fleet for judging anomaly detection: days of realistic journald logs from hosts of
 * several roles, with the week's rhythm and the noise that is normal (a weekly ssh scanner, an error
 * every hour, cron, nightly backups and logrotate, deploys, reboots), and injected, labelled incidents
 * that must be caught. Deterministic for a seed. See README.md.
 */
import type { Role } from '../support/corpus/catalog.ts';
import { DAY } from '../support/corpus/catalog.ts';
import type { CorpusEntry } from '../support/corpus/recorder.ts';
import type { RoutineEvent } from './events.ts';
import { schedulePlannedEvents } from './events.ts';
import type { IncidentLabel, IncidentPlan } from './incidents.ts';
import { defaultPlans, placeIncidents } from './incidents.ts';
import { roster } from './roster.ts';
import { scheduleHousekeeping } from './routine.ts';
import { Simulator } from './simulator.ts';

export type { RoutineEvent, RoutineKind } from './events.ts';
export type { IncidentKind, IncidentLabel, IncidentPlan } from './incidents.ts';
export { INCIDENT_KINDS } from './incidents.ts';

/** One entry as `journalctl -o json` prints it: every value a string. */
export type JournalEntry = CorpusEntry;

export interface FleetOptions {
  /** Same seed, same options: the same entries, incidents and labels. Default 1. */
  seed?: number;
  /** Default 7. */
  days?: number;
  /** How many hosts; the first four are a web host, a database, a worker and a k8s node. Default 12. */
  hosts?: number;
  /** A factor on how much every host logs (traffic, chatter); clock-driven work stays as it is. Default 1. */
  rate?: number;
  /** When the fleet starts, µs since the epoch; days count from its midnight (UTC). Default Monday 2024-06-03. */
  startUs?: number;
  /** Days of normal history before the first incident. Default half the days. */
  historyDays?: number;
  /**
   * The incidents to inject (`[]` for none). Default: one of each kind the fleet has a host for, after
   * the history; a plan that names no host or time gets the default plan's.
   */
  incidents?: readonly IncidentPlan[];
  /** Add `__CURSOR`s of journald's shape. Default false. */
  cursors?: boolean;
}

export interface HostInfo {
  name: string;
  role: Role;
  address: string;
  machineId: string;
}

export interface Fleet {
  startUs: number;
  endUs: number;
  hosts: HostInfo[];
  incidents: IncidentLabel[];
  /** Planned events that are loud but normal: scanner bursts, deploys, reboots. */
  routine: RoutineEvent[];
  /** Every entry of every host in time order (strictly increasing `__REALTIME_TIMESTAMP`). Read once. */
  entries: Generator<JournalEntry>;
  /** The incident an entry (an object `entries` yielded) belongs to, if any. */
  incidentOf(entry: JournalEntry): IncidentLabel | undefined;
}

export const DEFAULT_START_US = Date.UTC(2024, 5, 3) * 1000;

export const PRESETS = {
  /** For tests: Sunday to Tuesday, a web host, a database, a worker and a k8s node, every incident. */
  small: { days: 3, hosts: 4, rate: 0.2, startUs: Date.UTC(2024, 5, 2) * 1000, historyDays: 1 },
  /**
   * For the end-to-end streaming test: the same four hosts after a week of learning (Sunday to the next
   * Monday), every incident in the last two days.
   */
  smallWeek: { days: 9, hosts: 4, rate: 0.2, startUs: Date.UTC(2024, 5, 2) * 1000, historyDays: 7 },
  /** For the benchmark: two weeks of twelve hosts; the first week is history, one incident a day in the second. */
  full: { days: 14, hosts: 12, rate: 0.2, startUs: DEFAULT_START_US, historyDays: 7 },
} as const satisfies Record<string, FleetOptions>;

export type PresetName = keyof typeof PRESETS;

function positive(name: string, value: number, whole: boolean): number {
  if (!(value > 0) || !Number.isFinite(value) || (whole && !Number.isInteger(value))) {
    throw new Error(`${name} must be a positive ${whole ? 'whole number' : 'number'}, got ${value}`);
  }
  return value;
}

export function simulateFleet(options: FleetOptions = {}): Fleet {
  const days = positive('days', options.days ?? 7, true);
  const startUs = options.startUs ?? DEFAULT_START_US;
  const historyDays = options.historyDays ?? Math.floor(days / 2);
  if (!Number.isInteger(historyDays) || historyDays < 0 || historyDays >= days) {
    throw new Error(`historyDays must be a whole number below days (${days}), got ${historyDays}`);
  }
  const sim = new Simulator({
    seed: options.seed ?? 1,
    startUs,
    endUs: Math.floor(startUs / DAY) * DAY + days * DAY,
    rate: positive('rate', options.rate ?? 1, false),
    cursors: options.cursors ?? false,
    hosts: roster(positive('hosts', options.hosts ?? 12, true)),
  });
  for (const host of sim.hosts) scheduleHousekeeping(sim, host);
  const defaults = defaultPlans(sim, historyDays);
  const { labels, busy } = placeIncidents(sim, options.incidents ?? defaults, defaults);
  const routine = schedulePlannedEvents(sim, busy);
  const byId = new Map(labels.map((label) => [label.id, label]));
  const tagged = sim.rec.tagged;
  return {
    startUs: sim.startUs,
    endUs: sim.endUs,
    hosts: sim.hosts.map(({ name, role, address, host }) => ({
      name,
      role,
      address,
      machineId: host.machineId,
    })),
    incidents: labels,
    routine,
    entries: sim.entries(),
    incidentOf(entry) {
      const id = tagged.get(entry);
      return id === undefined ? undefined : byId.get(id);
    },
  };
}
