/**
 * What each incident does to its host. Every entry an incident consists of is built while the
 * recorder's tag is the incident's id; what leads up to it or fixes it (the deploy that ships a bad
 * release, on-call restarting a service) is ordinary work and is not tagged.
 */
import type { Member } from '../support/corpus/catalog.ts';
import { MINUTE, SECOND, VICTIMS } from '../support/corpus/catalog.ts';
import type { Recorder } from '../support/corpus/recorder.ts';
import { billingCurrencyError, billingStartupCrash } from '../support/corpus/units/billing.ts';
import { ROLE_SERVICES, serviceStarted } from '../support/corpus/units/boot.ts';
import { firewallAllowOut, oomKill } from '../support/corpus/units/kernel.ts';
import { postgresDiskFull, postgresStartup } from '../support/corpus/units/postgres.ts';
import { sshAttempt, sshSession } from '../support/corpus/units/ssh.ts';
import {
  countRestart,
  restartService,
  scheduledRestart,
  serviceFailed,
  systemd,
} from '../support/corpus/units/system.ts';
import { ordersApiCheckoutError, ordersApiStartupCrash } from '../support/corpus/units/web.ts';
import { deployer, onCall, restartMainService } from './events.ts';
import { MAIN_SERVICE } from './roster.ts';
import { DATA_DISK } from './routine.ts';
import type { SimHost, Simulator } from './simulator.ts';

/** Where and when an incident happens, and the tag its entries carry. */
export interface Placement {
  sim: Simulator;
  host: SimHost;
  startUs: number;
  durationUs: number;
  tag: string;
}

/** What an injected incident turned out to be, for its label. */
export interface Outcome {
  unit: string;
  endUs: number;
  description: string;
}

/** Documentation addresses (RFC 5737): an attacker nobody in the fleet has ever talked to. */
const ATTACKER = '203.0.113.77';
const INTRUDER = '203.0.113.45';
const ROOT: Member = { name: 'root', uid: 0 };

function clock(us: number): string {
  return new Date(us / 1000).toISOString().slice(11, 16);
}

function minutes(us: number): number {
  return Math.round(us / MINUTE);
}

/** Starts `run` at `startUs` with the incident's tag; later work it schedules keeps the tag. */
function tagged(placement: Placement, atUs: number, run: (rec: Recorder) => void): void {
  const rec = placement.sim.rec;
  placement.sim.at(atUs, placement.host, () => {
    rec.tag = placement.tag;
    run(rec);
  });
}

/** Calls `run` at random moments (`perSecond` on average) from `startUs` until `endUs`. */
function poisson(placement: Placement, endUs: number, perSecond: number, run: (rec: Recorder) => void): void {
  const next = (rec: Recorder) => {
    if (rec.clockUs >= endUs) return;
    run(rec);
    rec.later(rec.random.exponential(SECOND / perSecond), () => next(rec));
  };
  tagged(placement, placement.startUs, next);
}

export function outboundConnection(placement: Placement): Outcome {
  const { host, startUs, durationUs } = placement;
  tagged(placement, startUs, (rec) => {
    firewallAllowOut(rec, host.address, ATTACKER, 4444);
    rec.later(durationUs, () => firewallAllowOut(rec, host.address, ATTACKER, 4444));
  });
  return {
    unit: 'kernel',
    endUs: startUs + durationUs + SECOND,
    description: `at ${clock(startUs)} something on ${host.name} connects out to ${ATTACKER}:4444, an address the fleet never talks to (ufw logs the SYN), and again ${minutes(durationUs)} min later`,
  };
}

export function rootLogin(placement: Placement): Outcome {
  const { startUs, durationUs } = placement;
  tagged(placement, startUs, (rec) => {
    sshAttempt(rec, INTRUDER, 'root');
    rec.later(25 * SECOND, () => sshAttempt(rec, INTRUDER, 'root'));
    rec.later(50 * SECOND, () =>
      sshSession(rec, ROOT, INTRUDER, {
        method: 'password',
        lengthUs: durationUs - 50 * SECOND,
        sudoCommands: 0,
      }),
    );
  });
  return {
    unit: 'ssh.service',
    endUs: startUs + durationUs + 30 * SECOND,
    description: `at ${clock(startUs)} root logs in by password from ${INTRUDER}, never seen before (after two failed tries), and stays ${minutes(durationUs)} min`,
  };
}

export function crashLoop(placement: Placement): Outcome {
  const { sim, host, startUs, durationUs } = placement;
  const { unit, description } = MAIN_SERVICE[host.role];
  const endUs = startUs + durationUs;
  const rec = sim.rec;
  sim.pause(host, unit, startUs - SECOND, endUs + MINUTE);
  const release = deployer(sim);
  sim.at(startUs - 15 * SECOND, host, () =>
    sshSession(rec, release.member, release.address, {
      method: 'publickey',
      lengthUs: MINUTE,
      sudoCommands: 0,
    }),
  );
  sim.at(startUs - SECOND, host, () => restartService(rec, unit, description));
  const crash = (rec: Recorder) => {
    if (host.role === 'web') ordersApiStartupCrash(rec);
    else billingStartupCrash(rec);
    const restarts = countRestart(rec, unit);
    serviceFailed(rec, unit);
    rec.host.invocations.delete(unit);
    rec.later(5 * SECOND, () => {
      scheduledRestart(rec, unit, restarts, description);
      if (rec.clockUs < endUs) rec.later(rec.random.int(600, 2500) * 1000, () => crash(rec));
    });
  };
  tagged(placement, startUs, crash);
  restartMainService(sim, host, endUs + 10 * SECOND, onCall());
  return {
    unit,
    endUs: endUs + 30 * SECOND,
    description: `a release of ${unit} dies at start-up (${host.role === 'web' ? 'a missing module' : 'a missing setting'}); systemd restarts it every few seconds for ${minutes(durationUs)} min until on-call rolls back`,
  };
}

export function silence(placement: Placement): Outcome {
  const { sim, host, startUs, durationUs } = placement;
  const { unit } = MAIN_SERVICE[host.role];
  sim.pause(host, unit, startUs, startUs + durationUs);
  restartMainService(sim, host, startUs + durationUs, onCall());
  return {
    unit,
    endUs: startUs + durationUs,
    description: `${unit} hangs and logs nothing for ${(durationUs / (60 * MINUTE)).toFixed(1)} h while ${host.name} stays up, until on-call restarts it`,
  };
}

export function newErrorBurst(placement: Placement): Outcome {
  const { sim, host, startUs, durationUs } = placement;
  const { unit } = MAIN_SERVICE[host.role];
  const endUs = startUs + durationUs;
  restartMainService(sim, host, startUs - 90 * SECOND, deployer(sim));
  const web = host.role === 'web';
  poisson(
    placement,
    endUs,
    (web ? 0.6 : 0.3) * sim.rate,
    web ? ordersApiCheckoutError : billingCurrencyError,
  );
  restartMainService(sim, host, endUs, onCall());
  return {
    unit,
    endUs,
    description: web
      ? `a release breaks checkout: "TypeError: Cannot read properties of undefined (reading 'currency')", never seen before, on every checkout for ${minutes(durationUs)} min until the rollback`
      : `a release rejects invoices in some currencies: "ValueError: unsupported currency", never seen before, for ${minutes(durationUs)} min until the rollback`,
  };
}

export function oomKilled(placement: Placement): Outcome {
  const { host, startUs } = placement;
  const victim = VICTIMS[host.role];
  const unit = victim.unit;
  const description = ROLE_SERVICES[host.role].find((service) => service.unit === unit)?.description ?? unit;
  tagged(placement, startUs, (rec) => {
    oomKill(rec, victim, rec.newPid(rec.host));
    rec.later(5 * SECOND, () => {
      rec.host.services.delete(unit);
      rec.host.invocations.delete(unit);
      const restarts = countRestart(rec, unit);
      scheduledRestart(rec, unit, restarts, description);
      serviceStarted(rec, unit);
    });
  });
  return {
    unit: victim.unit,
    endUs: startUs + 10 * SECOND,
    description: `the kernel's OOM killer kills ${victim.comm} of ${victim.unit} at ${clock(startUs)}; systemd restarts it`,
  };
}

export function diskFill(placement: Placement): Outcome {
  const { sim, host, startUs, durationUs, tag } = placement;
  const unit = MAIN_SERVICE.db.unit;
  const disk = host.disks.find((candidate) => candidate.mount === DATA_DISK);
  if (disk === undefined) throw new Error(`${host.name} has no ${DATA_DISK} to fill`);
  const fullUs = startUs + durationUs;
  const clearedUs = fullUs + 45 * MINUTE;
  disk.fill = { fromUs: startUs, fullUs, clearedUs, tag };
  sim.pause(host, unit, fullUs, clearedUs + 10 * SECOND);
  tagged({ ...placement, startUs: fullUs }, fullUs, (rec) => {
    postgresDiskFull(rec, fullUs - 10 * SECOND);
    serviceFailed(rec, unit);
  });
  const rec = sim.rec;
  const fixer = onCall();
  sim.at(clearedUs - 3 * MINUTE, host, () =>
    sshSession(rec, fixer.member, fixer.address, {
      method: 'publickey',
      lengthUs: 6 * MINUTE,
      sudoCommands: 2,
    }),
  );
  sim.at(clearedUs, host, () => {
    rec.host.services.delete(unit);
    rec.host.invocations.delete(unit);
    systemd(rec, 'jobStart', unit, `Starting ${MAIN_SERVICE.db.description}...`);
    rec.later(2 * SECOND, () => {
      postgresStartup(rec, fullUs, false);
      systemd(rec, 'jobDone', unit, `Started ${MAIN_SERVICE.db.description}.`);
    });
  });
  return {
    unit,
    endUs: clearedUs,
    description: `${DATA_DISK} on ${host.name} fills from ${disk.basePercent}% to 100% over ${(durationUs / (24 * 60 * MINUTE)).toFixed(1)} days (disk-usage warns from 85%), then postgres fails with "No space left on device" until on-call frees space ${minutes(clearedUs - fullUs)} min later`,
  };
}
