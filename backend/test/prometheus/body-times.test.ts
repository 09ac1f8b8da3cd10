// A body copies the text of the times that its series share from the first series that wrote it:
// the same bytes as writing every point.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { queryResponseBody } from '../../src/api/prometheus/format.ts';
import type { MatrixResult, ResultSeries } from '../../src/api/prometheus/results.ts';
import { formatSampleValue, formatTimestamp } from '../../src/api/prometheus/sample-text.ts';

/** The body as JSON.stringify would spell it. */
function expectedBody(series: readonly ResultSeries[]): string {
  const result = series.map(({ labels, timestamps, values }) => ({
    metric: labels,
    values: [...timestamps].map((ms, i) => [
      '@' + formatTimestamp(ms),
      formatSampleValue(values[i] as number),
    ]),
  }));
  const text = JSON.stringify({ status: 'success', data: { resultType: 'matrix', result } });
  return text.replace(/"@([^"]+)"/g, '$1');
}

test('series that share their times, by turns with series of their own times, are written as any other', () => {
  const shared = Float64Array.from([
    1_700_000_000_000, 1_700_000_060_000, 1_700_000_120_500, 1_700_000_180_000,
  ]);
  const otherTimes = Float64Array.from([-1500, 0, 12_500, 99_999_999_999_999]);
  const values = (seed: number) =>
    Float64Array.from([seed, seed / 3, -seed * 1e-7, seed === 1 ? NaN : Infinity]);
  const series: ResultSeries[] = [
    { labels: { n: '1' }, timestamps: shared, values: values(1) },
    { labels: { n: '2' }, timestamps: shared, values: values(2) },
    { labels: { n: '3' }, timestamps: shared, values: values(3) },
    { labels: { n: '4' }, timestamps: otherTimes, values: values(4) },
    { labels: { n: '5' }, timestamps: shared, values: values(5) },
    { labels: { n: '6' }, timestamps: shared, values: values(6) },
    { labels: { n: '7' }, timestamps: shared.subarray(0, 2), values: values(7).subarray(0, 2) },
    { labels: { n: '8' }, timestamps: new Float64Array(0), values: new Float64Array(0) },
    { labels: { n: '9' }, timestamps: otherTimes, values: values(9) },
    { labels: { n: '10' }, timestamps: otherTimes, values: values(10) },
  ];
  const result: MatrixResult = { resultType: 'matrix', series };
  assert.equal(queryResponseBody(result).toString(), expectedBody(series));
});
