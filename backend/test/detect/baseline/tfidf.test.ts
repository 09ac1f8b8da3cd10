import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ENGLISH_STOP_WORDS } from '../../../src/detect/baseline/stop-words.ts';
import { tokenize, TfidfVectorizer } from '../../../src/detect/baseline/tfidf.ts';

function assertClose(actual: ArrayLike<number>, expected: number[], tolerance = 1e-8): void {
  assert.equal(actual.length, expected.length);
  expected.forEach((value, i) => {
    assert.ok(Math.abs((actual[i] ?? NaN) - value) <= tolerance, `[${i}] ${actual[i]} ≠ ${value}`);
  });
}

describe('tokenize', () => {
  test('keeps runs of two or more Unicode word characters, lowercased, like `(?u)\\b\\w\\w+\\b`', () => {
    assert.deepEqual(tokenize('a Disk_1 x sda2: user@host:22 Grüße, 日本 ½½ -'), [
      'disk_1',
      'sda2',
      'user',
      'host',
      '22',
      'grüße',
      '日本',
      '½½',
    ]);
  });

  test('drops stop words after lowercasing', () => {
    assert.deepEqual(tokenize('The disk is FULL on sda', ENGLISH_STOP_WORDS), ['disk', 'sda']);
  });
});

describe('ENGLISH_STOP_WORDS', () => {
  test("is scikit-learn's list, its misspellings included", () => {
    assert.equal(ENGLISH_STOP_WORDS.size, 318);
    for (const word of ['a', 'amoungst', 'couldnt', 'hasnt', 'noone', 'system', 'yourselves']) {
      assert.ok(ENGLISH_STOP_WORDS.has(word), word);
    }
    assert.ok(!ENGLISH_STOP_WORDS.has('error'));
  });
});

describe('TfidfVectorizer', () => {
  // Stop words leave: d0 = [disk], d1 = [disk, error, sda], d2 = [disk, disk, error].
  const corpus = ['the disk is full', 'disk error on sda', 'Disk disk ERROR'];

  test('matches smooth idf and l2-normalised raw counts computed by hand', () => {
    const vectorizer = TfidfVectorizer.fit(corpus, { stopWords: ENGLISH_STOP_WORDS, maxFeatures: 100 });
    assert.deepEqual(vectorizer.vocabulary, ['disk', 'error', 'sda']);
    // idf = ln((1 + 3 documents) / (1 + document frequency)) + 1, document frequencies 3, 2, 1.
    const idfError = Math.log(4 / 3) + 1;
    const idfSda = Math.log(4 / 2) + 1;
    assertClose(vectorizer.idf, [1, idfError, idfSda], 1e-15);
    const normD1 = Math.sqrt(1 + idfError ** 2 + idfSda ** 2);
    const normD2 = Math.sqrt(2 ** 2 + idfError ** 2);
    const matrix = vectorizer.transform(corpus);
    assertClose(matrix, [
      1,
      0,
      0,
      1 / normD1,
      idfError / normD1,
      idfSda / normD1,
      2 / normD2,
      idfError / normD2,
      0,
    ]);
    // The same figures from scikit-learn 1.2 TfidfVectorizer(max_features=100, stop_words='english').
    assertClose(matrix, [1, 0, 0, 0.42544054, 0.54783215, 0.72033345, 0.84080197, 0.54134281, 0]);
  });

  test('keeps the terms most frequent over the whole corpus, equal counts in alphabetical order', () => {
    const documents = ['alpha alpha alpha', 'beta gamma', 'beta gamma', 'delta'];
    assert.deepEqual(TfidfVectorizer.fit(documents, { maxFeatures: 1 }).vocabulary, ['alpha']);
    assert.deepEqual(TfidfVectorizer.fit(documents, { maxFeatures: 2 }).vocabulary, ['alpha', 'beta']);
    assert.deepEqual(TfidfVectorizer.fit(documents).vocabulary, ['alpha', 'beta', 'delta', 'gamma']);
  });

  test('gives a zero row to a document without vocabulary terms', () => {
    const vectorizer = TfidfVectorizer.fit(corpus, { stopWords: ENGLISH_STOP_WORDS });
    assert.deepEqual([...vectorizer.transform(['nothing known here', 'sda'])], [0, 0, 0, 0, 0, 1]);
  });
});
