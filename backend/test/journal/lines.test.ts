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
