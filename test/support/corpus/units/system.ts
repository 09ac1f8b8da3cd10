/** systemd's own messages (PID 1 and users' managers), timers, cron, and the small base daemons every host runs. */
import type { Member, SdMessage, TimerUnit } from '../catalog.ts';
import { SD } from '../catalog.ts';
import type { CorpusEntry, Recorder, Source } from '../recorder.ts';

export function pid1(rec: Recorder): Source {
  return rec.source('init.scope', () => ({
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

export function userManager(rec: Recorder, member: Member): Source {
  const host = rec.host;
  const key = `user@${member.uid}.service#manager`;
  return rec.source(key, () => ({
    transport: 'journal',
    identifier: 'systemd',
    unit: `user@${member.uid}.service`,
    slice: `user-${member.uid}.slice`,
    cgroup: `/user.slice/user-${member.uid}.slice/user@${member.uid}.service/init.scope`,
    userUnit: 'init.scope',
    process: {
      pid: rec.newPid(host),
      uid: member.uid,
      gid: member.uid,
      comm: 'systemd',
      exe: '/usr/lib/systemd/systemd',
      cmdline: '/lib/systemd/systemd --user',
    },
  }));
}

/** A message of systemd itself (PID 1, or a user's manager), with its code location and catalog id. */
export function systemd(
  rec: Recorder,
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
  fields.INVOCATION_ID = rec.invocation(unit);
  if (kind === 'jobStart' || kind === 'jobStop') {
    fields.JOB_ID = String(++rec.host.nextJob);
    fields.JOB_TYPE = kind === 'jobStart' ? 'start' : 'stop';
  }
  if (kind === 'jobDone' || kind === 'jobStopped' || kind === 'target') {
    fields.JOB_ID = String(rec.host.nextJob);
    fields.JOB_TYPE = kind === 'jobStopped' ? 'stop' : 'start';
    fields.JOB_RESULT = 'done';
  }
  rec.entry(manager ?? pid1(rec), priority, message, Object.assign(fields, extra));
}

/** The unit's main process exited with status 1, and systemd marked the unit failed. */
export function serviceFailed(rec: Recorder, unit: string): void {
  systemd(rec, 'exited', unit, `${unit}: Main process exited, code=exited, status=1/FAILURE`, 5, {
    EXIT_CODE: 'exited',
    EXIT_STATUS: '1',
  });
  systemd(rec, 'failure', unit, `${unit}: Failed with result 'exit-code'.`, 4, { UNIT_RESULT: 'exit-code' });
}

/** One more restart of the unit on its host: the number systemd's restart counter shows. */
export function countRestart(rec: Recorder, unit: string): number {
  const restarts = (rec.host.restarts.get(unit) ?? 0) + 1;
  rec.host.restarts.set(unit, restarts);
  return restarts;
}

/** systemd's `Restart=` at work: the restart job, then the unit stopped and started again. */
export function scheduledRestart(rec: Recorder, unit: string, restarts: number, description: string): void {
  systemd(rec, 'restart', unit, `${unit}: Scheduled restart job, restart counter is at ${restarts}.`, 6, {
    N_RESTARTS: String(restarts),
  });
  systemd(rec, 'jobStopped', unit, `Stopped ${description}.`);
  systemd(rec, 'jobDone', unit, `Started ${description}.`);
}

export function runTimer(rec: Recorder, timer: TimerUnit): void {
  const random = rec.random;
  systemd(rec, 'jobStart', timer.unit, `Starting ${timer.description}...`);
  const runtime = random.logNormal(timer.cpu[1] * 1000, 0.6);
  rec.later(runtime, () => {
    if (timer.unit === 'logrotate.service') rsyslogHup(rec);
    systemd(rec, 'success', timer.unit, `${timer.unit}: Deactivated successfully.`);
    systemd(rec, 'jobDone', timer.unit, `Finished ${timer.description}.`);
    if (random.chance(0.7)) {
      systemd(rec, 'resources', timer.unit, `${timer.unit}: Consumed ${rec.cpu(...timer.cpu)} CPU time.`);
    }
  });
}

export function restartService(rec: Recorder, unit: string, description: string): void {
  systemd(rec, 'jobStop', unit, `Stopping ${description}...`);
  systemd(rec, 'success', unit, `${unit}: Deactivated successfully.`);
  systemd(rec, 'jobStopped', unit, `Stopped ${description}.`);
  systemd(rec, 'resources', unit, `${unit}: Consumed ${rec.cpu(200, 20_000)} CPU time.`);
  systemd(rec, 'jobStart', unit, `Starting ${description}...`);
  rec.host.services.delete(unit);
  rec.host.invocations.delete(unit);
  rec.host.restarts.delete(unit);
  rec.later(rec.random.int(20_000, 400_000), () => systemd(rec, 'jobDone', unit, `Started ${description}.`));
}

export function cron(rec: Recorder, member: Member, user: string, command: string): void {
  const uid = user === 'root' ? 0 : member.uid;
  const crond = rec.transient(
    'cron.service',
    'syslog',
    'CRON',
    { uid: 0, gid: 0, comm: 'cron', exe: '/usr/sbin/cron', cmdline: '/usr/sbin/CRON -f -P' },
    10,
  );
  rec.entry(crond, 6, `pam_unix(cron:session): session opened for user ${user}(uid=${uid}) by (uid=0)`);
  rec.entry(crond, 6, `(${user}) CMD (${command})`, { SYSLOG_FACILITY: '9' });
  rec.later(rec.random.logNormal(400_000, 1), () => {
    if (rec.random.chance(0.03))
      rec.entry(crond, 6, '(CRON) info (No MTA installed, discarding output)', { SYSLOG_FACILITY: '9' });
    rec.entry(crond, 6, `pam_unix(cron:session): session closed for user ${user}`);
  });
}

export function chrony(rec: Recorder): void {
  const random = rec.random;
  const chronyd = rec.daemon('chrony.service', 'syslog', 'chronyd', {
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
    rec.entry(chronyd, 6, `Selected source ${server()} (${random.int(0, 3)}.debian.pool.ntp.org)`);
  else if (roll < 0.7)
    rec.entry(
      chronyd,
      6,
      `Source ${server()} replaced with ${server()} (${random.int(0, 3)}.debian.pool.ntp.org)`,
    );
  else if (roll < 0.9)
    rec.entry(chronyd, 4, `System clock wrong by ${(random.next() * 2 - 1).toFixed(6)} seconds`);
  else rec.entry(chronyd, 4, "Can't synchronise: no majority");
}

function rsyslogd(rec: Recorder): Source {
  return rec.daemon(
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
}

function rsyslogHup(rec: Recorder): void {
  const rsyslog = rsyslogd(rec);
  rec.entry(
    rsyslog,
    6,
    `[origin software="rsyslogd" swVersion="8.2302.0" x-pid="${rsyslog.pid}" x-info="https://www.rsyslog.com"] rsyslogd was HUPed`,
  );
}

export function systemdNoise(rec: Recorder): void {
  const random = rec.random;
  const roll = random.next();
  if (roll < 0.4) {
    const rsyslog = rsyslogd(rec);
    rec.entry(
      rsyslog,
      6,
      'imjournal: journal files changed, reloading...  [v8.2302.0 try https://www.rsyslog.com/e/0 ]',
    );
  } else if (roll < 0.6) {
    const journald = rec.daemon('systemd-journald.service', 'journal', 'systemd-journald', {
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
    rec.entry(journald, 5, `Suppressed ${random.int(100, 90_000)} messages from ${unit}`, {
      CODE_FILE: 'src/journal/journald-server.c',
      CODE_LINE: '1072',
      CODE_FUNC: 'dispatch_message_real',
      MESSAGE_ID: 'a596d6fe7bfa4994828e72309e95d61e',
      N_DROPPED: String(random.int(100, 90_000)),
    });
  } else {
    const unit = `run-containerd-runc-k8s.io-${random.hex(64)}-runc.${random.hex(6)}.mount`;
    systemd(rec, 'success', unit, `${unit}: Deactivated successfully.`);
  }
}
