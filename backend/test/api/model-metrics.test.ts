// The models' age and training time in /metrics, as a scraper sees them, checked by promtool too.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import type { ModelTraining } from '../../src/api/routes/metrics.ts';
import { Store } from '../../src/store/store.ts';
import { missingTool } from '../../../test/support/system-tools.ts';
import { apiOnStore } from './api-on-store.ts';

test('/metrics reports each model in use: its version, age and how long its training took', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'lookout-model-metrics-'));
  const store = Store.open(dir);
  let models: ModelTraining[] = [];
  const app = apiOnStore(store, { models: () => models });
  try {
    const scrape = async () => (await app.inject({ method: 'GET', url: '/metrics' })).body;
    const before = await scrape();
    assert.match(before, /^# TYPE lookout_model_age_seconds gauge$/m);
    assert.doesNotMatch(before, /^lookout_model_age_seconds\{/m, 'no model trained yet: no samples');

    const now = Date.now();
    models = [
      { model: 'entries', version: '3', trainedAtMs: now - 90_000, seconds: 1.5 },
      { model: 'rates', version: 'a1b2c3', trainedAtMs: now - 3_600_000, seconds: null },
    ];
    const text = await scrape();
    const value = (series: string) => {
      const line = text.split('\n').find((candidate) => candidate.startsWith(`${series} `));
      assert.ok(line, `${series} in:\n${text}`);
      return Number(line.slice(series.length + 1));
    };
    assert.equal(value('lookout_model_info{model="entries",version="3"}'), 1);
    assert.equal(value('lookout_model_info{model="rates",version="a1b2c3"}'), 1);
    assert.ok(Math.abs(value('lookout_model_age_seconds{model="entries"}') - 90) < 5);
    assert.ok(Math.abs(value('lookout_model_age_seconds{model="rates"}') - 3600) < 5);
    assert.equal(value('lookout_model_training_seconds{model="entries"}'), 1.5);
    assert.doesNotMatch(text, /^lookout_model_training_seconds\{model="rates"\}/m);

    // Without promtool (outside CI) the format is left to the exposition's own tests.
    if (missingTool('prometheus', 'promtool') === false) {
      const check = spawnSync('promtool', ['check', 'metrics'], { input: text, encoding: 'utf8' });
      assert.equal(check.status, 0, check.stdout + check.stderr);
    }
  } finally {
    await app.close();
    store.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
