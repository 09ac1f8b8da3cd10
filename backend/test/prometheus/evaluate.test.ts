import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import { PromQLError } from '../../src/api/prometheus/errors.ts';
import { instantQuery, rangeQuery, withRangeQuery } from '../../src/api/prometheus/evaluate.ts';
import { formatLabels } from '../../src/api/prometheus/labels.ts';
import { assertClose, matrixOf, MINUTE, SECOND, sourceWith, vectorAt } from './fixtures.ts';

const gauges = sourceWith([
  [
    { __name__: 'g', host: 'a' },
    [
      [0, 1],
      [60, 2],
      [600, 3],
    ],
  ],
  [
    { __name__: 'g', host: 'b' },
    [
      [0, 10],
      [60, 'stale'],
    ],
  ],
]);

describe('instant vector selectors', () => {
  test('take the newest sample within the 5 minute lookback', () => {
    assert.deepEqual(vectorAt(gauges, 'g', 30 * SECOND), {
      '{__name__="g", host="a"}': 1,
      '{__name__="g", host="b"}': 10,
    });
    assert.deepEqual(vectorAt(gauges, 'g', 359_999), { '{__name__="g", host="a"}': 2 });
    assert.deepEqual(vectorAt(gauges, 'g', 600 * SECOND), { '{__name__="g", host="a"}': 3 });
  });

  test('exclude a sample exactly 5 minutes old (left-open window, as in Prometheus 3)', () => {
    assert.deepEqual(vectorAt(gauges, 'g', 360 * SECOND), {});
  });

  test('a stale marker ends the series at once', () => {
    assert.deepEqual(vectorAt(gauges, 'g{host="b"}', 59_999), { '{__name__="g", host="b"}': 10 });
    assert.deepEqual(vectorAt(gauges, 'g{host="b"}', 60 * SECOND), {});
    assert.deepEqual(vectorAt(gauges, 'g{host="b"}', 200 * SECOND), {});
  });

  test('offset moves the evaluation time back and keeps the metric name', () => {
    assert.deepEqual(vectorAt(gauges, 'g{host="a"} offset 1m', 120 * SECOND), {
      '{__name__="g", host="a"}': 2,
    });
    assert.deepEqual(vectorAt(gauges, 'g{host="a"} offset -9m', 60 * SECOND), {
      '{__name__="g", host="a"}': 3,
    });
  });

  test('the lookback delta can be changed per query; zero means the default', () => {
    const result = instantQuery(gauges, 'g{host="a"}', 121 * SECOND, { lookbackDeltaMs: MINUTE });
    assert.deepEqual(result, { resultType: 'vector', timeMs: 121 * SECOND, samples: [] });
    const fallback = instantQuery(gauges, 'g{host="a"}', 121 * SECOND, { lookbackDeltaMs: 0 });
    assert.equal(fallback.resultType === 'vector' && fallback.samples.length, 1);
  });

  test('matchers select by label and by __name__', () => {
    assert.deepEqual(Object.keys(vectorAt(gauges, '{__name__=~"g|h", host!="a"}', 0)), [
      '{__name__="g", host="b"}',
    ]);
    assert.deepEqual(Object.keys(vectorAt(gauges, 'g{host=~"a|b", host!~"b"}', 0)), [
      '{__name__="g", host="a"}',
    ]);
    assert.deepEqual(
      Object.keys(vectorAt(gauges, 'g{nolabel=""}', 0)).length,
      2,
      'a missing label equals ""',
    );
  });
});

describe('range queries', () => {
  test('evaluate at start, start + step, ... up to end, without aligning to the step', () => {
    assert.deepEqual(matrixOf(gauges, 'g', 30 * SECOND, 150 * SECOND, MINUTE), {
      '{__name__="g", host="a"}': [
        [30, 1],
        [90, 2],
        [150, 2],
      ],
      '{__name__="g", host="b"}': [[30, 10]],
    });
  });

  test('a result lent until its use returns is the same, and so is the next one', () => {
    const queries = ['g', 'sum(g)', 'g * 2', 'max_over_time(g[5m]) > 1', '-g'];
    const copied = (query: string) =>
      withRangeQuery(gauges, query, 0, 900 * SECOND, 30 * SECOND, {}, (result) =>
        result.series.map(({ labels, timestamps, values }) => ({
          labels,
          timestamps: [...timestamps],
          values: [...values],
        })),
      );
    for (const query of [...queries, ...queries]) {
      const expected = rangeQuery(gauges, query, 0, 900 * SECOND, 30 * SECOND).series.map(
        ({ labels, timestamps, values }) => ({ labels, timestamps: [...timestamps], values: [...values] }),
      );
      assert.deepEqual(copied(query), expected, query);
    }
  });

  test('a scalar expression gives one series with empty labels', () => {
    assert.deepEqual(matrixOf(gauges, '1 + 1', 0, 120 * SECOND, MINUTE), {
      '{}': [
        [0, 2],
        [60, 2],
        [120, 2],
      ],
    });
  });

  test('reject what Prometheus rejects', () => {
    const fails = (run: () => unknown, message: string) =>
      assert.throws(
        run,
        (error: unknown) =>
          error instanceof PromQLError && error.errorType === 'bad_data' && error.message === message,
      );
    fails(
      () => rangeQuery(gauges, 'g[5m]', 0, MINUTE, MINUTE),
      'invalid expression type "range vector" for range query, must be Scalar or instant Vector',
    );
    fails(
      () => rangeQuery(gauges, '"text"', 0, MINUTE, MINUTE),
      'invalid expression type "string" for range query, must be Scalar or instant Vector',
    );
    fails(() => rangeQuery(gauges, 'g', MINUTE, 0, MINUTE), 'end timestamp must not be before start time');
    fails(
      () => rangeQuery(gauges, 'g', 0, MINUTE, 0),
      'zero or negative query resolution step widths are not accepted. Try a positive integer',
    );
    fails(
      () => rangeQuery(gauges, 'g', 0, 11_001 * SECOND, SECOND),
      'exceeded maximum resolution of 11,000 points per timeseries. Try decreasing the query resolution (?step=XX)',
    );
    assert.equal(rangeQuery(gauges, '1', 0, 11_000 * SECOND, SECOND).series[0]?.timestamps.length, 11_001);
  });

  test("refuse to hold more points than Prometheus's default query.max-samples", () => {
    const many = sourceWith(
      Array.from({ length: 5000 }, (_, i) => [{ __name__: 'm', i: String(i) }, [[0, 1]]] as const),
    );
    assert.throws(
      () => rangeQuery(many, 'sum(m)', 0, 11_000 * SECOND, SECOND),
      (error: unknown) =>
        error instanceof PromQLError &&
        error.errorType === 'execution' &&
        error.message === 'query processing would load too many samples into memory in query execution',
    );
  });
});

describe('instant query result types', () => {
  test('scalar, string, vector at the evaluation time, matrix of raw samples', () => {
    assert.deepEqual(instantQuery(gauges, '1+1', 5000), { resultType: 'scalar', timeMs: 5000, value: 2 });
    assert.deepEqual(instantQuery(gauges, '"hello"', 5000), {
      resultType: 'string',
      timeMs: 5000,
      value: 'hello',
    });
    // Window (0s, 300s]: host a's sample at 0 is exactly 5m old and b has only that and a stale marker.
    const raw = instantQuery(gauges, 'g[5m]', 300 * SECOND);
    assert.equal(raw.resultType, 'matrix');
    assert.deepEqual(
      raw.series.map((series) => [formatLabels(series.labels), [...series.timestamps], [...series.values]]),
      [['{__name__="g", host="a"}', [60_000], [2]]],
    );
  });
});

const counters = sourceWith([
  [{ __name__: 'c_total', host: 'a' }, Array.from({ length: 11 }, (_, i) => [i * 60, i * 60] as const)],
  [
    { __name__: 'reset_total', host: 'a' },
    [
      [60, 10],
      [120, 20],
      [180, 30],
      [240, 5],
      [300, 15],
    ],
  ],
  [
    { __name__: 'late_total', host: 'a' },
    [
      [120, 1],
      [180, 61],
      [240, 121],
    ],
  ],
  [{ __name__: 'early_total', host: 'a' }, Array.from({ length: 5 }, (_, i) => [i * 60, i * 60] as const)],
]);

describe('rate and increase extrapolate exactly like Prometheus', () => {
  test('a steady counter: 1 per second', () => {
    // Window (300s, 600s]: samples at 360..600 cover 240s; the start edge is 60s away, within 1.1 × the
    // 60s interval, so the increase extrapolates to the full 300s: 240 × 300/240 = 300.
    assert.deepEqual(vectorAt(counters, 'increase(c_total[5m])', 600 * SECOND), { '{host="a"}': 300 });
    assert.deepEqual(vectorAt(counters, 'rate(c_total[5m])', 600 * SECOND), { '{host="a"}': 1 });
    assert.deepEqual(vectorAt(counters, 'rate(c_total[5m])', 630 * SECOND), { '{host="a"}': 1 });
  });

  test('a counter reset adds the value before the drop', () => {
    // 15 - 10 + 30 (reset) = 35 over 240s, extrapolated 60s to the start: 35 × 300/240.
    assert.deepEqual(vectorAt(counters, 'increase(reset_total[5m])', 300 * SECOND), { '{host="a"}': 43.75 });
  });

  test('extrapolation stops at the zero point of a counter that started inside the window', () => {
    // 120 over 120s; the start edge is 180s away (too far: half an interval, 30s, would be used), but
    // the counter was 0 only 1s before its first sample: (120 + 1) / 120 × 120 = 121.
    const [increase] = Object.values(vectorAt(counters, 'increase(late_total[5m])', 240 * SECOND));
    assertClose(increase, 121);
    const [rate] = Object.values(vectorAt(counters, 'rate(late_total[5m])', 240 * SECOND));
    assertClose(rate, 121 / 300);
  });

  test('a series that ended inside the window extrapolates half an interval past its last sample', () => {
    // Window (120s, 420s]: samples at 180 and 240 (60 apart), 60s from the start edge (extrapolate
    // fully), 180s from the end edge (only 30s): 60 × (60 + 60 + 30) / 60 = 150.
    assert.deepEqual(vectorAt(counters, 'increase(early_total[5m])', 420 * SECOND), { '{host="a"}': 150 });
  });

  test('fewer than two samples give no result', () => {
    assert.deepEqual(vectorAt(counters, 'rate(early_total[1m])', 240 * SECOND), {});
  });

  test('series with sample times of their own, interleaved, each get their own windows', () => {
    // Five timestamp sets, more than the windows remembered at once, visited in turn and again.
    const points = (start: number): [number, number][] =>
      Array.from({ length: 20 }, (_, i) => [start + 60 * i, (start / 10) * i * i]);
    const starts = [0, 120, 0, 300, 60, 0, 240, 120, 30];
    const source = sourceWith(
      starts.map((start, i) => [{ __name__: 'c_total', i: String(i) }, points(start)]),
    );
    const all = matrixOf(source, 'rate(c_total[3m])', 0, 20 * MINUTE, MINUTE);
    starts.forEach((start, i) => {
      const alone = matrixOf(
        sourceWith([[{ __name__: 'c_total', i: String(i) }, points(start)]]),
        'rate(c_total[3m])',
        0,
        20 * MINUTE,
        MINUTE,
      );
      assert.deepEqual(all[`{i="${i}"}`], alone[`{i="${i}"}`]);
    });
  });
});

const windows = sourceWith([
  [
    { __name__: 'w', case: 'plain' },
    [
      [60, 1],
      [120, 2],
      [180, 3],
      [240, 4],
    ],
  ],
  [
    { __name__: 'w', case: 'nan' },
    [
      [60, NaN],
      [120, 1],
      [180, NaN],
      [240, 0.5],
    ],
  ],
  [
    { __name__: 'w', case: 'cancelling' },
    [
      [60, 1e100],
      [120, 1],
      [180, -1e100],
      [240, 'stale'],
    ],
  ],
]);

describe('*_over_time functions', () => {
  test('avg, max, min, sum and count over the window; the metric name is dropped', () => {
    const at = (fn: string) => vectorAt(windows, `${fn}(w{case="plain"}[5m])`, 240 * SECOND);
    assert.deepEqual(at('avg_over_time'), { '{case="plain"}': 2.5 });
    assert.deepEqual(at('max_over_time'), { '{case="plain"}': 4 });
    assert.deepEqual(at('min_over_time'), { '{case="plain"}': 1 });
    assert.deepEqual(at('sum_over_time'), { '{case="plain"}': 10 });
    assert.deepEqual(at('count_over_time'), { '{case="plain"}': 4 });
    assert.deepEqual(vectorAt(windows, 'max_over_time(w{case="plain"}[1m])', 240 * SECOND), {
      '{case="plain"}': 4,
    });
  });

  test('NaN loses to any number in max and min, as in Prometheus', () => {
    assert.deepEqual(vectorAt(windows, 'max_over_time(w{case="nan"}[5m])', 240 * SECOND), {
      '{case="nan"}': 1,
    });
    assert.deepEqual(vectorAt(windows, 'min_over_time(w{case="nan"}[5m])', 240 * SECOND), {
      '{case="nan"}': 0.5,
    });
    assert.deepEqual(vectorAt(windows, 'max_over_time(w{case="nan"}[1m])', 180 * SECOND), {
      '{case="nan"}': NaN,
    });
  });

  test('sums are compensated, and stale markers are not samples', () => {
    assert.deepEqual(vectorAt(windows, 'sum_over_time(w{case="cancelling"}[5m])', 240 * SECOND), {
      '{case="cancelling"}': 1,
    });
    assert.deepEqual(vectorAt(windows, 'count_over_time(w{case="cancelling"}[5m])', 240 * SECOND), {
      '{case="cancelling"}': 3,
    });
  });

  test('two inputs that become the same series once the name is dropped are an error', () => {
    const clash = sourceWith([
      [{ __name__: 'x', host: 'a' }, [[0, 1]]],
      [{ __name__: 'y', host: 'a' }, [[0, 2]]],
    ]);
    assert.throws(
      () => instantQuery(clash, 'sum_over_time({__name__=~"x|y"}[5m])', MINUTE),
      (error: unknown) =>
        error instanceof PromQLError &&
        error.errorType === 'execution' &&
        error.message === 'vector cannot contain metrics with the same labelset',
    );
  });
});
