import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import { PromQLError } from '../../src/api/prometheus/errors.ts';
import { instantQuery } from '../../src/api/prometheus/evaluate.ts';
import { matrixOf, MINUTE, sourceWith, vectorAt, vectorOrder } from './fixtures.ts';

const scores = sourceWith([
  [{ __name__: 's', host: 'a', unit: 'ssh' }, [[0, 0.25]]],
  [{ __name__: 's', host: 'a', unit: 'cron' }, [[0, 0.5]]],
  [{ __name__: 's', host: 'b', unit: 'ssh' }, [[0, 0.75]]],
  [{ __name__: 's', host: 'b', unit: 'cron' }, [[0, 1]]],
  [{ __name__: 's', host: 'c', unit: 'ssh' }, [[0, NaN]]],
  [{ __name__: 'big', n: '1' }, [[0, 1e308]]],
  [{ __name__: 'big', n: '2' }, [[0, 1e308]]],
  [{ __name__: 'tie', n: '1' }, [[0, 7]]],
  [{ __name__: 'tie', n: '2' }, [[0, 7]]],
  [{ __name__: 'tie', n: '3' }, [[0, 7]]],
]);

const at = (query: string) => vectorAt(scores, query, MINUTE);

describe('sum, avg, max, min, count', () => {
  test('by and without, in either position, drop the metric name', () => {
    const byHost = { '{host="a"}': 0.75, '{host="b"}': 1.75, '{host="c"}': NaN };
    assert.deepEqual(at('sum by (host) (s)'), byHost);
    assert.deepEqual(at('sum(s) by (host)'), byHost);
    assert.deepEqual(at('sum without (unit) (s)'), byHost);
    assert.deepEqual(at('sum(s) without (unit)'), byHost);
    assert.deepEqual(at('sum(s{host!="c"})'), { '{}': 2.5 });
    assert.deepEqual(at('count without (host, unit) (s)'), { '{}': 5 });
  });

  test('by (__name__) keeps the name; a missing grouping label is left out', () => {
    assert.deepEqual(at('sum by (__name__) (s{host!="c"})'), { '{__name__="s"}': 2.5 });
    assert.deepEqual(at('count by (host, nolabel) (s)'), {
      '{host="a"}': 2,
      '{host="b"}': 2,
      '{host="c"}': 1,
    });
  });

  test('avg, max, min, count by host; NaN loses to any number in max and min', () => {
    assert.deepEqual(at('avg by (host) (s)'), {
      '{host="a"}': 0.375,
      '{host="b"}': 0.875,
      '{host="c"}': NaN,
    });
    assert.deepEqual(at('max by (host) (s)'), { '{host="a"}': 0.5, '{host="b"}': 1, '{host="c"}': NaN });
    assert.deepEqual(at('max(s)'), { '{}': 1 });
    assert.deepEqual(at('min(s)'), { '{}': 0.25 });
    assert.deepEqual(at('count(s)'), { '{}': 5 });
  });

  test('avg switches to an incremental mean instead of overflowing', () => {
    assert.deepEqual(at('avg(big)'), { '{}': 1e308 });
    assert.deepEqual(at('sum(big)'), { '{}': Infinity });
  });

  test('a range query sums with compensation whether or not a series has every step', () => {
    // n=1 has no point at 0; the others have one at every step.
    const series = sourceWith([
      [{ __name__: 'w', n: '1' }, [[60, 5]]],
      [{ __name__: 'w', n: '2' }, [[0, 1e100]]],
      [{ __name__: 'w', n: '3' }, [[0, 1]]],
      [{ __name__: 'w', n: '4' }, [[0, -1e100]]],
    ]);
    assert.deepEqual(matrixOf(series, 'sum(w)', 0, 2 * MINUTE, MINUTE), {
      '{}': [
        [0, 1],
        [60, 6],
        [120, 6],
      ],
    });
  });

  test('steps without a point stay without one whatever an earlier query left in reused memory', () => {
    const minutes = (value: number) =>
      Array.from({ length: 11 }, (_, i): [number, number] => [60 * i, value]);
    const series = sourceWith([
      [{ __name__: 'full', n: '1' }, minutes(7)],
      [{ __name__: 'full', n: '2' }, minutes(9)],
      // No point from 300 s to 540 s (5 minutes of lookback), n=2 none from 300 s on.
      [
        { __name__: 'gappy', n: '1' },
        [
          [0, 1],
          [600, 2],
        ],
      ],
      [{ __name__: 'gappy', n: '2' }, [[0, 3]]],
    ]);
    const early = (value: number): [number, number][] => [0, 60, 120, 180, 240].map((t) => [t, value]);
    const expected: Record<string, Record<string, [number, number][]>> = {
      'sum(gappy)': { '{}': [...early(4), [600, 2]] },
      'max(gappy)': { '{}': [...early(3), [600, 2]] },
      'count(gappy)': { '{}': [...early(2), [600, 1]] },
      'avg(gappy)': { '{}': [...early(2), [600, 2]] },
      'sum(gappy > 1)': { '{}': [...early(3), [600, 2]] },
      'sum(gappy + 1)': { '{}': [...early(6), [600, 3]] },
      'topk(1, gappy)': { '{__name__="gappy", n="1"}': [[600, 2]], '{__name__="gappy", n="2"}': early(3) },
    };
    for (const [query, result] of Object.entries(expected)) {
      matrixOf(series, 'sum(full * 2)', 0, 10 * MINUTE, MINUTE);
      assert.deepEqual(matrixOf(series, query, 0, 10 * MINUTE, MINUTE), result, query);
    }
  });

  test('an empty input gives an empty result', () => {
    assert.deepEqual(at('sum(nothing)'), {});
  });

  test('aggregations nested in an aggregation, beside a selection it still reads, and repeated', () => {
    // The inner sum's input is taken and handed back while the selection of s{unit="ssh"} waits to be
    // read, and the selection of s{unit="cron"} is taken after it.
    const query = 'max by (host) (s{unit="ssh"} + on (host) (sum by (host) (s) + on (host) s{unit="cron"}))';
    const expected = { '{host="a"}': 1.5, '{host="b"}': 3.5 };
    assert.deepEqual(at(query), expected);
    assert.deepEqual(at(`${query} + 0 * sum by (host) (s)`), expected);
    assert.deepEqual(at(query), expected);
  });
});

describe('topk and bottomk', () => {
  test('keep all labels and come back best first', () => {
    assert.deepEqual(vectorOrder(scores, 'topk(2, s)', MINUTE), [
      '{__name__="s", host="b", unit="cron"}',
      '{__name__="s", host="b", unit="ssh"}',
    ]);
    assert.deepEqual(vectorOrder(scores, 'bottomk(2, s)', MINUTE), [
      '{__name__="s", host="a", unit="ssh"}',
      '{__name__="s", host="a", unit="cron"}',
    ]);
  });

  test('NaN ranks last for both', () => {
    assert.equal(vectorOrder(scores, 'topk(5, s)', MINUTE).at(-1), '{__name__="s", host="c", unit="ssh"}');
    assert.equal(vectorOrder(scores, 'bottomk(5, s)', MINUTE).at(-1), '{__name__="s", host="c", unit="ssh"}');
  });

  test('per group, groups in order of first appearance', () => {
    assert.deepEqual(vectorOrder(scores, 'topk(1, s) by (host)', MINUTE), [
      '{__name__="s", host="a", unit="cron"}',
      '{__name__="s", host="b", unit="cron"}',
      '{__name__="s", host="c", unit="ssh"}',
    ]);
    assert.deepEqual(at('bottomk by (unit) (1, s)'), {
      '{__name__="s", host="a", unit="cron"}': 0.5,
      '{__name__="s", host="a", unit="ssh"}': 0.25,
    });
  });

  test('ties keep the earlier series, as Go heap selection does', () => {
    assert.deepEqual(vectorOrder(scores, 'topk(2, tie)', MINUTE), [
      '{__name__="tie", n="1"}',
      '{__name__="tie", n="2"}',
    ]);
  });

  test('k comes from a scalar expression; k < 1 gives nothing; bad k is an error', () => {
    assert.deepEqual(Object.keys(at('topk(1 + 1, s)')).length, 2);
    assert.deepEqual(at('topk(0, s)'), {});
    assert.deepEqual(Object.keys(at('topk(100, s)')).length, 5);
    const fails = (query: string, message: string) =>
      assert.throws(
        () => instantQuery(scores, query, MINUTE),
        (error: unknown) =>
          error instanceof PromQLError && error.errorType === 'execution' && error.message === message,
      );
    fails('topk(NaN, s)', 'Parameter value is NaN');
    fails('topk(1e20, s)', 'Scalar value 1e+20 overflows int64');
    fails('topk(Inf, s)', 'Scalar value +Inf overflows int64');
  });

  test('in a range query, a series appears at the steps where it ranked', () => {
    const swapping = sourceWith([
      [
        { __name__: 'r', n: '1' },
        [
          [0, 1],
          [60, 3],
        ],
      ],
      [
        { __name__: 'r', n: '2' },
        [
          [0, 2],
          [60, 2],
        ],
      ],
    ]);
    assert.deepEqual(matrixOf(swapping, 'topk(1, r)', 0, MINUTE, MINUTE), {
      '{__name__="r", n="1"}': [[60, 3]],
      '{__name__="r", n="2"}': [[0, 2]],
    });
  });
});
