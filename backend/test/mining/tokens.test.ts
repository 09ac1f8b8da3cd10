import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { TRUNCATED, WILDCARD, tokenize } from '../../src/mining/tokens.ts';

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

  it('reads only as far as it needs on a line of 100,000 tokens', () => {
    const line = Array.from({ length: 100_000 }, (_, index) => `t${index}`).join(' ');
    const started = performance.now();
    for (let round = 0; round < 100; round++) assert.equal(tokenize(line, 100, 128).length, 100);
    assert.ok(performance.now() - started < 200);
  });

  it('turns an overlong token into the wildcard', () => {
    assert.deepEqual(tokenize(`payload ${'x'.repeat(129)} end`, 100, 128), ['payload', WILDCARD, 'end']);
    assert.deepEqual(tokenize(`payload ${'x'.repeat(128)}`, 100, 128), ['payload', 'x'.repeat(128)]);
  });
});
