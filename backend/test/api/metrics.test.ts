import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { after, before, describe, test } from 'node:test';
import { missingTool } from '../../../test/support/system-tools.ts';
import { startTestLookout } from '../lookout-fixture.ts';

const INGEST_TOKEN = 'metrics-test-token';

function promtoolCheck(text: string): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn('promtool', ['check', 'metrics'], { stdio: ['pipe', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, output }));
    child.stdin.end(text);
  });
}

describe('GET /metrics', () => {
  let lookout: Awaited<ReturnType<typeof startTestLookout>>;
  let text: string;
  before(async () => {
    lookout = await startTestLookout({ ingestToken: INGEST_TOKEN });
    const lines = ['Started Session 1 of User a.', 'Started Session 2 of User b.', 'not json'];
    const body = lines
      .map((message) =>
        message === 'not json'
          ? message
          : JSON.stringify({
              MESSAGE: message,
              __REALTIME_TIMESTAMP: String(Date.now() * 1000),
              _HOSTNAME: 'h',
            }),
      )
      .join('\n');
    await fetch(`${lookout.url}/api/v1/ingest`, {
      method: 'POST',
      headers: { authorization: `Bearer ${INGEST_TOKEN}`, 'content-type': 'application/x-ndjson' },
      body,
    });
    const response = await fetch(`${lookout.url}/metrics`);
    assert.equal(response.status, 200);
    assert.match(response.headers.get('content-type') ?? '', /^text\/plain; version=0\.0\.4/);
    text = await response.text();
  });
  after(() => lookout.stopAndClean());

  test('reports per-source counts, parse errors, templates and evictions', () => {
    const value = (series: string) => {
      const line = text.split('\n').find((candidate) => candidate.startsWith(`${series} `));
      assert.ok(line, `${series} present in:\n${text}`);
      return Number(line.slice(series.length + 1));
    };
    assert.equal(value('lookout_source_entries_ingested_total{source="push:",kind="push"}'), 2);
    assert.equal(value('lookout_source_lines_rejected_total{source="push:",kind="push"}'), 1);
    assert.equal(value('lookout_source_up{source="push:",kind="push"}'), 1);
    assert.equal(value('lookout_templates'), 1);
    assert.equal(value('lookout_template_evictions_total'), 0);
    assert.equal(value('lookout_mined_lines_total'), 2);
  });

  test(
    'is valid exposition format for the real promtool',
    { skip: missingTool('prometheus', 'promtool') },
    async () => {
      const { code, output } = await promtoolCheck(text);
      assert.equal(code, 0, output);
    },
  );
});
