/**
 * The seven incidents a detector must catch: which roles each can hit, when it happens unless told
 * otherwise, how it is placed in the fleet, and the label it gets.
 */
import type { Role } from '../support/corpus/catalog.ts';
import { DAY, HOUR, MINUTE, SECOND } from '../support/corpus/catalog.ts';
import type { Busy } from './events.ts';
import type { Outcome, Placement } from './inject.ts';
import {
  crashLoop,
  diskFill,
  newErrorBurst,
  oomKilled,
  outboundConnection,
  rootLogin,
  silence,
} from './inject.ts';
import type { SimHost, Simulator } from './simulator.ts';

export type IncidentKind =
  | 'outbound-connection'
  | 'crash-loop'
  | 'oom-kill'
  | 'new-error-burst'
  | 'silence'
  | 'root-login'
  | 'disk-fill';

/** Every kind, in the order the default plan spreads them over the days after the history. */
export const INCIDENT_KINDS: readonly IncidentKind[] = [
  'outbound-connection',
  'crash-loop',
  'oom-kill',
  'new-error-burst',
  'silence',
  'root-login',
  'disk-fill',
];

/** An incident to inject; what is left out is chosen as the default plan would. */
export interface IncidentPlan {
  kind: IncidentKind;
  host?: string;
  /** For a disk fill, when the disk starts filling up. */
  startUs?: number;
  /** For a disk fill, how long until it is full. */
  durationUs?: number;
}

export interface IncidentLabel {
  id: string;
  kind: IncidentKind;
  host: string;
  /** The unit that is hit (its entries may come from others too: systemd, the kernel, a checker). */
  unit: string;
  startUs: number;
  endUs: number;
  description: string;
}

interface KindSpec {
  /** The roles it can hit, the likeliest first. */
  roles: Role[];
  timeOfDayUs: number;
  durationUs: number;
  inject: (placement: Placement) => Outcome;
}

const KINDS: Record<IncidentKind, KindSpec> = {
  'outbound-connection': {
    roles: ['db'],
    timeOfDayUs: 3 * HOUR + 12 * MINUTE + 7 * SECOND,
    durationUs: 3 * MINUTE + 5 * SECOND,
    inject: outboundConnection,
  },
  'crash-loop': {
    roles: ['worker', 'web'],
    timeOfDayUs: 14 * HOUR + 5 * MINUTE,
    durationUs: 25 * MINUTE,
    inject: crashLoop,
  },
  'oom-kill': {
    roles: ['web', 'worker', 'k8s'],
    timeOfDayUs: 11 * HOUR + 38 * MINUTE + 20 * SECOND,
    durationUs: 10 * SECOND,
    inject: oomKilled,
  },
  'new-error-burst': {
    roles: ['web', 'worker'],
    timeOfDayUs: 16 * HOUR + 20 * MINUTE,
    durationUs: 18 * MINUTE,
    inject: newErrorBurst,
  },
  silence: {
    roles: ['worker', 'k8s', 'web'],
    timeOfDayUs: 9 * HOUR + 40 * MINUTE,
    durationUs: 5 * HOUR,
    inject: silence,
  },
  'root-login': {
    roles: ['web', 'db', 'worker', 'k8s', 'ci'],
    timeOfDayUs: 2 * HOUR + 47 * MINUTE + 31 * SECOND,
    durationUs: 7 * MINUTE,
    inject: rootLogin,
  },
  'disk-fill': {
    roles: ['db'],
    timeOfDayUs: 6 * HOUR,
    durationUs: 3 * DAY,
    inject: diskFill,
  },
};

const DISK_FULL_AT = 21 * HOUR + 50 * MINUTE;

/**
 * All seven kinds (those the fleet has a role for), on the days after the first `historyDays`: one
 * kind a day when there are seven such days, several a day when fewer. The disk starts filling on
 * the first of those days and is full on the evening of the last.
 */
export function defaultPlans(sim: Simulator, historyDays: number): IncidentPlan[] {
  const firstDayUs = Math.floor(sim.startUs / DAY) * DAY;
  const days = Math.round((sim.endUs - firstDayUs) / DAY);
  const incidentDays = Array.from({ length: days - historyDays }, (_, index) => historyDays + index);
  if (incidentDays.length === 0) return [];
  const roles = new Set(sim.hosts.map((host) => host.role));
  return INCIDENT_KINDS.filter((kind) => KINDS[kind].roles.some((role) => roles.has(role))).map(
    (kind, order) => {
      if (kind === 'disk-fill') {
        const startUs = firstDayUs + (incidentDays[0] as number) * DAY + KINDS[kind].timeOfDayUs;
        const fullUs = firstDayUs + (incidentDays.at(-1) as number) * DAY + DISK_FULL_AT;
        return { kind, startUs, durationUs: fullUs - startUs };
      }
      const day = incidentDays[Math.floor((order * incidentDays.length) / INCIDENT_KINDS.length)] as number;
      return { kind, startUs: firstDayUs + day * DAY + KINDS[kind].timeOfDayUs };
    },
  );
}

/** The host with a fitting role that has the fewest incidents so far; ties go to the likelier role. */
function chooseHost(sim: Simulator, spec: KindSpec, placed: Map<SimHost, number>): SimHost | undefined {
  let best: SimHost | undefined;
  let bestKey = Infinity;
  for (const host of sim.hosts) {
    const rank = spec.roles.indexOf(host.role);
    if (rank === -1) continue;
    const key = (placed.get(host) ?? 0) * 100 + rank;
    if (key < bestKey) {
      best = host;
      bestKey = key;
    }
  }
  return best;
}

export interface Placed {
  labels: IncidentLabel[];
  /** Spans that planned deploys and reboots keep clear of. */
  busy: Busy[];
}

/** Places and injects `plans`; what a plan leaves out comes from the matching plan in `defaults`. */
export function placeIncidents(
  sim: Simulator,
  plans: readonly IncidentPlan[],
  defaults: readonly IncidentPlan[],
): Placed {
  const placed = new Map<SimHost, number>();
  const labels: IncidentLabel[] = [];
  const busy: Busy[] = [];
  plans.forEach((plan, index) => {
    const spec = KINDS[plan.kind];
    const host = plan.host === undefined ? chooseHost(sim, spec, placed) : sim.host(plan.host);
    if (host === undefined || !spec.roles.includes(host.role)) {
      throw new Error(`a ${plan.kind} needs a host with role ${spec.roles.join(' or ')}`);
    }
    placed.set(host, (placed.get(host) ?? 0) + 1);
    const fallback = defaults.find((candidate) => candidate.kind === plan.kind);
    const startUs = plan.startUs ?? fallback?.startUs ?? sim.startUs + spec.timeOfDayUs;
    const durationUs =
      plan.durationUs ?? (plan.startUs === undefined ? fallback?.durationUs : undefined) ?? spec.durationUs;
    if (startUs < sim.startUs || startUs + durationUs >= sim.endUs) {
      throw new Error(`a ${plan.kind} must start and end within the fleet's days`);
    }
    const id = `${index + 1}-${plan.kind}`;
    const outcome = spec.inject({ sim, host, startUs, durationUs, tag: id });
    labels.push({
      id,
      kind: plan.kind,
      host: host.name,
      unit: outcome.unit,
      startUs,
      endUs: outcome.endUs,
      description: outcome.description,
    });
    const busyFromUs = plan.kind === 'disk-fill' ? startUs + durationUs - 3 * HOUR : startUs;
    busy.push({ host: host.name, fromUs: busyFromUs, untilUs: outcome.endUs });
  });
  return { labels, busy };
}
