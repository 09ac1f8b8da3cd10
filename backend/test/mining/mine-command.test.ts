import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { csvCell } from '../../src/app/csv.ts';
import { sharedData } from '../shared-data.ts';
import { parseCsv } from '../../../test/support/loghub.ts';

const LOOKOUT_BIN = fileURLToPath(new URL('../../bin/lookout.js', import.meta.url));

function lookout(
  args: string[],
  stdin = '',
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [LOOKOUT_BIN, ...args], { stdio: 'pipe' });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(stdin);
  });
}

describe('lookout mine', () => {
  const dir = mkdtempSync(join(tmpdir(), 'lookout-mine-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('prints one CSV row per line of a file, in order, with proper quoting', async () => {
    const file = join(dir, 'messages.txt');
    writeFileSync(
      file,
      [
        'Failed password for root from 10.0.0.1 port 22 ssh2',
        'Failed password for alice from 10.0.0.2 port 2222 ssh2',
        '',
        'say "hi", there',
        'Failed password for bob from 10.0.0.3 port 22 ssh2',
      ].join('\n'),
    );
    const { code, stdout } = await lookout(['mine', file]);
    assert.equal(code, 0);
    assert.deepEqual(parseCsv(stdout), [
      ['line', 'template_id', 'template'],
      ['1', '1', 'Failed password for root from <*> port <*> ssh2'],
      ['2', '1', 'Failed password for <*> from <*> port <*> ssh2'],
      ['3', '2', ''],
      ['4', '3', 'say "<*>", there'],
      ['5', '1', 'Failed password for <*> from <*> port <*> ssh2'],
    ]);
  });

  it('reads stdin and prints distinct templates, most frequent first, with --templates', async () => {
    const input = [
      'disk sda1 is 91% full',
      'fan 2 failed',
      'disk sdb2 is 95% full',
      'disk sdc is 99% full',
    ].join('\n');
    const { code, stdout } = await lookout(['mine', '--templates', '-'], input);
    assert.equal(code, 0);
    assert.deepEqual(parseCsv(stdout), [
      ['template_id', 'count', 'template'],
      ['1', '3', 'disk <*> is <*>% full'],
      ['2', '1', 'fan <*> failed'],
    ]);
  });

  it('mines MESSAGE of journald JSON lines, decodes byte arrays and reports bad lines with --journald', async () => {
    const input = [
      JSON.stringify({
        MESSAGE: 'Started Session 4 of User alice.',
        __REALTIME_TIMESTAMP: '1700000000000000',
      }),
      'not json',
      '[1, 2, 3]',
      JSON.stringify({ MESSAGE: [...Buffer.from('Started Session 5 of User bob.'), 0xff] }),
      '',
      JSON.stringify({ MESSAGE: 'Started Session 6 of User carol.' }),
    ].join('\n');
    const { code, stdout, stderr } = await lookout(['mine', '--journald', '-'], input);
    assert.equal(code, 2);
    assert.deepEqual(parseCsv(stdout), [
      ['line', 'template_id', 'template'],
      ['1', '1', 'Started Session <*> of User alice.'],
      ['4', '1', 'Started Session <*> of User <*>'],
      ['6', '1', 'Started Session <*> of User <*>'],
    ]);
    assert.match(stderr, /line 2: invalid JSON/);
    assert.match(stderr, /line 3: not a JSON object/);
    assert.match(stderr, /2 line\(s\) were not journald JSON objects/);
  });

  it("mines Vector's journald fixture (byte-array MESSAGE, odd timestamps) without a rejected line", async () => {
    const { code, stdout } = await lookout([
      'mine',
      '--journald',
      sharedData('journald/vector-fake-journal.ndjson'),
    ]);
    assert.equal(code, 0);
    const rows = parseCsv(stdout);
    assert.equal(rows.length, 9);
    assert.deepEqual(rows[3], ['3', '3', '¿Hello?']);
    assert.deepEqual(rows[7], ['7', '7', "<info> [<*>] dhcp-init: Using DHCP client '<*>'"]);
  });

  it('fails clearly on a file it cannot read', async () => {
    const { code, stdout, stderr } = await lookout(['mine', join(dir, 'missing.txt')]);
    assert.equal(code, 1);
    assert.equal(stdout, '');
    assert.match(stderr, /no such file/);
  });

  it('explains itself in --help', async () => {
    const { code, stdout } = await lookout(['mine', '--help']);
    assert.equal(code, 0);
    for (const text of ['--journald', '--templates', 'line,template_id,template', '--data', 'stdin']) {
      assert.ok(stdout.includes(text), `help mentions ${text}`);
    }
  });
});

describe('csvCell', () => {
  it('quotes only when needed and doubles quotes', () => {
    assert.equal(csvCell('plain <*>'), 'plain <*>');
    assert.equal(csvCell(42), '42');
    assert.equal(csvCell('a,b'), '"a,b"');
    assert.equal(csvCell('say "x"'), '"say ""x"""');
    assert.equal(csvCell('two\nlines'), '"two\nlines"');
  });
});
