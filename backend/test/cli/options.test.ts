import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { serveCommand } from '../../src/cli/commands/serve.ts';
import { applyConfigFile } from '../../src/cli/options.ts';

const run = promisify(execFile);
const LOOKOUT_BIN = fileURLToPath(new URL('../../bin/lookout.js', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'lookout-cli-'));
after(() => rmSync(dir, { recursive: true, force: true }));

/** Parses `serve` arguments without running it, as the real CLI would. */
async function parseServe(args: string[], env: Record<string, string> = {}) {
  const saved = { ...process.env };
  Object.assign(process.env, env);
  try {
    const command = serveCommand().action(() => {});
    command.hook('preAction', (thisCommand) => applyConfigFile(thisCommand));
    command.exitOverride();
    await command.parseAsync(args, { from: 'user' });
    return command.opts();
  } finally {
    process.env = saved;
  }
}

test('precedence: flags, then LOOKOUT_* variables, then the config file, then defaults', async () => {
  const config = join(dir, 'lookout.json');
  writeFileSync(
    config,
    JSON.stringify({ port: 7001, 'retention-hours': 12, source: ['http://a:19531', 'http://b:19531'] }),
  );
  const fromFile = await parseServe(['--config', config]);
  assert.equal(fromFile.port, 7001);
  assert.equal(fromFile.retentionHours, 12);
  assert.deepEqual(fromFile.source, ['http://a:19531', 'http://b:19531']);
  assert.equal(fromFile.host, '127.0.0.1', 'defaults fill the rest');

  const fromEnv = await parseServe(['--config', config], {
    LOOKOUT_PORT: '7002',
    LOOKOUT_SOURCES: 'http://c:1,http://d:2',
  });
  assert.equal(fromEnv.port, 7002);
  assert.deepEqual(fromEnv.source, ['http://c:1', 'http://d:2']);
  assert.equal(fromEnv.retentionHours, 12);

  const fromFlag = await parseServe(['--config', config, '--port', '7003'], { LOOKOUT_PORT: '7002' });
  assert.equal(fromFlag.port, 7003);
});

test('bad values are refused with the option named, from flags and from the config file alike', async () => {
  await assert.rejects(
    parseServe(['--port', 'eighty']),
    /--port must be a positive whole number, got "eighty"/,
  );
  const config = join(dir, 'bad.json');
  writeFileSync(config, JSON.stringify({ port: -1 }));
  await assert.rejects(parseServe(['--config', config]), /--port must be a positive whole number, got "-1"/);
  writeFileSync(config, JSON.stringify({ colour: 'blue' }));
  await assert.rejects(parseServe(['--config', config]), /unknown option "colour" for "serve"/);
  writeFileSync(config, '{ not json');
  await assert.rejects(parseServe(['--config', config]), /cannot read config file .*bad\.json/);
});

test('`lookout --help` documents every command and every LOOKOUT_* variable', async () => {
  const { stdout } = await run(process.execPath, [LOOKOUT_BIN, '--help']);
  for (const command of ['serve', 'import', 'agent'])
    assert.match(stdout, new RegExp(`lookout ${command} \\[options\\]`));
  for (const variable of [
    'LOOKOUT_SOURCES',
    'LOOKOUT_DATA',
    'LOOKOUT_PORT',
    'LOOKOUT_HOST',
    'LOOKOUT_TOKEN',
    'LOOKOUT_INGEST_TOKEN',
    'LOOKOUT_LOCAL',
    'LOOKOUT_CONFIG',
    'LOOKOUT_AGENT_TOKEN',
  ]) {
    assert.match(stdout, new RegExp(variable), `${variable} documented`);
  }
  for (const command of ['serve', 'import', 'agent']) {
    const help = await run(process.execPath, [LOOKOUT_BIN, command, '--help']);
    assert.match(help.stdout, /--data <dir>/, `${command} takes --data`);
  }
});
