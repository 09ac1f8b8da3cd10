import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { syslogDay } from './syslog-day.ts';

const run = promisify(execFile);
const LOOKOUT_BIN = fileURLToPath(new URL('../../bin/lookout.js', import.meta.url));
describe('lookout analyze', () => {
  const dir = mkdtempSync(join(tmpdir(), 'lookout-analyze-'));
  const log = join(dir, 'syslog');
  after(() => rmSync(dir, { recursive: true, force: true }));
  before(() => writeFileSync(log, syslogDay()));
  /** `lookout analyze` on the day's syslog (its timestamps carry no year), with more arguments. */
  const analyzeDay = (...args: string[]) =>
    run(process.execPath, [LOOKOUT_BIN, 'analyze', log, '--year', '2026', ...args]);

  test('reports exactly the incidents of a day of syslog (a root login, an OOM kill), none of its routine', async () => {
    const { stdout } = await analyzeDay('--json');
    const events = JSON.parse(stdout) as { samples: { message: string }[] }[];
    const incident = (event: { samples: { message: string }[] }) =>
      event.samples.some(
        (sample) => sample.message.includes('203.0.113.66') || sample.message.startsWith('Out of memory'),
      );
    assert.equal(events.length, 2, stdout);
    assert.ok(events.every(incident), stdout);
  });

  test('prints events as JSON with ISO times, scores and samples, and a summary on stderr', async () => {
    const { stdout, stderr } = await analyzeDay('--json');
    const events = JSON.parse(stdout) as {
      start: string;
      end: string;
      score: number;
      alert: boolean;
      samples: { message: string }[];
    }[];
    assert.ok(
      events.some((event) =>
        event.samples.some((sample) => sample.message.startsWith('Out of memory: Killed process 4242')),
      ),
      `the OOM kill is reported: ${stdout}`,
    );
    for (const event of events) {
      assert.equal(event.alert, true);
      assert.match(event.start, /^2026-03-02T\d\d:\d\d:00\.000Z$/);
      assert.ok(event.score > 0 && event.score <= 1);
      assert.ok(event.end > event.start);
    }
    assert.match(stderr, /entries \(plain\), \d+ templates, \d+ alerting event\(s\)/);
  });

  test('writes every entry with its score to --csv', async () => {
    const csv = join(dir, 'scores.csv');
    await analyzeDay('--csv', csv);
    const lines = readFileSync(csv, 'utf8').trim().split('\n');
    assert.equal(lines[0], 'line,time,host,unit,priority,template_id,template,score,alert,reasons,message');
    assert.equal(lines.length - 1, syslogDay().trim().split('\n').length);
    const oom = lines.find((line) => line.includes('Out of memory'));
    assert.match(oom ?? '', /,kernel,.*,1,[a-z -]*,"Out of memory/);
  });

  test('--baseline seed scores with the articles’ pipeline instead', async () => {
    const { stdout } = await analyzeDay('--json', '--baseline', 'seed', '--contamination', '0.1');
    const events = JSON.parse(stdout) as { reasons: string[] }[];
    assert.ok(events.length > 5, 'contamination 0.1 flags a tenth of a quiet day: many events');
    for (const event of events) assert.deepEqual(event.reasons, ['seed-baseline']);
  });

  test('a log without any timestamps counts its lines as seconds, and says where its events are', async () => {
    const lines = Array.from(
      { length: 600 },
      (_, index) => `worker ${index % 4} finished job ${9000 + index} in ${20 + ((index * 7) % 30)} ms`,
    );
    lines[499] = 'FATAL: disk /dev/sdb failed: I/O error, the array is degraded';
    const untimed = join(dir, 'untimed.log');
    writeFileSync(untimed, lines.join('\n'));
    const { stdout, stderr } = await run(process.execPath, [LOOKOUT_BIN, 'analyze', untimed]);
    // Line 500 is in the ninth minute of the line clock: lines 481-540.
    assert.match(stdout, /^score +host +unit +from +for /);
    assert.match(stdout, /line 481 +\d+ lines +.*new-template/);
    assert.match(stderr, /no line has a timestamp, so lines count as a second each: learned from lines 1-60/);
    const json = await run(process.execPath, [LOOKOUT_BIN, 'analyze', untimed, '--json']);
    const [event] = JSON.parse(json.stdout) as { start: string; samples: { message: string }[] }[];
    assert.equal(event?.start, '1970-01-01T00:08:00.000Z');
    assert.ok(event.samples.some((sample) => sample.message.startsWith('disk /dev/sdb failed')));
  });

  test("lines before the first timestamp do not move the warm-up off the log's own first hour", async () => {
    const banner = ['=== app log ===', 'version 1.2.3'];
    // A line every 10 seconds for 12 hours: the warm-up is a whole hour.
    const timed = Array.from({ length: 12 * 360 }, (_, index) => {
      const time = new Date(Date.UTC(2026, 2, 2) + index * 10_000).toISOString();
      return `${time} INFO request ${index} served`;
    });
    const file = join(dir, 'banner.log');
    writeFileSync(file, [...banner, ...timed].join('\n'));
    const { stderr } = await run(process.execPath, [LOOKOUT_BIN, 'analyze', file]);
    assert.match(stderr, /learned from everything before 2026-03-02T01:00:00\.000Z/);
  });

  test('reads journald JSON from stdin, names bad lines and exits 2', async () => {
    const lines = [
      JSON.stringify({
        MESSAGE: 'hello',
        __REALTIME_TIMESTAMP: '1767600000000000',
        _HOSTNAME: 'h',
        _SYSTEMD_UNIT: 'a.service',
      }),
      '{broken',
    ].join('\n');
    const child = execFile(process.execPath, [LOOKOUT_BIN, 'analyze', '-']);
    child.stdin?.end(lines);
    let stderr = '';
    child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const code = await new Promise((resolve) => child.on('close', resolve));
    assert.equal(code, 2);
    assert.match(stderr, /1 entries \(journald\)/);
    assert.match(stderr, /line 2: invalid JSON/);
  });
});
