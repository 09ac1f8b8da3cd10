/**
 * The clock-driven normal noise of every host: systemd timers, cron, postgres checkpoints, nightly
 * backups and logrotate, the disk usage report, and the health check that fails every hour. All of
 * it recurs on the clock, so a detector that learns the week must stay quiet about it.
 */
import type { Member, Role, TimerUnit } from '../support/corpus/catalog.ts';
import { DAY, HOUR, MINUTE, SECOND, TEAM, TIMERS } from '../support/corpus/catalog.ts';
import { firewallAllowOut } from '../support/corpus/units/kernel.ts';
import type { DiskReading } from '../support/corpus/units/maintenance.ts';
import { diskUsage, failingHealthCheck, resticBackup } from '../support/corpus/units/maintenance.ts';
import { pgbackrestBackup, postgresCheckpoint } from '../support/corpus/units/postgres.ts';
import { cron, runTimer } from '../support/corpus/units/system.ts';
import { weekday } from './seasonality.ts';
import type { Disk, SimHost, Simulator } from './simulator.ts';

/** Thursday 1970-01-01 + 4 days: timers that fire weekly count from a Monday. */
const MONDAY = 4 * DAY;
const SUNDAY = 3 * DAY;
const POSTGRES = 'postgresql@15-main.service';
const POSTGRES_USER: Member = { name: 'postgres', uid: 106 };
const BACKUP_HOST = '10.0.9.5';
const DEBIAN_MIRRORS = ['151.101.2.132', '151.101.66.132', '151.101.130.132'];

function timer(unit: string): TimerUnit {
  const found = TIMERS.find((candidate) => candidate.unit === unit);
  if (found === undefined) throw new Error(`no timer ${unit}`);
  return found;
}

interface DiskShape {
  mount: string;
  sizeGiB: number;
  /** The range its usage after the nightly clean-up is drawn from. */
  usage: [number, number];
}

const SYSTEM_DISK: DiskShape = { mount: '/', sizeGiB: 40, usage: [28, 55] };

const DISKS: Record<Role, DiskShape[]> = {
  web: [SYSTEM_DISK],
  db: [SYSTEM_DISK, { mount: '/var/lib/postgresql', sizeGiB: 500, usage: [55, 68] }],
  worker: [SYSTEM_DISK],
  k8s: [SYSTEM_DISK, { mount: '/var/lib/containerd', sizeGiB: 200, usage: [40, 72] }],
  ci: [SYSTEM_DISK, { mount: '/var/lib/docker', sizeGiB: 300, usage: [45, 75] }],
  dev: [{ mount: '/', sizeGiB: 1000, usage: [40, 70] }],
};

export const DATA_DISK = '/var/lib/postgresql';

/** Usage of `disk` at `timeUs`, and the incident it belongs to while it is filling up. */
function reading(disk: Disk, timeUs: number): DiskReading {
  const fill = disk.fill;
  if (fill !== undefined && timeUs >= fill.fromUs && timeUs < fill.clearedUs) {
    const progress = Math.min(1, (timeUs - fill.fromUs) / (fill.fullUs - fill.fromUs));
    const percent = Math.floor(disk.basePercent + (100 - disk.basePercent) * progress);
    return { mount: disk.mount, sizeGiB: disk.sizeGiB, percent, tag: fill.tag };
  }
  const creep = (timeUs % DAY) / DAY;
  return { mount: disk.mount, sizeGiB: disk.sizeGiB, percent: Math.floor(disk.basePercent + creep) };
}

export function scheduleHousekeeping(sim: Simulator, host: SimHost): void {
  const plan = sim.planning;
  const rec = sim.rec;
  const role = host.role;
  host.disks = DISKS[role].map(({ mount, sizeGiB, usage }) => ({
    mount,
    sizeGiB,
    basePercent: plan.int(...usage),
  }));

  sim.every(host, 10 * MINUTE, 0, 2 * SECOND, () => runTimer(rec, timer('sysstat-collect.service')));
  sim.every(host, DAY, plan.int(0, 59) * MINUTE, 30 * SECOND, () =>
    runTimer(rec, timer('logrotate.service')),
  );
  sim.every(host, DAY, plan.int(0, 180) * MINUTE, 30 * SECOND, () => runTimer(rec, timer('man-db.service')));
  sim.every(host, DAY, plan.int(0, 23 * 60) * MINUTE, MINUTE, () =>
    runTimer(rec, timer('systemd-tmpfiles-clean.service')),
  );
  const apt = () => {
    runTimer(rec, timer('apt-daily.service'));
    if (role === 'db') {
      for (const mirror of DEBIAN_MIRRORS.slice(0, rec.random.int(1, 3)))
        firewallAllowOut(rec, host.address, mirror, 80);
    }
  };
  sim.every(host, 12 * HOUR, 6 * HOUR, HOUR, apt);
  sim.every(host, 7 * DAY, SUNDAY + 3 * HOUR + 10 * MINUTE, MINUTE, () =>
    runTimer(rec, timer('e2scrub_all.service')),
  );
  sim.every(host, 7 * DAY, MONDAY, 100 * MINUTE, () => runTimer(rec, timer('fstrim.service')));

  sim.every(host, HOUR, 17 * MINUTE, SECOND, () =>
    cron(rec, TEAM[0], 'root', '   cd / && run-parts --report /etc/cron.hourly'),
  );
  sim.every(host, DAY, 6 * HOUR + 25 * MINUTE, SECOND, () =>
    cron(
      rec,
      TEAM[0],
      'root',
      'test -x /usr/sbin/anacron || { cd / && run-parts --report /etc/cron.daily; }',
    ),
  );

  sim.every(host, DAY, HOUR + plan.int(0, 40) * MINUTE, 2 * MINUTE, () => {
    if (role === 'db') firewallAllowOut(rec, host.address, BACKUP_HOST, 8000);
    resticBackup(rec);
  });
  sim.every(host, 30 * MINUTE, 5 * MINUTE, 5 * SECOND, () =>
    diskUsage(
      rec,
      host.disks.map((disk) => reading(disk, rec.clockUs)),
    ),
  );

  switch (role) {
    case 'web':
      sim.every(host, 12 * HOUR, 0, 12 * HOUR, () => runTimer(rec, timer('certbot.service')));
      sim.every(host, 30 * MINUTE, 9 * MINUTE, 2 * SECOND, () =>
        runTimer(rec, timer('phpsessionclean.service')),
      );
      break;
    case 'db':
      sim.every(host, 5 * MINUTE, plan.int(0, 299) * SECOND, 0, () => {
        if (!sim.isPaused(host, POSTGRES, rec.clockUs)) postgresCheckpoint(rec);
      });
      sim.every(host, DAY, 2 * HOUR, SECOND, () => {
        if (sim.isPaused(host, POSTGRES, rec.clockUs)) return;
        cron(rec, POSTGRES_USER, 'postgres', '/usr/local/bin/pg-backup');
        pgbackrestBackup(rec, weekday(rec.clockUs) === 6 ? 'full' : 'diff');
      });
      break;
  }
  if (role === 'web' || role === 'worker') {
    sim.every(host, 5 * MINUTE, 0, SECOND, () =>
      cron(rec, TEAM[2], 'deploy', '/opt/shop/bin/refresh-cache >/dev/null 2>&1'),
    );
    sim.every(host, HOUR, plan.int(0, 59) * MINUTE, 20 * SECOND, () => failingHealthCheck(rec));
  }
}
