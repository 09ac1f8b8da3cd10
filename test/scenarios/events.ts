/**
 * Planned one-off events that are normal but loud: the weekly burst of a known ssh scanner, deploys
 * that restart services, and reboots with their whole boot sequence. They are listed (as routine
 * events) so a benchmark can count the false alarms they cause.
 */
import type { Member } from '../support/corpus/catalog.ts';
import { DAY, HOUR, MINUTE, SCANNED_USERS, SECOND, TEAM } from '../support/corpus/catalog.ts';
import { boot, serviceStarted, shutdown } from '../support/corpus/units/boot.ts';
import { sshAttempt, sshSession } from '../support/corpus/units/ssh.ts';
import { restartService } from '../support/corpus/units/system.ts';
import { MAIN_SERVICE, PUBLIC_ROLES } from './roster.ts';
import { isWeekend, weekday } from './seasonality.ts';
import type { SimHost, Simulator } from './simulator.ts';

export type RoutineKind = 'scanner-burst' | 'deploy' | 'reboot';

export interface RoutineEvent {
  kind: RoutineKind;
  host: string;
  unit: string;
  startUs: number;
  endUs: number;
  description: string;
}

/** A span of a host that planned events keep clear of (an incident, with some margin). */
export interface Busy {
  host: string;
  fromUs: number;
  untilUs: number;
}

/** The scanner that sweeps the public hosts every Monday morning (a documentation address). */
export const WEEKLY_SCANNER = '198.51.100.23';
const SCAN_ATTEMPTS = 500;

function ciAddress(sim: Simulator): string {
  return sim.hosts.find((host) => host.role === 'ci')?.address ?? '10.0.7.10';
}

/**
 * Someone logs in and restarts the host's main service: the CI pipeline's deploy user shipping a
 * release, or on-call fixing something. Tagged with `tag` if given (a bad release is part of its incident).
 */
export function restartMainService(
  sim: Simulator,
  host: SimHost,
  timeUs: number,
  who: { member: Member; address: string },
  tag?: string,
): void {
  const service = MAIN_SERVICE[host.role];
  const rec = sim.rec;
  sim.at(timeUs, host, () => {
    rec.tag = tag;
    sshSession(rec, who.member, who.address, {
      method: 'publickey',
      lengthUs: rec.random.int(40, 120) * SECOND,
      sudoCommands: 0,
    });
    rec.later(rec.random.int(8, 20) * SECOND, () => {
      restartService(rec, service.unit, service.description);
      rec.later(rec.random.int(500, 2000) * 1000, () => serviceStarted(rec, service.unit));
    });
  });
}

export function deployer(sim: Simulator): { member: Member; address: string } {
  return { member: TEAM[2], address: ciAddress(sim) };
}

export function onCall(): { member: Member; address: string } {
  return { member: TEAM[0], address: '10.0.8.10' };
}

function clashes(busy: readonly Busy[], host: SimHost, fromUs: number, untilUs: number): boolean {
  return busy.some((span) => span.host === host.name && span.fromUs < untilUs && fromUs < span.untilUs);
}

function scannerBurst(sim: Simulator, host: SimHost, startUs: number): RoutineEvent {
  const rec = sim.rec;
  let attempts = 0;
  const attempt = () => {
    sshAttempt(rec, WEEKLY_SCANNER, rec.random.pickSkewed(SCANNED_USERS));
    if (++attempts < SCAN_ATTEMPTS) rec.later(rec.random.logNormal(4 * SECOND, 0.5), attempt);
  };
  sim.at(startUs, host, attempt);
  return {
    kind: 'scanner-burst',
    host: host.name,
    unit: 'ssh.service',
    startUs,
    endUs: startUs + 50 * MINUTE,
    description: `the weekly password-guessing sweep from ${WEEKLY_SCANNER}: about ${SCAN_ATTEMPTS} failed logins`,
  };
}

function reboot(sim: Simulator, host: SimHost, startUs: number): RoutineEvent {
  const downUs = sim.planning.int(45, 120) * SECOND;
  sim.at(startUs, host, () => {
    shutdown(sim.rec);
    host.down = true;
    sim.atEvenIfDown(sim.rec.clockUs + downUs, host, () => {
      host.down = false;
      boot(sim.rec, startUs);
    });
  });
  return {
    kind: 'reboot',
    host: host.name,
    unit: 'init.scope',
    startUs,
    endUs: startUs + downUs + MINUTE,
    description: 'a reboot after kernel updates: every unit stops, then the whole boot sequence',
  };
}

/** Plans and schedules the planned events of the whole fleet, keeping clear of `busy` spans. */
export function schedulePlannedEvents(sim: Simulator, busy: readonly Busy[]): RoutineEvent[] {
  const plan = sim.planning;
  const events: RoutineEvent[] = [];
  const firstDayUs = Math.floor(sim.startUs / DAY) * DAY;
  for (let dayUs = firstDayUs; dayUs < sim.endUs; dayUs += DAY) {
    if (weekday(dayUs) !== 0) continue;
    const sweepUs = dayUs + 6 * HOUR + plan.int(0, 10) * MINUTE;
    sim.hosts
      .filter((host) => PUBLIC_ROLES.includes(host.role))
      .forEach((host, order) => events.push(scannerBurst(sim, host, sweepUs + order * 20 * SECOND)));
  }
  for (const host of sim.hosts) {
    if (host.role !== 'web' && host.role !== 'worker') continue;
    for (let dayUs = firstDayUs; dayUs < sim.endUs; dayUs += DAY) {
      if (isWeekend(dayUs)) continue;
      for (let deploys = plan.int(0, 2); deploys > 0; deploys--) {
        const atUs = dayUs + 10 * HOUR + plan.int(0, 7 * 60) * MINUTE;
        if (atUs < sim.startUs || clashes(busy, host, atUs - 90 * MINUTE, atUs + 90 * MINUTE)) continue;
        restartMainService(sim, host, atUs, deployer(sim));
        events.push({
          kind: 'deploy',
          host: host.name,
          unit: MAIN_SERVICE[host.role].unit,
          startUs: atUs,
          endUs: atUs + 3 * MINUTE,
          description: `the CI pipeline deploys a release: ${MAIN_SERVICE[host.role].unit} restarts`,
        });
      }
    }
  }
  sim.hosts.forEach((host, index) => {
    let dayUs = firstDayUs + (1 + 3 * index) * DAY;
    while (isWeekend(dayUs)) dayUs += DAY;
    const atUs = dayUs + 5 * HOUR + 2 * index * MINUTE + plan.int(0, 20) * MINUTE;
    if (atUs >= sim.endUs || clashes(busy, host, atUs - 2 * HOUR, atUs + 2 * HOUR)) return;
    events.push(reboot(sim, host, atUs));
  });
  return events.sort((a, b) => a.startUs - b.startUs);
}
