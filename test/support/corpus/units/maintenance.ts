/** The team's own housekeeping units: a health check, a disk usage report, nightly restic backups. */
import { SECOND } from '../catalog.ts';
import type { Recorder, Source } from '../recorder.ts';
import { pad2 } from '../time-text.ts';
import { systemd } from './system.ts';

function script(rec: Recorder, unit: string, identifier: string, cmdline: string): Source {
  return rec.transient(unit, 'stdout', identifier, {
    uid: 0,
    gid: 0,
    comm: identifier.slice(0, 15),
    exe: '/usr/bin/bash',
    cmdline,
  });
}

/**
 * The payments sandbox check that has failed every run for months: curl times out and the unit fails,
 * at PRIORITY 3, hour after hour. Everybody knows; nobody fixes it.
 */
export function failingHealthCheck(rec: Recorder): void {
  const unit = 'payments-healthcheck.service';
  const description = 'Payments sandbox health check';
  systemd(rec, 'jobStart', unit, `Starting ${description}...`);
  const check = script(rec, unit, 'payments-healthcheck', '/bin/bash /usr/local/bin/payments-healthcheck');
  rec.later(5 * SECOND + rec.random.int(1000, 90_000), () => {
    rec.entry(
      check,
      6,
      `curl: (28) Failed to connect to sandbox.payments.example port 443 after ${rec.random.int(5000, 5004)} ms: Timeout was reached`,
    );
    rec.entry(check, 6, 'CHECK FAILED: payments sandbox unreachable');
    systemd(rec, 'exited', unit, `${unit}: Main process exited, code=exited, status=28/n/a`, 5, {
      EXIT_CODE: 'exited',
      EXIT_STATUS: '28',
    });
    systemd(rec, 'failure', unit, `${unit}: Failed with result 'exit-code'.`, 4, {
      UNIT_RESULT: 'exit-code',
    });
    systemd(rec, 'jobDone', unit, `Failed to start ${description}.`, 3, { JOB_RESULT: 'failed' });
  });
}

export interface DiskReading {
  mount: string;
  sizeGiB: number;
  percent: number;
  /** Tags this reading's line (and only it): a disk that fills up is an incident, the report is not. */
  tag?: string;
}

/** The disk usage report: one line per file system, a warning at 85% and above, critical from 95%. */
export function diskUsage(rec: Recorder, readings: readonly DiskReading[]): void {
  const unit = 'disk-usage.service';
  const description = 'Report disk usage';
  systemd(rec, 'jobStart', unit, `Starting ${description}...`);
  const report = script(rec, unit, 'disk-usage', '/bin/bash /usr/local/bin/disk-usage --warn 85 --crit 95');
  const reportTag = rec.tag;
  for (const { mount, sizeGiB, percent, tag } of readings) {
    rec.tag = tag ?? reportTag;
    const used = ((sizeGiB * percent) / 100).toFixed(1);
    if (percent >= 95)
      rec.entry(
        report,
        2,
        `CRITICAL: ${mount} usage at ${percent}% (${used}G of ${sizeGiB}G), threshold 95%`,
      );
    else if (percent >= 85)
      rec.entry(report, 4, `WARNING: ${mount} usage at ${percent}% (${used}G of ${sizeGiB}G), threshold 85%`);
    else rec.entry(report, 6, `${mount} usage at ${percent}% (${used}G of ${sizeGiB}G)`);
  }
  rec.tag = reportTag;
  systemd(rec, 'success', unit, `${unit}: Deactivated successfully.`);
  systemd(rec, 'jobDone', unit, `Finished ${description}.`);
}

/** The nightly restic backup of /etc and /home, to the backup host. */
export function resticBackup(rec: Recorder): void {
  const random = rec.random;
  const unit = 'restic-backup.service';
  const description = 'Nightly restic backup';
  systemd(rec, 'jobStart', unit, `Starting ${description}...`);
  const restic = rec.transient(unit, 'stdout', 'restic', {
    uid: 0,
    gid: 0,
    comm: 'restic',
    exe: '/usr/bin/restic',
    cmdline: 'restic backup --one-file-system --exclude-caches /etc /home /var/backups',
  });
  rec.entry(restic, 6, `using parent snapshot ${random.hex(8)}`);
  const seconds = Math.round(random.logNormal(40, 0.5));
  rec.later(seconds * SECOND, () => {
    const files = random.int(20_000, 90_000);
    rec.entry(
      restic,
      6,
      `Files:         ${random.int(0, 40)} new,   ${random.int(5, 400)} changed, ${files} unmodified`,
    );
    rec.entry(
      restic,
      6,
      `Dirs:          ${random.int(0, 5)} new,    ${random.int(5, 90)} changed, ${random.int(2000, 9000)} unmodified`,
    );
    rec.entry(restic, 6, `Added to the repository: ${random.logNormal(30, 1).toFixed(3)} MiB`);
    rec.entry(
      restic,
      6,
      `processed ${files + random.int(5, 400)} files, ${random.logNormal(6, 0.4).toFixed(3)} GiB in ${Math.floor(seconds / 60)}:${pad2(seconds % 60)}`,
    );
    rec.entry(restic, 6, `snapshot ${random.hex(8)} saved`);
    systemd(rec, 'success', unit, `${unit}: Deactivated successfully.`);
    systemd(rec, 'jobDone', unit, `Finished ${description}.`);
    systemd(rec, 'resources', unit, `${unit}: Consumed ${rec.cpu(2000, 30_000)} CPU time.`);
  });
}
