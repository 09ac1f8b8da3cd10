import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import { PromQLError } from '../../src/api/prometheus/errors.ts';
import { instantQuery } from '../../src/api/prometheus/evaluate.ts';
import { matrixOf, MINUTE, sourceWith, vectorAt } from './fixtures.ts';

const source = sourceWith([
  [{ __name__: 'errors_total', host: 'a', unit: 'ssh' }, [[0, 10]]],
  [{ __name__: 'errors_total', host: 'b', unit: 'ssh' }, [[0, 20]]],
  [{ __name__: 'requests_total', host: 'a', unit: 'ssh' }, [[0, 100]]],
  [{ __name__: 'requests_total', host: 'b', unit: 'ssh' }, [[0, 50]]],
  [{ __name__: 'requests_total', host: 'c', unit: 'ssh' }, [[0, 10]]],
  [{ __name__: 'capacity', host: 'a' }, [[0, 4]]],
  [{ __name__: 'capacity', host: 'b' }, [[0, 8]]],
  [{ __name__: 'capacity_ssh', unit: 'ssh' }, [[0, 1]]],
]);

const at = (query: string) => vectorAt(source, query, MINUTE);

function scalarAt(query: string): number {
  const result = instantQuery(source, query, MINUTE);
  assert.equal(result.resultType, 'scalar');
  return result.value;
}

function executionFails(query: string, message: string): void {
  assert.throws(
    () => instantQuery(source, query, MINUTE),
    (error: unknown) =>
      error instanceof PromQLError && error.errorType === 'execution' && error.message === message,
  );
}

describe('scalar with scalar', () => {
  test('arithmetic with Go semantics', () => {
    assert.equal(scalarAt('1 + 1'), 2);
    assert.equal(scalarAt('2 ^ 3 ^ 2'), 512, '^ is right-associative');
    assert.equal(scalarAt('-2 ^ 2'), -4);
    assert.equal(scalarAt('-7 % 3'), -1);
    assert.equal(scalarAt('1 / 0'), Infinity);
    assert.ok(Number.isNaN(scalarAt('0 / 0')));
    assert.equal(scalarAt('1 ^ NaN'), 1, "Go's math.Pow, unlike **");
    assert.equal(scalarAt('(-1) ^ Inf'), 1);
    assert.equal(scalarAt('1 atan2 1'), Math.PI / 4);
    assert.equal(scalarAt('(1 + 2) * 3'), 9);
  });

  test('comparisons need bool and give 1 or 0', () => {
    assert.equal(scalarAt('5 > bool 3'), 1);
    assert.equal(scalarAt('5 <= bool 3'), 0);
    assert.equal(scalarAt('NaN == bool NaN'), 0);
  });
});

describe('vector with scalar', () => {
  test('arithmetic drops the metric name, on either side', () => {
    const doubled = { '{host="a", unit="ssh"}': 20, '{host="b", unit="ssh"}': 40 };
    assert.deepEqual(at('errors_total * 2'), doubled);
    assert.deepEqual(at('2 * errors_total'), doubled);
    assert.deepEqual(at('100 / errors_total'), { '{host="a", unit="ssh"}': 10, '{host="b", unit="ssh"}': 5 });
    assert.deepEqual(at('-errors_total'), { '{host="a", unit="ssh"}': -10, '{host="b", unit="ssh"}': -20 });
    assert.deepEqual(at('+errors_total'), {
      '{__name__="errors_total", host="a", unit="ssh"}': 10,
      '{__name__="errors_total", host="b", unit="ssh"}': 20,
    });
  });

  test('a comparison filters and keeps the vector value and name, even with the scalar on the left', () => {
    assert.deepEqual(at('errors_total > 15'), { '{__name__="errors_total", host="b", unit="ssh"}': 20 });
    assert.deepEqual(at('15 < errors_total'), { '{__name__="errors_total", host="b", unit="ssh"}': 20 });
    assert.deepEqual(at('errors_total == 10'), { '{__name__="errors_total", host="a", unit="ssh"}': 10 });
  });

  test('with bool a comparison gives 1 or 0 for every series and drops the name', () => {
    assert.deepEqual(at('errors_total > bool 15'), {
      '{host="a", unit="ssh"}': 0,
      '{host="b", unit="ssh"}': 1,
    });
    assert.deepEqual(at('15 >= bool errors_total'), {
      '{host="a", unit="ssh"}': 1,
      '{host="b", unit="ssh"}': 0,
    });
  });

  test('series that become identical without their name are an error', () => {
    executionFails(
      '{__name__=~"errors_total|requests_total"} * 1',
      'vector cannot contain metrics with the same labelset',
    );
  });
});

describe('vector with vector, one-to-one', () => {
  test('match on all labels but the name; unmatched series drop out', () => {
    assert.deepEqual(at('errors_total / requests_total'), {
      '{host="a", unit="ssh"}': 0.1,
      '{host="b", unit="ssh"}': 0.4,
    });
  });

  test('comparisons filter on the left value, or give 1/0 with bool', () => {
    assert.deepEqual(at('errors_total > requests_total'), {});
    assert.deepEqual(at('requests_total > errors_total'), {
      '{__name__="requests_total", host="a", unit="ssh"}': 100,
      '{__name__="requests_total", host="b", unit="ssh"}': 50,
    });
    assert.deepEqual(at('errors_total >= bool requests_total'), {
      '{host="a", unit="ssh"}': 0,
      '{host="b", unit="ssh"}': 0,
    });
  });

  test('on (...) matches on the listed labels and keeps only them', () => {
    assert.deepEqual(at('errors_total + on (host) capacity'), { '{host="a"}': 14, '{host="b"}': 28 });
  });

  test('ignoring (...) matches on the other labels and drops the ignored ones', () => {
    assert.deepEqual(at('errors_total - ignoring (unit) capacity'), { '{host="a"}': 6, '{host="b"}': 12 });
  });

  test('duplicates on the right are a many-to-many error', () => {
    executionFails(
      'capacity + on (unit) errors_total',
      'found duplicate series for the match group {unit="ssh"} on the right hand-side of the operation: ' +
        '[{__name__="errors_total", host="b", unit="ssh"}, {__name__="errors_total", host="a", unit="ssh"}];' +
        'many-to-many matching not allowed: matching labels must be unique on one side',
    );
  });

  test('two left series matching one right series need group_left', () => {
    executionFails(
      'errors_total + on (unit) capacity_ssh',
      'multiple matches for labels: many-to-one matching must be explicit (group_left/group_right)',
    );
  });

  test('a right series matches at the steps where it has a value', () => {
    const moving = sourceWith([
      [
        { __name__: 'x', host: 'a' },
        [
          [0, 1],
          [60, 2],
          [120, 3],
        ],
      ],
      [
        { __name__: 'y', host: 'a', v: '1' },
        [
          [0, 10],
          [60, 'stale'],
        ],
      ],
      [{ __name__: 'y', host: 'a', v: '2' }, [[120, 30]]],
    ]);
    assert.deepEqual(matrixOf(moving, 'x * ignoring (v) y', 0, 2 * MINUTE, MINUTE), {
      '{host="a"}': [
        [0, 10],
        [120, 90],
      ],
    });
  });
});
