import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { TRUNCATED, WILDCARD, tokenize } from '../../src/mining/tokens.ts';

/**
 * A message that notes the furthest character read from it, through the two ways tokenize reads:
 * a line of 100,000 tokens shows where reading stopped without timing it.
 */
function recordingReads(text: string): { message: string; furthestRead: () => number } {
  let furthest = -1;
  const message = {
    length: text.length,
    charCodeAt(index: number): number {
      furthest = Math.max(furthest, index);
      return text.charCodeAt(index);
    },
    slice(start: number, end: number): string {
      furthest = Math.max(furthest, end - 1);
      return text.slice(start, end);
    },
  };
  return { message: message as unknown as string, furthestRead: () => furthest };
}

describe('tokenize', () => {
  it('splits on runs of spaces, tabs, newlines and other control characters', () => {
    assert.deepEqual(tokenize('  a  b\tc\r\nd\u0000e  ', 100, 128), ['a', 'b', 'c', 'd', 'e']);
  });

  it('gives no tokens for an empty or blank message', () => {
    assert.deepEqual(tokenize('', 100, 128), []);
    assert.deepEqual(tokenize(' \t\n ', 100, 128), []);
  });

  it('keeps non-ASCII text as it is', () => {
    assert.deepEqual(tokenize('Ошибка диска – überprüfen 磁盘', 100, 128), [
      'Ошибка',
      'диска',
      '–',
      'überprüfen',
      '磁盘',
    ]);
  });

  it('keeps exactly maxTokens tokens, and folds a longer tail into one marker', () => {
    assert.deepEqual(tokenize('a b c', 3, 128), ['a', 'b', 'c']);
    assert.deepEqual(tokenize('a b c ', 3, 128), ['a', 'b', 'c']);
    assert.deepEqual(tokenize('a b c d e', 3, 128), ['a', 'b', TRUNCATED]);
  });

  it('reads no further than the first character after the tokens it keeps', () => {
    const tokens = Array.from({ length: 100_000 }, (_, index) => `t${index}`);
    const line = recordingReads(tokens.join(' '));
    const kept = tokenize(line.message, 100, 128);
    assert.deepEqual(kept, [...tokens.slice(0, 99), TRUNCATED]);
    assert.deepEqual(kept, tokenize(tokens.slice(0, 101).join(' '), 100, 128));
    const firstOfTail = tokens.slice(0, 100).join(' ').length + 1;
    assert.ok(
      line.furthestRead() <= firstOfTail,
      `read up to ${line.furthestRead()} of ${line.message.length}`,
    );
  });

  it('turns an overlong token into the wildcard', () => {
    assert.deepEqual(tokenize(`payload ${'x'.repeat(129)} end`, 100, 128), ['payload', WILDCARD, 'end']);
    assert.deepEqual(tokenize(`payload ${'x'.repeat(128)}`, 100, 128), ['payload', 'x'.repeat(128)]);
  });
});
