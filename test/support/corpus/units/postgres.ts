/** A database host: PostgreSQL 15 connections, slow statements, errors, autovacuum and checkpoints. */
import { SECOND } from '../catalog.ts';
import type { Recorder, Source } from '../recorder.ts';
import { pad2 } from '../time-text.ts';

function postgresSource(rec: Recorder): Source {
  return rec.daemon('postgresql@15-main.service', 'stdout', 'postgres', {
    uid: 106,
    gid: 113,
    comm: 'postgres',
    exe: '/usr/lib/postgresql/15/bin/postgres',
    cmdline:
      '/usr/lib/postgresql/15/bin/postgres -D /var/lib/postgresql/15/main -c config_file=/etc/postgresql/15/main/postgresql.conf',
  });
}

export function postgres(rec: Recorder): void {
  const random = rec.random;
  const pg = postgresSource(rec);
  const backend = random.int(10_000, 4_000_000);
  const who = random.pickSkewed([
    'app@shop',
    'app@shop',
    'billing@shop',
    'grafana@metrics',
    'postgres@postgres',
  ]);
  const prefix = `${rec.time.postgres(rec.clockUs)} [${backend}] ${who}`;
  const roll = random.next();
  if (roll < 0.45) {
    const host = rec.internalIp();
    const port = random.int(32768, 60999);
    const [user, database] = who.split('@') as [string, string];
    rec.entry(
      pg,
      6,
      `${rec.time.postgres(rec.clockUs)} [${backend}] [unknown]@[unknown] LOG:  connection received: host=${host} port=${port}`,
    );
    rec.entry(
      pg,
      6,
      `${prefix} LOG:  connection authorized: user=${user} database=${database} application_name=${random.pick(['orders-api', 'billing-worker', 'psql', 'grafana'])} SSL enabled (protocol=TLSv1.3, cipher=TLS_AES_256_GCM_SHA384, bits=256)`,
    );
    rec.later(random.logNormal(3 * SECOND, 2), () => {
      const seconds = random.logNormal(3, 2);
      rec.entry(
        pg,
        6,
        `${rec.time.postgres(rec.clockUs)} [${backend}] ${who} LOG:  disconnection: session time: 0:${pad2(Math.min(59, Math.floor(seconds / 60)))}:${(seconds % 60).toFixed(3).padStart(6, '0')} user=${user} database=${database} host=${host} port=${port}`,
      );
    });
  } else if (roll < 0.8) {
    const table = random.pick(['orders', 'order_items', 'customers', 'invoices', 'products', 'events']);
    const statement = random.pick([
      `SELECT * FROM ${table} WHERE customer_id = ${random.int(1, 99_999)} ORDER BY created_at DESC LIMIT 50`,
      `UPDATE ${table} SET status = 'shipped', updated_at = now() WHERE id = ${random.int(1, 999_999)}`,
      `SELECT count(*) FROM ${table} WHERE created_at > now() - interval '${random.int(1, 30)} days'`,
      `INSERT INTO events (kind, payload) VALUES ('${random.pick(['view', 'click', 'checkout'])}', $1)`,
    ]);
    rec.entry(
      pg,
      6,
      `${prefix} LOG:  duration: ${random.logNormal(1500, 0.6).toFixed(3)} ms  statement: ${statement}`,
    );
  } else if (roll < 0.9) {
    const email = `${random.pick(['anna', 'li', 'sam', 'kim', 'jo', 'max'])}${random.int(1, 9999)}@example.${random.pick(['com', 'org', 'net'])}`;
    rec.entry(
      pg,
      6,
      `${prefix} ERROR:  duplicate key value violates unique constraint "customers_email_key"`,
    );
    rec.entry(pg, 6, `${prefix} DETAIL:  Key (email)=(${email}) already exists.`);
    rec.entry(pg, 6, `${prefix} STATEMENT:  INSERT INTO customers (email, name) VALUES ($1, $2)`);
  } else if (roll < 0.95) {
    const table = random.pick(['orders', 'events', 'invoices']);
    rec.entry(
      pg,
      6,
      `${rec.time.postgres(rec.clockUs)} [${backend}] LOG:  automatic vacuum of table "shop.public.${table}": index scans: ${random.int(0, 2)}`,
    );
  } else if (roll < 0.98) {
    rec.entry(pg, 6, `${prefix} ERROR:  canceling statement due to statement timeout`);
  } else {
    const user = random.pick(['admin', 'postgres', 'app', 'root', 'test']);
    rec.entry(
      pg,
      6,
      `${rec.time.postgres(rec.clockUs)} [${backend}] ${user}@${random.pick(['postgres', 'shop', 'template1'])} FATAL:  password authentication failed for user "${user}"`,
    );
    rec.entry(
      pg,
      6,
      `${rec.time.postgres(rec.clockUs)} [${backend}] ${user}@postgres DETAIL:  Connection matched pg_hba.conf line ${random.int(90, 130)}: "host all all 0.0.0.0/0 scram-sha-256"`,
    );
  }
}

export function postgresCheckpoint(rec: Recorder): void {
  const random = rec.random;
  const pg = postgresSource(rec);
  const checkpointer = random.int(400, 9000);
  rec.entry(pg, 6, `${rec.time.postgres(rec.clockUs)} [${checkpointer}] LOG:  checkpoint starting: time`);
  const writeSeconds = random.logNormal(20, 0.8);
  rec.later(writeSeconds * SECOND, () => {
    const buffers = random.int(10, 20_000);
    rec.entry(
      pg,
      6,
      `${rec.time.postgres(rec.clockUs)} [${checkpointer}] LOG:  checkpoint complete: wrote ${buffers} buffers (${(buffers / 1638.4).toFixed(1)}%); 0 WAL file(s) added, ${random.int(0, 3)} removed, ${random.int(0, 4)} recycled; write=${writeSeconds.toFixed(3)} s, sync=${(random.next() / 10).toFixed(3)} s, total=${(writeSeconds + random.next() / 5).toFixed(3)} s; sync files=${random.int(5, 300)}, longest=${(random.next() / 20).toFixed(3)} s, average=${(random.next() / 100).toFixed(3)} s; distance=${random.int(100, 900_000)} kB, estimate=${random.int(100, 900_000)} kB`,
    );
  });
}

function postgresLine(rec: Recorder, pid: number, text: string): string {
  return `${rec.time.postgres(rec.clockUs)} [${pid}] ${text}`;
}

/** A fast shutdown (systemctl stop, or the machine going down). */
export function postgresShutdown(rec: Recorder): void {
  const pg = postgresSource(rec);
  const random = rec.random;
  const say = (text: string) => rec.entry(pg, 6, postgresLine(rec, pg.pid, text));
  say('LOG:  received fast shutdown request');
  say('LOG:  aborting any active transactions');
  say(
    `LOG:  background worker "logical replication launcher" (PID ${pg.pid + random.int(5, 40)}) exited with exit code 1`,
  );
  rec.entry(pg, 6, postgresLine(rec, pg.pid + random.int(1, 4), 'LOG:  shutting down'));
  say('LOG:  database system is shut down');
}

/**
 * The postmaster starting; after a crash (`cleanShutdown` false) it replays WAL first. Call it with
 * a fresh source (after a boot or a restart) so the new postmaster has a new pid.
 */
export function postgresStartup(rec: Recorder, previousStopUs: number, cleanShutdown: boolean): void {
  const random = rec.random;
  const pg = postgresSource(rec);
  const say = (text: string) => rec.entry(pg, 6, postgresLine(rec, pg.pid, text));
  const startup = pg.pid + random.int(2, 6);
  say(
    'LOG:  starting PostgreSQL 15.7 (Debian 15.7-0+deb12u1) on x86_64-pc-linux-gnu, compiled by gcc (Debian 12.2.0-14) 12.2.0, 64-bit',
  );
  say('LOG:  listening on IPv4 address "0.0.0.0", port 5432');
  say('LOG:  listening on IPv6 address "::", port 5432');
  say('LOG:  listening on Unix socket "/var/run/postgresql/.s.PGSQL.5432"');
  const stopped = rec.time.postgres(previousStopUs);
  if (cleanShutdown) {
    rec.entry(pg, 6, postgresLine(rec, startup, `LOG:  database system was shut down at ${stopped}`));
  } else {
    const segment = random.int(0x10, 0xff).toString(16).toUpperCase();
    const lsn = `2A/${segment}${random.hex(6).toUpperCase()}`;
    const replay = (text: string) => rec.entry(pg, 6, postgresLine(rec, startup, text));
    replay(`LOG:  database system was interrupted; last known up at ${stopped}`);
    replay('LOG:  database system was not properly shut down; automatic recovery in progress');
    replay(`LOG:  redo starts at ${lsn}`);
    replay(
      `LOG:  redo done at 2A/${segment}${random.hex(6).toUpperCase()} system usage: CPU: user: ${(random.next() / 2).toFixed(2)} s, system: ${(random.next() / 5).toFixed(2)} s, elapsed: ${random.next().toFixed(2)} s`,
    );
    replay('LOG:  checkpoint starting: end-of-recovery immediate wait');
  }
  say('LOG:  database system is ready to accept connections');
}

/** A nightly pgBackRest backup: a burst of one line per changed file, over several minutes. */
export function pgbackrestBackup(rec: Recorder, type: 'full' | 'diff'): void {
  const random = rec.random;
  const backup = rec.transient(
    'pgbackrest-backup.service',
    'stdout',
    'pgbackrest',
    {
      uid: 106,
      gid: 113,
      comm: 'pgbackrest',
      exe: '/usr/bin/pgbackrest',
      cmdline: `pgbackrest --stanza=main --type=${type} backup`,
    },
    3,
  );
  const say = (text: string) => rec.entry(backup, 6, text);
  const files = type === 'full' ? random.int(900, 1400) : random.int(60, 240);
  const label = `${rec.time.iso(rec.clockUs, 0).slice(0, 10).replaceAll('-', '')}-0200${random.int(0, 9)}${type === 'full' ? 'F' : 'D'}`;
  say(
    `P00   INFO: backup command begin 2.51: --exec-id=${random.int(1000, 99_999)}-${random.hex(8)} --log-level-console=info --pg1-path=/var/lib/postgresql/15/main --process-max=2 --repo1-path=/var/lib/pgbackrest --repo1-retention-full=2 --stanza=main --type=${type}`,
  );
  say(
    'P00   INFO: execute non-exclusive backup start: backup begins after the next regular checkpoint completes',
  );
  const pg = postgresSource(rec);
  rec.entry(pg, 6, postgresLine(rec, pg.pid + random.int(1, 4), 'LOG:  checkpoint starting: force wait'));
  let delay = random.int(5, 40) * 1_000_000;
  for (let file = 0; file < files; file++) {
    delay += random.logNormal(type === 'full' ? 400_000 : 2_500_000, 1);
    const done = ((100 * (file + 1)) / files).toFixed(2);
    rec.later(delay, () =>
      say(
        `P0${random.int(1, 2)} DETAIL: backup file /var/lib/postgresql/15/main/base/16384/${random.int(1200, 99_999)} (${random.int(8, 1023)}${random.pick(['KB', 'MB'])}, ${done}%) checksum ${random.hex(40)}`,
      ),
    );
  }
  rec.later(delay + random.int(1, 5) * 1_000_000, () => {
    say('P00   INFO: execute non-exclusive backup stop and wait for all WAL segments to archive');
    say(`P00   INFO: new backup label = ${label}`);
    say(
      `P00   INFO: ${type} backup size = ${random.logNormal(type === 'full' ? 40 : 3, 0.3).toFixed(1)}GB, file total = ${random.int(1800, 2200)}`,
    );
    say(`P00   INFO: backup command end: completed successfully (${Math.round(delay / 1000)}ms)`);
    say('P00   INFO: expire command begin 2.51: --exec-id=expire --log-level-console=info --stanza=main');
    say(`P00   INFO: expire command end: completed successfully (${random.int(5, 60)}ms)`);
  });
}

/** pg_wal's file system is full: the WAL writer panics, crash recovery cannot write either, and postgres exits. */
export function postgresDiskFull(rec: Recorder, lastUpUs: number): void {
  const random = rec.random;
  const pg = postgresSource(rec);
  const walWriter = pg.pid + random.int(3, 9);
  const startup = walWriter + random.int(3000, 90_000);
  const say = (pid: number, text: string) => rec.entry(pg, 6, postgresLine(rec, pid, text));
  say(walWriter, `PANIC:  could not write to file "pg_wal/xlogtemp.${walWriter}": No space left on device`);
  say(pg.pid, `LOG:  WAL writer process (PID ${walWriter}) was terminated by signal 6: Aborted`);
  say(pg.pid, 'LOG:  terminating any other active server processes');
  say(pg.pid, 'LOG:  all server processes terminated; reinitializing');
  say(startup, `LOG:  database system was interrupted; last known up at ${rec.time.postgres(lastUpUs)}`);
  say(startup, 'LOG:  database system was not properly shut down; automatic recovery in progress');
  say(startup, `LOG:  redo starts at 2A/${random.hex(8).toUpperCase()}`);
  say(startup, `FATAL:  could not write to file "pg_wal/xlogtemp.${startup}": No space left on device`);
  say(pg.pid, `LOG:  startup process (PID ${startup}) exited with exit code 1`);
  say(pg.pid, 'LOG:  aborting startup due to startup process failure');
  say(pg.pid, 'LOG:  database system is shut down');
}
