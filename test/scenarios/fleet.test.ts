import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, test } from 'node:test';
import { DAY, HOUR, MINUTE } from '../support/corpus/catalog.ts';
import type { Fleet, FleetOptions, IncidentLabel, JournalEntry } from './fleet.ts';
import { INCIDENT_KINDS, PRESETS, simulateFleet } from './fleet.ts';
import { WEEKLY_SCANNER } from './events.ts';
import { isWeekend, weekday } from './seasonality.ts';

interface Read {
  fleet: Fleet;
  entries: JournalEntry[];
  incidentOf: Map<JournalEntry, IncidentLabel>;
}

function read(options: FleetOptions): Read {
  const fleet = simulateFleet(options);
  const entries: JournalEntry[] = [];
  const incidentOf = new Map<JournalEntry, IncidentLabel>();
  for (const entry of fleet.entries) {
    entries.push(entry);
    const incident = fleet.incidentOf(entry);
    if (incident !== undefined) incidentOf.set(entry, incident);
  }
  return { fleet, entries, incidentOf };
}

const timeOf = (entry: JournalEntry) => Number(entry.__REALTIME_TIMESTAMP);
const hourOf = (us: number) => Math.floor((us % DAY) / HOUR);

function fingerprint(fleet: Fleet): string {
  const hash = createHash('sha256');
  for (const entry of fleet.entries)
    hash.update(JSON.stringify(entry) + '\n' + (fleet.incidentOf(entry)?.id ?? ''));
  return hash.digest('hex');
}

const small = read(PRESETS.small);
/** Two weeks and a day of a web host and a database, lightly loaded, without incidents. */
const weeks = read({ days: 15, hosts: 2, rate: 0.05, incidents: [] });

function label(kind: string): IncidentLabel {
  const found = small.fleet.incidents.find((incident) => incident.kind === kind);
  assert.ok(found, `no ${kind} incident`);
  return found;
}

function entriesOf(incident: IncidentLabel): JournalEntry[] {
  return small.entries.filter((entry) => small.incidentOf.get(entry) === incident);
}

describe('fleet simulator', () => {
  test('the small preset is deterministic for a seed, and another seed gives another fleet', () => {
    const again = simulateFleet(PRESETS.small);
    assert.deepEqual(again.incidents, small.fleet.incidents);
    assert.deepEqual(again.routine, small.fleet.routine);
    assert.deepEqual(again.hosts, small.fleet.hosts);
    const first = createHash('sha256');
    for (const entry of small.entries)
      first.update(JSON.stringify(entry) + '\n' + (small.incidentOf.get(entry)?.id ?? ''));
    assert.equal(fingerprint(again), first.digest('hex'));

    const other = simulateFleet({ ...PRESETS.small, seed: 2 }).entries;
    const firstOfOther = Array.from({ length: 200 }, () => other.next().value as JournalEntry);
    assert.notDeepEqual(firstOfOther, small.entries.slice(0, 200));
  });

  test('the small preset: 4 hosts of 4 roles, 3 days, under 200,000 entries in time order, all strings', () => {
    const { fleet, entries } = small;
    assert.deepEqual(
      fleet.hosts.map((host) => host.role),
      ['web', 'db', 'worker', 'k8s'],
    );
    assert.equal(fleet.endUs - fleet.startUs, 3 * DAY);
    assert.ok(entries.length > 100_000 && entries.length < 200_000, `${entries.length} entries`);
    let previous = 0;
    for (const entry of entries) {
      const time = timeOf(entry);
      assert.ok(time > previous, 'strictly increasing __REALTIME_TIMESTAMP');
      previous = time;
      for (const value of Object.values(entry)) assert.equal(typeof value, 'string');
    }
    assert.ok(timeOf(entries[0] as JournalEntry) >= fleet.startUs);
    assert.ok(previous < fleet.endUs + MINUTE);
  });

  test('entries carry the fields journald adds, consistent per host and boot', () => {
    const machines = new Map(small.fleet.hosts.map((host) => [host.name, host.machineId]));
    const transports = new Set(['journal', 'stdout', 'syslog', 'kernel']);
    const monotonicByBoot = new Map<string, number>();
    for (const entry of small.entries) {
      assert.equal(entry._MACHINE_ID, machines.get(entry._HOSTNAME as string));
      assert.match(entry._BOOT_ID as string, /^[0-9a-f]{32}$/);
      assert.ok(transports.has(entry._TRANSPORT as string), entry._TRANSPORT);
      assert.match(entry.PRIORITY as string, /^[0-7]$/);
      assert.ok(entry.SYSLOG_IDENTIFIER, 'SYSLOG_IDENTIFIER');
      assert.equal(typeof entry.MESSAGE, 'string');
      if (entry._TRANSPORT !== 'kernel') assert.match(entry._PID as string, /^\d+$/);
      if (entry._TRANSPORT === 'syslog')
        assert.match(entry.SYSLOG_TIMESTAMP as string, /^[A-Z][a-z]{2} [ \d]\d \d\d:\d\d:\d\d $/);
      const monotonic = Number(entry.__MONOTONIC_TIMESTAMP);
      assert.ok(monotonic > 0 && monotonic >= (monotonicByBoot.get(entry._BOOT_ID as string) ?? 0));
      monotonicByBoot.set(entry._BOOT_ID as string, monotonic);
    }
  });

  test('a planned reboot shows the whole sequence and starts a new boot with the monotonic clock near zero', () => {
    const reboot = small.fleet.routine.find((event) => event.kind === 'reboot');
    assert.ok(reboot, 'a reboot in the small preset');
    const around = small.entries.filter(
      (entry) =>
        entry._HOSTNAME === reboot.host && timeOf(entry) >= reboot.startUs && timeOf(entry) < reboot.endUs,
    );
    const messages = around.map((entry) => entry.MESSAGE as string);
    for (const expected of [
      'The system will reboot now!',
      'Reached target System Reboot.',
      'Journal stopped',
    ]) {
      assert.ok(messages.includes(expected), expected);
    }
    const firstOfBoot = around.find((entry) => (entry.MESSAGE as string).startsWith('Linux version'));
    assert.ok(firstOfBoot, 'the kernel ring buffer after the boot');
    assert.notEqual(firstOfBoot._BOOT_ID, (around[0] as JournalEntry)._BOOT_ID);
    assert.ok(Number(firstOfBoot.__MONOTONIC_TIMESTAMP) < 10_000_000);
    assert.ok(messages.some((message) => message.startsWith('Startup finished in ')));
    assert.ok(messages.some((message) => message.includes('Server listening at http://0.0.0.0:3000')));
  });

  test('every incident kind is there once, on its host, with the entries it consists of inside its window', () => {
    const { fleet } = small;
    assert.deepEqual(fleet.incidents.map((incident) => incident.kind).sort(), [...INCIDENT_KINDS].sort());
    const historyEndUs = fleet.startUs + DAY;
    for (const incident of fleet.incidents) {
      assert.ok(
        incident.startUs >= historyEndUs && incident.endUs < fleet.endUs,
        `${incident.id} after the history`,
      );
      assert.ok(incident.description.length > 20);
      const own = entriesOf(incident);
      if (incident.kind !== 'silence') assert.ok(own.length > 0, `${incident.id} has entries`);
      for (const entry of own) {
        assert.equal(entry._HOSTNAME, incident.host);
        assert.ok(
          timeOf(entry) >= incident.startUs && timeOf(entry) <= incident.endUs,
          `${incident.id} window`,
        );
      }
    }
  });

  test('incidents go where and when a plan says; a plan that does not fit the fleet is refused', () => {
    const atUs = Date.UTC(2024, 5, 4, 13, 7) * 1000;
    const custom = read({
      days: 2,
      hosts: 4,
      rate: 0.02,
      incidents: [{ kind: 'oom-kill', host: 'worker-01', startUs: atUs }],
    });
    assert.equal(custom.fleet.incidents.length, 1);
    const [incident] = custom.fleet.incidents as [IncidentLabel];
    assert.deepEqual(
      [incident.kind, incident.host, incident.unit, incident.startUs],
      ['oom-kill', 'worker-01', 'billing-worker.service', atUs],
    );
    assert.ok(custom.incidentOf.size > 0);
    assert.ok([...custom.incidentOf.keys()].every((entry) => entry._HOSTNAME === 'worker-01'));
    assert.throws(
      () =>
        simulateFleet({ days: 2, hosts: 4, incidents: [{ kind: 'outbound-connection', host: 'web-01' }] }),
      /role db/,
    );
    assert.throws(() => simulateFleet({ days: 2, hosts: 1, incidents: [{ kind: 'disk-fill' }] }), /role db/);
    assert.deepEqual(weeks.fleet.incidents, []);
    assert.equal(weeks.incidentOf.size, 0);
  });

  test('outbound connection: at 03:12 to an address the fleet never talks to, with a template it knows', () => {
    const incident = label('outbound-connection');
    const own = entriesOf(incident);
    assert.ok(own.every((entry) => (entry.MESSAGE as string).includes('DST=203.0.113.77')));
    assert.equal(hourOf(incident.startUs), 3);
    const others = small.entries.filter((entry) => !small.incidentOf.has(entry));
    assert.ok(!others.some((entry) => (entry.MESSAGE as string).includes('203.0.113.77')));
    assert.ok(
      others.some(
        (entry) => entry._HOSTNAME === incident.host && (entry.MESSAGE as string).startsWith('[UFW ALLOW]'),
      ),
    );
  });

  test('crash loop: exits and restarts every few seconds for many minutes, with stack traces', () => {
    const incident = label('crash-loop');
    const messages = entriesOf(incident).map((entry) => entry.MESSAGE as string);
    const counters = messages
      .map((message) => /restart counter is at (\d+)\./.exec(message)?.[1])
      .filter((counter) => counter !== undefined)
      .map(Number);
    assert.ok(counters.length >= 100, `${counters.length} restarts`);
    assert.deepEqual(counters.slice(0, 5), [1, 2, 3, 4, 5]);
    assert.ok(incident.endUs - incident.startUs >= 20 * MINUTE);
    assert.ok(messages.filter((message) => message.endsWith('status=1/FAILURE')).length >= 100);
    assert.ok(messages.includes('Traceback (most recent call last):'));
  });

  test('OOM kill: the kernel oom-killer lines and systemd noting it', () => {
    const messages = entriesOf(label('oom-kill')).map((entry) => entry.MESSAGE as string);
    assert.ok(messages.some((message) => message.includes('invoked oom-killer')));
    assert.ok(messages.some((message) => message.startsWith('Out of memory: Killed process')));
    assert.ok(
      messages.some((message) =>
        message.endsWith('A process of this unit has been killed by the OOM killer.'),
      ),
    );
  });

  test('new error burst: many entries of an error never seen before it', () => {
    const incident = label('new-error-burst');
    const own = entriesOf(incident);
    assert.ok(own.length >= 50, `${own.length} errors`);
    const signature = "Cannot read properties of undefined (reading 'currency')";
    assert.ok(own.every((entry) => (entry.MESSAGE as string).includes(signature)));
    assert.ok(
      !small.entries.some(
        (entry) => !small.incidentOf.has(entry) && (entry.MESSAGE as string).includes(signature),
      ),
    );
  });

  test('root login: by password from a new address at an odd hour; root never logs in otherwise', () => {
    const incident = label('root-login');
    const own = entriesOf(incident).map((entry) => entry.MESSAGE as string);
    assert.ok(own.some((message) => message.startsWith('Accepted password for root from 203.0.113.45')));
    assert.ok(hourOf(incident.startUs) < 6);
    const otherRootLogins = small.entries.filter(
      (entry) => !small.incidentOf.has(entry) && /^Accepted \w+ for root /.test(entry.MESSAGE as string),
    );
    assert.deepEqual(otherRootLogins, []);
  });

  test('silence: the chatty unit says nothing for hours while its host keeps logging', () => {
    const incident = label('silence');
    const during = (entry: JournalEntry, shiftUs: number) =>
      entry._HOSTNAME === incident.host &&
      timeOf(entry) >= incident.startUs - shiftUs &&
      timeOf(entry) < incident.endUs - shiftUs;
    assert.ok(incident.endUs - incident.startUs >= 3 * HOUR);
    assert.equal(
      small.entries.filter((entry) => during(entry, 0) && entry._SYSTEMD_UNIT === incident.unit).length,
      0,
    );
    assert.ok(small.entries.filter((entry) => during(entry, 0)).length > 500, 'the host stays up');
    const dayBefore = small.entries.filter(
      (entry) => during(entry, DAY) && entry._SYSTEMD_UNIT === incident.unit,
    );
    assert.ok(dayBefore.length > 1000, `${dayBefore.length} entries the day before`);
  });

  test('disk fill: the usage warnings rise over days, then writes fail with No space left on device', () => {
    const incident = label('disk-fill');
    const own = entriesOf(incident);
    const usage = own
      .map((entry) => /usage at (\d+)%/.exec(entry.MESSAGE as string)?.[1])
      .filter((percent) => percent !== undefined)
      .map(Number);
    assert.ok(usage.length > 50, `${usage.length} readings`);
    assert.ok((usage[0] as number) < 70 && Math.max(...usage) === 100);
    for (let index = 1; index < usage.length; index++)
      assert.ok((usage[index] as number) >= (usage[index - 1] as number));
    assert.ok(
      own.some((entry) => entry.PRIORITY === '4' && (entry.MESSAGE as string).startsWith('WARNING:')),
    );
    assert.ok(own.some((entry) => (entry.MESSAGE as string).includes('No space left on device')));
    assert.ok(incident.endUs - incident.startUs > DAY);
  });

  test('seasonality: busier by day than by night, on weekdays than at weekends', () => {
    const nginx = weeks.entries.filter((entry) => entry._SYSTEMD_UNIT === 'nginx.service');
    const count = (keep: (us: number) => boolean) => nginx.filter((entry) => keep(timeOf(entry))).length;
    const businessHours = (us: number) => hourOf(us) >= 10 && hourOf(us) < 16;
    const night = (us: number) => hourOf(us) >= 1 && hourOf(us) < 5;
    // Fifteen days from a Monday: eleven weekdays and four weekend days; per hour of each span.
    const weekdayDay = count((us) => !isWeekend(us) && businessHours(us)) / (11 * 6);
    const weekendDay = count((us) => isWeekend(us) && businessHours(us)) / (4 * 6);
    const weekdayNight = count((us) => !isWeekend(us) && night(us)) / (11 * 4);
    assert.ok(weekdayDay > 4 * weekdayNight, `day ${weekdayDay} vs night ${weekdayNight} per hour`);
    assert.ok(weekdayDay > 1.4 * weekendDay, `weekday ${weekdayDay} vs weekend ${weekendDay} per hour`);
  });

  test('the known scanner sweeps every Monday morning, and only then', () => {
    const fromScanner = weeks.entries.filter((entry) => (entry.MESSAGE as string).includes(WEEKLY_SCANNER));
    const byDay = new Map<number, number>();
    for (const entry of fromScanner) {
      const day = Math.floor(timeOf(entry) / DAY);
      assert.equal(weekday(timeOf(entry)), 0, 'only on Mondays');
      assert.ok(hourOf(timeOf(entry)) >= 6 && hourOf(timeOf(entry)) < 8, 'in the morning');
      byDay.set(day, (byDay.get(day) ?? 0) + 1);
    }
    assert.equal(byDay.size, 3, 'three Mondays in fifteen days from a Monday');
    for (const burst of byDay.values()) assert.ok(burst > 500, `${burst} lines`);
  });

  test('the health check fails every hour of every day', () => {
    const failures = weeks.entries.filter(
      (entry) => entry.MESSAGE === 'Failed to start Payments sandbox health check.',
    );
    const hours = new Set(failures.map((entry) => Math.floor(timeOf(entry) / HOUR)));
    const rebootHours = new Set(
      weeks.fleet.routine
        .filter((event) => event.kind === 'reboot')
        .map((event) => Math.floor(event.startUs / HOUR)),
    );
    for (let hour = weeks.fleet.startUs / HOUR; hour < weeks.fleet.endUs / HOUR; hour++) {
      assert.ok(hours.has(hour) || rebootHours.has(hour), `a failure in hour ${hour}`);
    }
    assert.ok(failures.every((entry) => entry.PRIORITY === '3'));
  });

  test('write-fleet writes journalctl JSON lines and labels naming each incident entry by line', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'lookout-fleet-'));
    try {
      const script = join(import.meta.dirname, 'write-fleet.ts');
      const args = [
        '--import',
        'tsx',
        script,
        '--preset',
        'small',
        '--days',
        '2',
        '--hosts',
        '4',
        '--rate',
        '0.02',
      ];
      await promisify(execFile)(process.execPath, [...args, '--out', dir]);
      const lines = (await readFile(join(dir, 'fleet.json'), 'utf8')).trimEnd().split('\n');
      const labels = JSON.parse(await readFile(join(dir, 'labels.json'), 'utf8')) as {
        entries: number;
        incidents: (IncidentLabel & { lines: number[]; realtimeTimestamps: string[] })[];
      };
      assert.equal(labels.entries, lines.length);
      assert.ok(labels.incidents.length >= 6);
      for (const incident of labels.incidents) {
        incident.lines.forEach((line, index) => {
          const entry = JSON.parse(lines[line - 1] as string) as JournalEntry;
          assert.equal(entry.__REALTIME_TIMESTAMP, incident.realtimeTimestamps[index]);
          assert.equal(entry._HOSTNAME, incident.host);
        });
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
