import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import { PromQLError } from '../../src/api/prometheus/errors.ts';
import { instantQueryRequest, rangeQueryRequest, selectionRequest } from '../../src/api/prometheus/params.ts';
import { MAX_TIME_MS, MIN_TIME_MS } from '../../src/api/prometheus/time.ts';

function badRequest(run: () => unknown, message: string): void {
  assert.throws(run, (error: unknown) => {
    assert.ok(error instanceof PromQLError);
    assert.equal(error.errorType, 'bad_data');
    assert.equal(error.message, message);
    return true;
  });
}

describe('instantQueryRequest (/api/v1/query)', () => {
  test('time defaults to now; lookback_delta is optional', () => {
    const request = instantQueryRequest({ query: '1+1' }, 1_700_000_000_000);
    assert.equal(request.timeMs, 1_700_000_000_000);
    assert.equal(request.lookbackDeltaMs, undefined);
    assert.equal(request.query.kind, 'binary');
    const explicit = instantQueryRequest({ query: 'up', time: '1435781451.781', lookback_delta: '1m' }, 0);
    assert.equal(explicit.timeMs, 1_435_781_451_781);
    assert.equal(explicit.lookbackDeltaMs, 60_000);
  });

  test('errors name the parameter, as Prometheus does', () => {
    badRequest(
      () => instantQueryRequest({ query: 'a b' }, 0),
      'invalid parameter "query": 1:3: parse error: unexpected identifier "b"',
    );
    badRequest(
      () => instantQueryRequest({}, 0),
      'invalid parameter "query": unknown position: parse error: no expression found in input',
    );
    badRequest(
      () => instantQueryRequest({ query: 'up', time: 'soon' }, 0),
      'invalid parameter "time": cannot parse "soon" to a valid timestamp',
    );
  });
});

describe('rangeQueryRequest (/api/v1/query_range)', () => {
  test('start, end and step in either notation', () => {
    const request = rangeQueryRequest({
      query: 'up',
      start: '2015-07-01T20:10:30.781Z',
      end: '1435781451.781',
      step: '15s',
    });
    assert.equal(request.startMs, 1_435_781_430_781);
    assert.equal(request.endMs, 1_435_781_451_781);
    assert.equal(request.stepMs, 15_000);
    assert.equal(rangeQueryRequest({ query: 'up', start: '0', end: '60', step: '0.5' }).stepMs, 500);
  });

  test('checks in Prometheus order with its messages', () => {
    badRequest(
      () => rangeQueryRequest({ query: 'up', end: '1', step: '1' }),
      'invalid parameter "start": cannot parse "" to a valid timestamp',
    );
    badRequest(
      () => rangeQueryRequest({ query: 'up', start: '1', end: 'x', step: '1' }),
      'invalid parameter "end": cannot parse "x" to a valid timestamp',
    );
    badRequest(
      () => rangeQueryRequest({ query: 'up', start: '2', end: '1', step: '1' }),
      'end timestamp must not be before start time',
    );
    badRequest(
      () => rangeQueryRequest({ query: 'up', start: '1', end: '2', step: 'x' }),
      'invalid parameter "step": cannot parse "x" to a valid duration',
    );
    badRequest(
      () => rangeQueryRequest({ query: 'up', start: '1', end: '2', step: '0' }),
      'zero or negative query resolution step widths are not accepted. Try a positive integer',
    );
    badRequest(
      () => rangeQueryRequest({ query: 'up', start: '0', end: '86400', step: '7' }),
      'exceeded maximum resolution of 11,000 points per timeseries. Try decreasing the query resolution (?step=XX)',
    );
    badRequest(
      () => rangeQueryRequest({ query: 'sum(', start: '0', end: '1', step: '1' }),
      'invalid parameter "query": 1:5: parse error: unexpected end of input',
    );
  });
});

describe('selectionRequest (/api/v1/series, /labels, /label/<name>/values)', () => {
  test('match[] may repeat; start and end default to all time', () => {
    const request = selectionRequest({ 'match[]': ['up', 'lookout_anomaly_score{host="a"}'] }, true);
    assert.equal(request.matcherSets.length, 2);
    assert.deepEqual(
      request.matcherSets[1]?.map((m) => `${m.name}${m.type}${m.value}`),
      ['__name__=lookout_anomaly_score', 'host=a'],
    );
    assert.equal(request.startMs, MIN_TIME_MS);
    assert.equal(request.endMs, MAX_TIME_MS);
    assert.deepEqual(selectionRequest({ start: '10', end: '20' }, false), {
      matcherSets: [],
      startMs: 10_000,
      endMs: 20_000,
    });
  });

  test('series needs match[]; a bad selector names the parameter', () => {
    badRequest(() => selectionRequest({}, true), 'no match[] parameter provided');
    badRequest(
      () => selectionRequest({ 'match[]': 'up{' }, true),
      'invalid parameter "match[]": 1:4: parse error: unexpected end of input inside braces',
    );
  });
});
