/** sshd (scanners and the team's logins), logind sessions, users' systemd managers, sudo. */
import type { Member, SdMessage } from '../catalog.ts';
import { MINUTE, SCANNED_USERS, SECOND, TEAM } from '../catalog.ts';
import type { CorpusEntry, Recorder, Source } from '../recorder.ts';
import { restartService, systemd, userManager } from './system.ts';

function sshdProcess(rec: Recorder): Source {
  return rec.transient(
    'ssh.service',
    'syslog',
    'sshd',
    {
      uid: 0,
      gid: 0,
      comm: 'sshd',
      exe: '/usr/sbin/sshd',
      cmdline: 'sshd: /usr/sbin/sshd -D [listener] 0 of 10-100 startups',
    },
    4,
  );
}

export function sshScan(rec: Recorder): void {
  const random = rec.random;
  const ip = rec.scannerIp();
  const attempts = random.chance(0.3) ? 1 : random.int(2, 40);
  const sameUser = random.chance(0.3) ? 'root' : undefined;
  let delay = 0;
  for (let attempt = 0; attempt < attempts; attempt++) {
    delay += random.logNormal(2.5 * SECOND, 0.8);
    rec.later(delay, () => sshAttempt(rec, ip, sameUser ?? random.pickSkewed(SCANNED_USERS)));
  }
}

export function sshAttempt(rec: Recorder, ip: string, user: string): void {
  const random = rec.random;
  const sshd = sshdProcess(rec);
  const port = random.int(32768, 60999);
  const roll = random.next();
  if (roll < 0.08) {
    rec.entry(sshd, 6, `Connection closed by ${ip} port ${port} [preauth]`);
    return;
  }
  if (roll < 0.12) {
    rec.entry(sshd, 3, 'error: kex_exchange_identification: read: Connection reset by peer');
    rec.entry(sshd, 6, `Connection reset by ${ip} port ${port}`);
    return;
  }
  if (roll < 0.14) {
    rec.entry(sshd, 6, `banner exchange: Connection from ${ip} port ${port}: invalid format`);
    return;
  }
  const invalid = user !== 'root' && random.chance(0.85);
  const who = invalid ? `invalid user ${user}` : user;
  if (invalid) {
    rec.entry(sshd, 6, `Invalid user ${user} from ${ip} port ${port}`);
    rec.entry(sshd, 5, 'pam_unix(sshd:auth): check pass; user unknown', { SYSLOG_FACILITY: '10' });
  }
  rec.entry(
    sshd,
    5,
    `pam_unix(sshd:auth): authentication failure; logname= uid=0 euid=0 tty=ssh ruser= rhost=${ip}${invalid ? '' : `  user=${user}`}`,
    { SYSLOG_FACILITY: '10' },
  );
  rec.later(random.logNormal(2 * SECOND, 0.4), () => {
    rec.entry(sshd, 6, `Failed password for ${who} from ${ip} port ${port} ssh2`);
    if (random.chance(0.6)) {
      rec.entry(sshd, 6, `Received disconnect from ${ip} port ${port}:11: Bye Bye [preauth]`);
      rec.entry(sshd, 6, `Disconnected from ${who} ${ip} port ${port} [preauth]`);
    } else {
      rec.entry(sshd, 6, `Connection closed by ${who} ${ip} port ${port} [preauth]`);
    }
  });
}

/** A team member logs in from the office network, works a while (maybe with sudo) and logs out. */
export function sshLogin(rec: Recorder): void {
  const member = rec.random.pickSkewed(TEAM);
  sshSession(rec, member, rec.internalIp());
}

/** What a caller may fix about a session instead of leaving it to chance. */
export interface SessionChoices {
  method: 'publickey' | 'password';
  lengthUs: number;
  sudoCommands: number;
}

/** An accepted ssh login and its whole session: logind, the user's manager, sudo, the logout. */
export function sshSession(rec: Recorder, member: Member, ip: string, choices?: SessionChoices): void {
  const random = rec.random;
  const host = rec.host;
  const port = random.int(32768, 60999);
  const sshd = sshdProcess(rec);
  const session = host.nextSession++;
  const method = choices?.method ?? (random.chance(0.8) ? 'publickey' : 'password');
  const key =
    method === 'publickey'
      ? `publickey for ${member.name} from ${ip} port ${port} ssh2: ED25519 SHA256:${Buffer.from(random.hex(64), 'hex').toString('base64').slice(0, 43)}`
      : `password for ${member.name} from ${ip} port ${port} ssh2`;
  rec.entry(sshd, 6, `Accepted ${key}`);
  rec.entry(
    sshd,
    6,
    `pam_unix(sshd:session): session opened for user ${member.name}(uid=${member.uid}) by (uid=0)`,
    {
      SYSLOG_FACILITY: '10',
    },
  );
  logind(
    rec,
    `New session ${session} of user ${member.name}.`,
    ['src/login/logind-session.c', '778', 'session_start', '8d45620c1a4348dbb17410da57c60c66'],
    { SESSION_ID: String(session), USER_ID: member.name, LEADER: String(sshd.pid) },
  );
  const open = host.sessions.get(member.name) ?? 0;
  host.sessions.set(member.name, open + 1);
  if (open === 0) userManagerStart(rec, member);
  systemd(rec, 'jobDone', `session-${session}.scope`, `Started Session ${session} of User ${member.name}.`);
  const lengthUs = choices?.lengthUs ?? random.logNormal(4 * MINUTE, 1.2);
  for (let remaining = choices?.sudoCommands ?? random.int(0, 3); remaining > 0; remaining--)
    rec.later(random.next() * lengthUs, () => sudo(rec, member));
  rec.later(lengthUs, () => {
    rec.entry(sshd, 6, `Received disconnect from ${ip} port ${port}:11: disconnected by user`);
    rec.entry(sshd, 6, `Disconnected from user ${member.name} ${ip} port ${port}`);
    rec.entry(sshd, 6, `pam_unix(sshd:session): session closed for user ${member.name}`, {
      SYSLOG_FACILITY: '10',
    });
    systemd(
      rec,
      'success',
      `session-${session}.scope`,
      `session-${session}.scope: Deactivated successfully.`,
    );
    logind(rec, `Session ${session} logged out. Waiting for processes to exit.`);
    logind(rec, `Removed session ${session}.`, [
      'src/login/logind-session.c',
      '909',
      'session_stop',
      '3354939424b4456d9802ca8333ed424a',
    ]);
    const left = (host.sessions.get(member.name) ?? 1) - 1;
    host.sessions.set(member.name, left);
    if (left === 0)
      rec.later(10 * SECOND, () =>
        host.sessions.get(member.name) === 0 ? userManagerStop(rec, member) : undefined,
      );
  });
}

function logind(
  rec: Recorder,
  message: string,
  code?: readonly [string, string, string, string],
  extra?: CorpusEntry,
): void {
  const source = rec.daemon(
    'systemd-logind.service',
    'journal',
    'systemd-logind',
    {
      uid: 0,
      gid: 0,
      comm: 'systemd-logind',
      exe: '/usr/lib/systemd/systemd-logind',
      cmdline: '/lib/systemd/systemd-logind',
    },
    4,
  );
  const [file, line, func, messageId] = code ?? ['src/login/logind-session.c', '897', 'session_finalize', ''];
  const fields: CorpusEntry = { CODE_FILE: file, CODE_LINE: line, CODE_FUNC: func };
  if (messageId !== '') fields.MESSAGE_ID = messageId;
  rec.entry(source, 6, message, Object.assign(fields, extra));
}

function userManagerStart(rec: Recorder, member: Member): void {
  const uid = member.uid;
  const manager = userManager(rec, member);
  systemd(rec, 'jobDone', `user-${uid}.slice`, `Created slice User Slice of UID ${uid}.`);
  systemd(
    rec,
    'jobStart',
    `user-runtime-dir@${uid}.service`,
    `Starting User Runtime Directory /run/user/${uid}...`,
  );
  systemd(
    rec,
    'jobDone',
    `user-runtime-dir@${uid}.service`,
    `Finished User Runtime Directory /run/user/${uid}.`,
  );
  systemd(rec, 'jobStart', `user@${uid}.service`, `Starting User Manager for UID ${uid}...`);
  rec.later(rec.random.int(30_000, 200_000), () => {
    const user = (kind: SdMessage, unit: string, message: string) =>
      systemd(rec, kind, unit, message, 6, {}, manager);
    user('target', 'default.target', 'Queued start job for default target Main User Target.');
    user('target', 'app.slice', 'Created slice User Application Slice.');
    user('target', 'paths.target', 'Reached target Paths.');
    user('target', 'timers.target', 'Reached target Timers.');
    user('jobStart', 'dbus.socket', 'Starting D-Bus User Message Bus Socket...');
    user('jobDone', 'dbus.socket', 'Listening on D-Bus User Message Bus Socket.');
    user('target', 'sockets.target', 'Reached target Sockets.');
    user('target', 'basic.target', 'Reached target Basic System.');
    user('target', 'default.target', 'Reached target Main User Target.');
    rec.entry(manager, 6, `Startup finished in ${rec.random.int(40, 400)}ms.`, {
      CODE_FILE: 'src/core/manager.c',
      CODE_LINE: '3533',
      CODE_FUNC: 'manager_notify_finished',
      MESSAGE_ID: 'eed00a68ffd84e31882105fd973abdd1',
      USERSPACE_USEC: String(rec.random.int(40_000, 400_000)),
    });
    systemd(rec, 'jobDone', `user@${uid}.service`, `Started User Manager for UID ${uid}.`);
  });
}

function userManagerStop(rec: Recorder, member: Member): void {
  const uid = member.uid;
  const manager = userManager(rec, member);
  systemd(rec, 'jobStop', `user@${uid}.service`, `Stopping User Manager for UID ${uid}...`);
  const user = (kind: SdMessage, unit: string, message: string) =>
    systemd(rec, kind, unit, message, 6, {}, manager);
  user('target', 'exit.target', 'Activating special unit Exit the Session...');
  user('jobStopped', 'default.target', 'Stopped target Main User Target.');
  user('jobStopped', 'basic.target', 'Stopped target Basic System.');
  user('jobStopped', 'paths.target', 'Stopped target Paths.');
  user('jobStopped', 'sockets.target', 'Stopped target Sockets.');
  user('jobStopped', 'timers.target', 'Stopped target Timers.');
  user('success', 'dbus.socket', 'dbus.socket: Deactivated successfully.');
  user('jobStopped', 'dbus.socket', 'Closed D-Bus User Message Bus Socket.');
  user('jobStopped', 'app.slice', 'Removed slice User Application Slice.');
  user('target', 'shutdown.target', 'Reached target Shutdown.');
  user('target', 'systemd-exit.service', 'Finished Exit the Session.');
  user('target', 'exit.target', 'Reached target Exit the Session.');
  rec.host.services.delete(`user@${uid}.service#manager`);
  rec.host.invocations.delete(`user@${uid}.service`);
  systemd(rec, 'success', `user@${uid}.service`, `user@${uid}.service: Deactivated successfully.`);
  systemd(rec, 'jobStopped', `user@${uid}.service`, `Stopped User Manager for UID ${uid}.`);
  systemd(
    rec,
    'jobStop',
    `user-runtime-dir@${uid}.service`,
    `Stopping User Runtime Directory /run/user/${uid}...`,
  );
  systemd(rec, 'success', `run-user-${uid}.mount`, `run-user-${uid}.mount: Deactivated successfully.`);
  systemd(
    rec,
    'success',
    `user-runtime-dir@${uid}.service`,
    `user-runtime-dir@${uid}.service: Deactivated successfully.`,
  );
  systemd(
    rec,
    'jobStopped',
    `user-runtime-dir@${uid}.service`,
    `Stopped User Runtime Directory /run/user/${uid}.`,
  );
  systemd(rec, 'jobStopped', `user-${uid}.slice`, `Removed slice User Slice of UID ${uid}.`);
}

export function sudo(rec: Recorder, member: Member): void {
  const random = rec.random;
  const command = random.pickSkewed([
    '/usr/bin/systemctl restart nginx',
    '/usr/bin/journalctl -u orders-api -n 200',
    '/usr/bin/apt-get update',
    '/usr/bin/systemctl status postgresql@15-main',
    '/usr/bin/tail -f /var/log/nginx/error.log',
    '/usr/bin/docker ps -a',
    '/usr/bin/kubectl get pods -A',
    '/usr/sbin/ufw status',
    `/usr/bin/vim /etc/nginx/sites-available/shop.conf`,
    '/usr/bin/du -sh /var/lib/postgresql',
  ]);
  const tty = `pts/${random.int(0, 4)}`;
  const sudo = rec.transient(
    `session-${rec.host.nextSession - 1}.scope`,
    'syslog',
    'sudo',
    { uid: member.uid, gid: member.uid, comm: 'sudo', exe: '/usr/bin/sudo', cmdline: `sudo ${command}` },
    10,
    `/user.slice/user-${member.uid}.slice/session-${rec.host.nextSession - 1}.scope`,
  );
  const what = `TTY=${tty} ; PWD=/home/${member.name} ; USER=root ; COMMAND=${command}`;
  if (random.chance(0.04)) {
    rec.entry(
      sudo,
      5,
      `pam_unix(sudo:auth): authentication failure; logname=${member.name} uid=${member.uid} euid=0 tty=/dev/${tty} ruser=${member.name} rhost=  user=${member.name}`,
    );
    rec.entry(sudo, 1, `${member.name.padStart(8)} : 1 incorrect password attempt ; ${what}`);
    return;
  }
  rec.entry(sudo, 5, `${member.name.padStart(8)} : ${what}`);
  rec.entry(
    sudo,
    6,
    `pam_unix(sudo:session): session opened for user root(uid=0) by ${member.name}(uid=${member.uid})`,
  );
  rec.later(random.logNormal(1.5 * SECOND, 1.5), () => {
    if (command.includes('restart nginx'))
      restartService(rec, 'nginx.service', 'A high performance web server and a reverse proxy server');
    rec.entry(sudo, 6, 'pam_unix(sudo:session): session closed for user root');
  });
}
