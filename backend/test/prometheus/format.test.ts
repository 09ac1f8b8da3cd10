import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import { BodyBuffers } from '../../src/api/prometheus/byte-writer.ts';
import { badData, executionError } from '../../src/api/prometheus/errors.ts';
import { instantQuery, rangeQuery } from '../../src/api/prometheus/evaluate.ts';
import {
  buildInfoResponse,
  COMPATIBLE_PROMETHEUS_VERSION,
  errorResponse,
  metadataResponse,
  queryResponseBody,
  seriesResponse,
  stringListResponse,
} from '../../src/api/prometheus/format.ts';
import { formatSampleValue, formatTimestamp } from '../../src/api/prometheus/sample-text.ts';
import { MINUTE, SECOND, sourceWith } from './fixtures.ts';

describe('sample values and timestamps', () => {
  test('values are strings like Go writes them', () => {
    assert.equal(formatSampleValue(1), '1');
    assert.equal(formatSampleValue(0.1), '0.1');
    assert.equal(formatSampleValue(1 / 3), '0.3333333333333333');
    assert.equal(formatSampleValue(123456.789), '123456.789');
    assert.equal(formatSampleValue(1e20), '100000000000000000000');
    assert.equal(formatSampleValue(1e21), '1e+21');
    assert.equal(formatSampleValue(1.5e300), '1.5e+300');
    assert.equal(formatSampleValue(0.000001), '0.000001');
    assert.equal(formatSampleValue(1e-7), '1e-07');
    assert.equal(formatSampleValue(-2.5e-9), '-2.5e-09');
    assert.equal(formatSampleValue(0), '0');
    assert.equal(formatSampleValue(-0), '-0');
  });

  test('NaN and infinities as Prometheus renders them', () => {
    assert.equal(formatSampleValue(NaN), 'NaN');
    assert.equal(formatSampleValue(Infinity), '+Inf');
    assert.equal(formatSampleValue(-Infinity), '-Inf');
  });

  test('timestamps are unix seconds with millisecond decimals', () => {
    assert.equal(formatTimestamp(1_435_781_451_781), '1435781451.781');
    assert.equal(formatTimestamp(1_435_781_451_000), '1435781451');
    assert.equal(formatTimestamp(1500), '1.500');
    assert.equal(formatTimestamp(1005), '1.005');
    assert.equal(formatTimestamp(0), '0');
    assert.equal(formatTimestamp(-1500), '-1.500');
  });
});

const source = sourceWith([
  [
    { __name__: 'up', job: 'node', instance: 'a' },
    [
      [0, 1],
      [60, NaN],
    ],
  ],
  [{ __name__: 'up', job: 'node', instance: 'b' }, [[0, Infinity]]],
]);

describe('query responses (the shapes of the Prometheus HTTP API docs)', () => {
  test('vector', () => {
    assert.deepEqual(
      JSON.parse(queryResponseBody(instantQuery(source, 'up', 30 * SECOND + 781)).toString()),
      {
        status: 'success',
        data: {
          resultType: 'vector',
          result: [
            { metric: { __name__: 'up', instance: 'a', job: 'node' }, value: [30.781, '1'] },
            { metric: { __name__: 'up', instance: 'b', job: 'node' }, value: [30.781, '+Inf'] },
          ],
        },
      },
    );
  });

  test('matrix, from a range query', () => {
    const body = queryResponseBody(rangeQuery(source, 'up{instance="a"}', 0, MINUTE, MINUTE)).toString();
    assert.equal(
      body,
      '{"status":"success","data":{"resultType":"matrix","result":[' +
        '{"metric":{"__name__":"up","instance":"a","job":"node"},"values":[[0,"1"],[60,"NaN"]]}]}}',
    );
  });

  test('values that repeat are written as the first time, also after many that do not', () => {
    const bits = new Float64Array(1);
    const words = new Uint32Array(bits.buffer);
    // Values one bit apart in either half, of either sign, and every special value.
    const kinds = [0.1, 1 / 3, 42, 1e-7, 1e21, NaN, Infinity, -Infinity, 0, -0].flatMap((value) => {
      bits[0] = value;
      words[0] = (words[0] as number) ^ 1;
      const lowBit = bits[0] as number;
      words[1] = (words[1] as number) ^ 1;
      return [value, -value, lowBit, bits[0] as number];
    });
    // Halves of whole numbers: the low halves of their bits are all 0, so some share a slot.
    const distinct = Array.from({ length: 10_000 }, (_, i) => i / 2 + 0.5);
    // Repeats only, then too few repeats for the texts to be looked up any further, then repeats.
    const values = [...kinds, ...kinds, ...distinct, ...kinds, ...distinct, ...kinds];
    const body = queryResponseBody({
      resultType: 'matrix',
      series: [
        {
          labels: {},
          timestamps: new Float64Array(values.length),
          values: Float64Array.from(values),
        },
      ],
    }).toString('latin1');
    const points = values.map((value) => `[0,"${formatSampleValue(value)}"]`).join(',');
    assert.equal(
      body,
      `{"status":"success","data":{"resultType":"matrix","result":[{"metric":{},"values":[${points}]}]}}`,
    );
  });

  test('matrix bytes: UTF-8 labels, negative and fractional times, every kind of value', () => {
    const points: [number, number][] = [
      [-1500, 1e-7],
      [-1000, -0],
      [5, 1e21],
      [12_500, -Infinity],
      [1_700_000_000_781, 0.1 + 0.2],
    ];
    const body = queryResponseBody({
      resultType: 'matrix',
      series: [
        {
          labels: { __name__: 'x', host: 'hôte "1"\n' },
          timestamps: Float64Array.from(points, ([ms]) => ms),
          values: Float64Array.from(points, ([, value]) => value),
        },
      ],
    }).toString('utf8');
    assert.equal(
      body,
      '{"status":"success","data":{"resultType":"matrix","result":[{"metric":{"__name__":"x","host":"hôte \\"1\\"\\n"},' +
        '"values":[[-1.500,"1e-07"],[-1,"-0"],[0.005,"1e+21"],[12.500,"-Inf"],[1700000000.781,"0.30000000000000004"]]}]}}',
    );
  });

  test('scalar and string', () => {
    assert.deepEqual(
      JSON.parse(queryResponseBody(instantQuery(source, '1+1', 1_700_000_000_500)).toString()),
      {
        status: 'success',
        data: { resultType: 'scalar', result: [1_700_000_000.5, '2'] },
      },
    );
    assert.deepEqual(
      JSON.parse(queryResponseBody(instantQuery(source, '"a \\"quoted\\" text"', 1000)).toString()),
      {
        status: 'success',
        data: { resultType: 'string', result: [1, 'a "quoted" text'] },
      },
    );
  });

  test('empty results are empty arrays', () => {
    assert.deepEqual(JSON.parse(queryResponseBody(instantQuery(source, 'nothing', 0)).toString()), {
      status: 'success',
      data: { resultType: 'vector', result: [] },
    });
  });
});

describe('body buffers', () => {
  test('a buffer given back is lent again, once, and only buffers lent are taken back', () => {
    const buffers = new BodyBuffers();
    const first = buffers.take(1000);
    buffers.give(first.subarray(0, 10));
    buffers.give(first);
    buffers.give(Buffer.alloc(5000));
    const again = buffers.take(500);
    assert.equal(again.buffer, first.buffer);
    assert.notEqual(buffers.take(500).buffer, first.buffer);
  });

  test('bodies written into reused buffers are the same bytes', () => {
    const buffers = new BodyBuffers();
    const big = rangeQuery(source, 'up', 0, 100 * MINUTE, SECOND);
    const small = rangeQuery(source, 'up{instance="a"}', 0, MINUTE, MINUTE);
    for (const result of [small, big, small, big]) {
      const body = queryResponseBody(result, buffers);
      assert.deepEqual(body, queryResponseBody(result));
      buffers.give(body);
    }
  });
});

describe('other responses', () => {
  test('errors carry their Prometheus errorType; anything else is internal', () => {
    assert.deepEqual(errorResponse(badData('1:3: parse error: unexpected identifier "b"')), {
      status: 'error',
      errorType: 'bad_data',
      error: '1:3: parse error: unexpected identifier "b"',
    });
    assert.deepEqual(errorResponse(executionError('boom')), {
      status: 'error',
      errorType: 'execution',
      error: 'boom',
    });
    assert.deepEqual(errorResponse(new TypeError('oops')), {
      status: 'error',
      errorType: 'internal',
      error: 'oops',
    });
  });

  test('labels, label values and series', () => {
    assert.deepEqual(stringListResponse(['__name__', 'host']), {
      status: 'success',
      data: ['__name__', 'host'],
    });
    assert.deepEqual(
      JSON.stringify(seriesResponse([{ job: 'node', __name__: 'up' }])),
      '{"status":"success","data":[{"__name__":"up","job":"node"}]}',
    );
  });

  test('metadata', () => {
    const data = {
      lookout_anomaly_score: [{ type: 'gauge', help: 'Anomaly score, 0..1.', unit: '' }],
    } as const;
    assert.deepEqual(metadataResponse(data), { status: 'success', data });
  });

  test('buildinfo reports the Prometheus version whose semantics we follow', () => {
    const response = buildInfoResponse('0.1.0', 'abc123', '20250101-00:00:00');
    assert.equal(response.status, 'success');
    assert.deepEqual(Object.keys(response.data), [
      'version',
      'revision',
      'branch',
      'buildUser',
      'buildDate',
      'goVersion',
    ]);
    assert.equal(response.data.version, COMPATIBLE_PROMETHEUS_VERSION);
    assert.equal(response.data.revision, 'abc123');
  });
});
