import assert from 'node:assert/strict';
import { test } from 'node:test';
import { startTestLookout } from '../lookout-fixture.ts';

const TOKEN = 'feedback-token';

test('"normal" feedback on an event mutes its template in the live detector at once; reverting unmutes', async () => {
  const lookout = await startTestLookout({ token: TOKEN });
  try {
    const seriesId = lookout.store.series.idOf('db-1', 'postgresql.service');
    const eventId = Number(
      lookout.store.db
        .prepare(
          `INSERT INTO events (series_id, start_us, end_us, score, reasons, templates, samples, minutes, status, created_ms, updated_ms)
           VALUES (?, 1, 2, 0.99, '["rare-template"]', '[{"id":42,"template":"checkpoint complete: <*>","count":3}]', '[]', 1, 'closed', 0, 0)`,
        )
        .run(seriesId).lastInsertRowid,
    );
    const headers = { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' };
    const response = await fetch(`${lookout.url}/api/v1/events/${eventId}/feedback`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ action: 'normal', scope: 'unit', note: 'nightly checkpoint' }),
    });
    assert.equal(response.status, 201, await response.clone().text());
    const detector = lookout.pipeline.detector;
    assert.ok(detector);
    assert.deepEqual(detector.entries.muteRules(), [
      { templateId: 42, host: 'db-1', unit: 'postgresql.service' },
    ]);

    const created = (await response.json()) as { rules?: { id: number }[]; id?: number };
    const ruleId = created.rules?.[0]?.id ?? created.id;
    const reverted = await fetch(`${lookout.url}/api/v1/feedback/${ruleId}`, {
      method: 'DELETE',
      headers: { authorization: `Bearer ${TOKEN}` },
    });
    assert.ok(reverted.ok, await reverted.text());
    assert.deepEqual(detector.entries.muteRules(), []);
  } finally {
    await lookout.stopAndClean();
  }
});
