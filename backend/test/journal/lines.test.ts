import assert from 'node:assert/strict';
import { test } from 'node:test';
import { LineSplitter } from '../../src/journal/lines.ts';
import { isLineError, parseJournalLine } from '../../src/journal/parse.ts';

function split(chunks: Buffer[], maxLineBytes?: number) {
  const lines: [number, string][] = [];
  const oversized: [number, number][] = [];
  const splitter = new LineSplitter(
    {
      line: (text, number) => lines.push([number, text]),
      oversized: (number, bytes) => oversized.push([number, bytes]),
    },
    maxLineBytes,
  );
  for (const chunk of chunks) splitter.push(chunk);
  splitter.end();
  return { lines, oversized };
}

test('splits across chunk boundaries and inside multi-byte characters', () => {
  const bytes = Buffer.from('{"a":"é"}\n{"b":"日本"}\r\nlast');
  const chunks = [...bytes].map((byte) => Buffer.from([byte]));
  assert.deepEqual(split(chunks).lines, [
    [1, '{"a":"é"}'],
    [2, '{"b":"日本"}'],
    [3, 'last'],
  ]);
});

test('gives the same lines whatever the chunking, with non-ASCII lines among many ASCII ones', () => {
  const lines = Array.from({ length: 3000 }, (_, index) =>
    index % 397 === 0
      ? `{"MESSAGE":"Grüße ${index} 日本 \u{1F600}"}`
      : `{"MESSAGE":"line ${index} ${'x'.repeat(index % 50)}"}`,
  );
  const bytes = Buffer.from(lines.join('\n') + '\n');
  const expected = lines.map((text, index) => [index + 1, text]);
  for (const size of [1, 7, 4096, 8191, 65536, bytes.length]) {
    const chunks: Buffer[] = [];
    for (let start = 0; start < bytes.length; start += size) chunks.push(bytes.subarray(start, start + size));
    assert.deepEqual(split(chunks).lines, expected, `chunks of ${size} bytes`);
  }
});

test('a held partial line survives the caller reusing its chunk buffer', () => {
  const lines: string[] = [];
  const splitter = new LineSplitter({ line: (text) => lines.push(text), oversized: () => {} });
  const buffer = Buffer.from('first\nsec');
  splitter.push(buffer);
  buffer.write('XXXXXXXXX');
  splitter.push(Buffer.from('ond\n'));
  splitter.end();
  assert.deepEqual(lines, ['first', 'second']);
});

test('invalid UTF-8 in a line is decoded lossily, and the next lines are intact', () => {
  const bytes = Buffer.concat([Buffer.from('ok\nbad '), Buffer.from([0xff, 0xc3]), Buffer.from('\nnext\n')]);
  assert.deepEqual(split([bytes]).lines, [
    [1, 'ok'],
    [2, 'bad \uFFFD\uFFFD'],
    [3, 'next'],
  ]);
});

test('the line limit counts bytes, not characters', () => {
  const { lines, oversized } = split([Buffer.from('ééééé\nabc\n')], 8);
  assert.deepEqual(lines, [[2, 'abc']]);
  assert.deepEqual(oversized, [[1, 10]]);
});

test('an over-long line is reported with its number and the next lines still arrive', () => {
  const { lines, oversized } = split(
    [Buffer.from('short\n' + 'x'.repeat(100)), Buffer.from('y'.repeat(50) + '\nafter\n')],
    64,
  );
  assert.deepEqual(lines, [
    [1, 'short'],
    [3, 'after'],
  ]);
  assert.deepEqual(oversized, [[2, 150]]);
});

test('a line that is not JSON, or not an object, is an error with its line number', () => {
  assert.deepEqual(parseJournalLine('{"MESSAGE": "ok"', 7), {
    line: 7,
    error: `invalid JSON: ${errorOf('{"MESSAGE": "ok"')}`,
  });
  assert.deepEqual(parseJournalLine('[1,2]', 8), { line: 8, error: 'not a JSON object' });
  const parsed = parseJournalLine('{"MESSAGE":"ok","__REALTIME_TIMESTAMP":"1"}', 9);
  assert.ok(parsed !== null && !isLineError(parsed) && parsed.message === 'ok');
});

test('blank lines carry nothing and are not errors', () => {
  assert.equal(parseJournalLine('', 1), null);
  assert.equal(parseJournalLine('   \t', 2), null);
});

function errorOf(text: string): string {
  try {
    JSON.parse(text);
  } catch (error) {
    return (error as Error).message;
  }
  return '';
}
