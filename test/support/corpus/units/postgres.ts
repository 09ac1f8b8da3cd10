/** A database host: PostgreSQL 15 connections, slow statements, errors, autovacuum and checkpoints. */
import { SECOND } from '../catalog.ts';
import type { Recorder, Source } from '../recorder.ts';
import { pad2 } from '../time-text.ts';

export function postgresSource(rec: Recorder): Source {
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
