import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { decodeSnapshot, encodeSnapshot } from '../../src/store/snapshot-codec.ts';
import { Store } from '../../src/store/store.ts';

const dirs: string[] = [];
after(() => dirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

const sample = () => ({
  format: 'test/1',
  name: 'ünïcode ✓',
  nested: [{ rows: Float64Array.of(0.1, -0, Infinity, 1e-300), marks: Uint8Array.of(1, 0, 1) }, null, 3],
  words: Uint32Array.of(0xffffffff, 7),
  ints: Int32Array.of(-5),
  halves: Uint16Array.of(65535),
  shorts: Int16Array.of(-2),
  floats: Float32Array.of(1.5),
  empty: new Float64Array(0),
  // A view into part of a larger buffer: only its own bytes are saved.
  window: new Float64Array([9, 8, 7, 6]).subarray(1, 3),
});

test('plain data with typed arrays comes back equal, each array of its own kind', () => {
  const decoded = decodeSnapshot<ReturnType<typeof sample>>(encodeSnapshot(sample()));
  assert.deepEqual(decoded, sample());
  assert.ok(decoded.window instanceof Float64Array);
});

test('typed arrays are saved as their bytes, not as text', () => {
  const rows = new Float64Array(100_000).map((_, index) => Math.sqrt(index));
  const encoded = encodeSnapshot({ rows });
  assert.ok(encoded.length < rows.byteLength + 128, `${encoded.length} bytes for ${rows.byteLength}`);
});

test('a cut snapshot is refused', () => {
  const encoded = encodeSnapshot(sample());
  assert.throws(() => decodeSnapshot(encoded.subarray(0, encoded.length - 8)), /outside its bytes/);
  assert.throws(() => decodeSnapshot(Buffer.from('{"format":1}')), /not an encoded model snapshot/);
});

test('the model table saves snapshots as bytes and still reads the JSON text earlier versions saved', () => {
  const dir = mkdtempSync(join(tmpdir(), 'lookout-models-'));
  dirs.push(dir);
  const store = Store.open(dir);
  store.models.put('scorer', 3, sample());
  assert.deepEqual(store.models.get('scorer')?.snapshot, sample());
  assert.equal(store.models.get('scorer')?.version, 3);
  store.db
    .prepare('INSERT INTO model_snapshots (name, version, saved_ms, data) VALUES (?, ?, ?, ?)')
    .run('old', 1, 0, JSON.stringify({ format: 'old/1', weights: 'AAAA' }));
  assert.deepEqual(store.models.get('old')?.snapshot, { format: 'old/1', weights: 'AAAA' });
  assert.equal(store.models.get('missing'), null);
  store.close();
});
