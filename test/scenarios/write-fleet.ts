/**
 * Writes a simulated fleet to DIR/fleet.json (`journalctl -o json` lines, ready for `lookout import`
 * or `lookout analyze`) and DIR/labels.json (the incidents, the entries each consists of by line
 * number and `__REALTIME_TIMESTAMP`, the planned routine events, the hosts).
 *
 *   node --import tsx test/scenarios/write-fleet.ts --preset small --out DIR [--seed N] [--days N]
 *        [--hosts N] [--rate X] [--cursors]
 */
import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import type { FleetOptions, PresetName } from './fleet.ts';
import { PRESETS, simulateFleet } from './fleet.ts';

const USAGE =
  'usage: node --import tsx test/scenarios/write-fleet.ts --preset small|full --out DIR ' +
  '[--seed N] [--days N] [--hosts N] [--rate X] [--cursors]\n';

function number(name: string, text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const value = Number(text);
  if (!Number.isFinite(value)) throw new Error(`--${name} must be a number, got ${text}`);
  return value;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      preset: { type: 'string', default: 'small' },
      out: { type: 'string' },
      seed: { type: 'string' },
      days: { type: 'string' },
      hosts: { type: 'string' },
      rate: { type: 'string' },
      cursors: { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    process.stdout.write(USAGE);
    return;
  }
  const preset = values.preset as string;
  if (!(preset in PRESETS) || values.out === undefined) throw new Error(USAGE.trimEnd());
  const options: FleetOptions = { ...PRESETS[preset as PresetName], cursors: values.cursors };
  for (const name of ['seed', 'days', 'hosts', 'rate'] as const) {
    const value = number(name, values[name]);
    if (value !== undefined) options[name] = value;
  }
  if (options.days !== undefined && (options.historyDays ?? 0) >= options.days) {
    options.historyDays = Math.floor(options.days / 2);
  }

  const dir = values.out;
  await mkdir(dir, { recursive: true });
  const fleet = simulateFleet(options);
  const lines = new Map(fleet.incidents.map((label) => [label.id, [] as number[]]));
  const timestamps = new Map(fleet.incidents.map((label) => [label.id, [] as string[]]));
  const output = createWriteStream(join(dir, 'fleet.json'));
  let count = 0;
  let chunk = '';
  for (const entry of fleet.entries) {
    count++;
    chunk += JSON.stringify(entry) + '\n';
    const incident = fleet.incidentOf(entry);
    if (incident !== undefined) {
      lines.get(incident.id)?.push(count);
      timestamps.get(incident.id)?.push(entry.__REALTIME_TIMESTAMP as string);
    }
    if (chunk.length > 1 << 20) {
      if (!output.write(chunk)) await once(output, 'drain');
      chunk = '';
    }
  }
  output.end(chunk);
  await once(output, 'finish');

  const iso = (us: number) => new Date(us / 1000).toISOString();
  const labels = {
    preset,
    options,
    start: iso(fleet.startUs),
    end: iso(fleet.endUs),
    startUs: fleet.startUs,
    endUs: fleet.endUs,
    entries: count,
    hosts: fleet.hosts,
    incidents: fleet.incidents.map((label) => ({
      ...label,
      start: iso(label.startUs),
      end: iso(label.endUs),
      entryCount: lines.get(label.id)?.length ?? 0,
      lines: lines.get(label.id) ?? [],
      realtimeTimestamps: timestamps.get(label.id) ?? [],
    })),
    routine: fleet.routine.map((event) => ({ ...event, start: iso(event.startUs), end: iso(event.endUs) })),
  };
  await writeFile(join(dir, 'labels.json'), JSON.stringify(labels, null, 2) + '\n');
  process.stdout.write(
    `${count} entries of ${fleet.hosts.length} hosts, ${labels.start} to ${labels.end}: ${join(dir, 'fleet.json')}\n` +
      `${fleet.incidents.length} incidents, ${fleet.routine.length} routine events: ${join(dir, 'labels.json')}\n`,
  );
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
