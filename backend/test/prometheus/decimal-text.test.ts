import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import { writePlainDecimal } from '../../src/api/prometheus/decimal-text.ts';
import { rangeQuery } from '../../src/api/prometheus/evaluate.ts';
import { queryResponseBody } from '../../src/api/prometheus/format.ts';
import { InMemorySeriesSource } from '../../src/api/prometheus/memory-source.ts';
import { formatSampleValue } from '../../src/api/prometheus/sample-text.ts';
import { SeededRandom } from '../../src/detect/random.ts';

const buffer = new Uint8Array(64);
const held = new Float64Array(1);
const bits = new Float64Array(1);
const words = new Uint32Array(bits.buffer);

/** writePlainDecimal's text of `value`, or null when it leaves the value to String(). */
function written(value: number): string | null {
  held[0] = value;
  const end = writePlainDecimal(buffer, 0, held, 0);
  return end < 0 ? null : Buffer.from(buffer.subarray(0, end)).toString('latin1');
}

/** Values of every kind in [1e-6, 1e16): random bits, short decimals, integers, powers of two, edges. */
function samples(count: number): number[] {
  const random = new SeededRandom(11);
  const integer = (below: number) => Math.floor(random.next() * below);
  const values: number[] = [];
  for (let i = 0; i < count; i++) {
    // Any mantissa under an exponent from 2^-20 to 2^53.
    words[0] = integer(2 ** 32);
    words[1] = ((1003 + integer(1076 - 1003)) << 20) | integer(2 ** 20);
    values.push(bits[0] as number);
    values.push(random.next() ** 4);
    values.push(integer(1e6) / 10 ** integer(12));
    values.push(integer(1e17) / 10 ** integer(22));
    values.push(integer(100_000) / 7);
    values.push(integer(2 ** integer(54)));
    values.push(2 ** (integer(70) - 20) * (1 + integer(8)));
    values.push(2 ** 53 + 2 * integer(100_000));
    values.push(1e16 - 2 * integer(1000));
  }
  for (let exponent = -6; exponent < 16; exponent++) {
    const power = Number(`1e${exponent}`);
    for (let ulps = -3; ulps <= 3; ulps++) values.push(power + ulps * power * 2 ** -52);
    values.push(Number(`9.999999999999999e${exponent}`));
  }
  return values.filter((value) => value >= 1e-6 && value < 1e16);
}

describe('writePlainDecimal', () => {
  test('writes what String() writes, or leaves the value to it', () => {
    let decided = 0;
    const values = samples(40_000);
    for (const value of values) {
      const text = written(value);
      if (text === null) continue;
      decided++;
      if (text !== String(value)) assert.fail(`${String(value)} written as ${text}`);
    }
    // The exact arithmetic decides all but the rare edge cases and powers of two.
    assert.ok(decided > 0.9 * values.length, `decided ${decided} of ${values.length}`);
  });

  test('integers, short decimals and full-length values', () => {
    assert.equal(written(1), '1');
    assert.equal(written(2 ** 53 + 2), '9007199254740994');
    assert.equal(written(9_999_999_999_999_998), '9999999999999998');
    assert.equal(written(0.1), '0.1');
    assert.equal(written(1 / 3), '0.3333333333333333');
    assert.equal(written(123_456.789), '123456.789');
    assert.equal(written(0.000_001_5), '0.0000015');
    assert.equal(written(2 / 3), '0.6666666666666666');
  });

  test('response bodies spell every value as formatSampleValue does', () => {
    const values = [
      ...samples(200),
      0,
      -0,
      NaN,
      Infinity,
      -Infinity,
      1e-7,
      -2.5e-9,
      1e16,
      1e21,
      1.5e300,
      5e-324,
      -1 / 3,
      -123_456.789,
    ];
    const source = new InMemorySeriesSource();
    source.add(
      { __name__: 'x' },
      values.map((_, i) => i * 1000),
      values,
    );
    const body = JSON.parse(
      queryResponseBody(rangeQuery(source, 'x', 0, (values.length - 1) * 1000, 1000)).toString(),
    ) as { data: { result: { values: [number, string][] }[] } };
    assert.deepEqual(
      body.data.result[0]?.values.map(([, text]) => text),
      values.map(formatSampleValue),
    );
  });
});
