import assert from 'node:assert/strict';
import { test } from 'node:test';
import { SeededRandom } from '../../src/detect/random.ts';

const draw = (random: SeededRandom, count: number) => Array.from({ length: count }, () => random.next());

test('a seed fixes the sequence; nearby seeds give unrelated ones', () => {
  assert.deepEqual(draw(new SeededRandom(1), 5), draw(new SeededRandom(1), 5));
  assert.notDeepEqual(draw(new SeededRandom(1), 5), draw(new SeededRandom(2), 5));
  assert.notDeepEqual(draw(new SeededRandom(2 ** 40), 5), draw(new SeededRandom(0), 5));
});

test('next() is uniform on [0, 1) and nextInt() covers its range evenly', () => {
  const random = new SeededRandom(3);
  const values = draw(random, 100_000);
  assert.ok(values.every((value) => value >= 0 && value < 1));
  const mean = values.reduce((sum, value) => sum + value, 0) / values.length;
  assert.ok(Math.abs(mean - 0.5) < 0.01, `mean ${mean}`);
  const counts = new Array<number>(10).fill(0);
  for (let i = 0; i < 100_000; i++) {
    const bucket = random.nextInt(10);
    counts[bucket] = (counts[bucket] ?? 0) + 1;
  }
  assert.ok(
    counts.every((count) => Math.abs(count - 10_000) < 500),
    `counts ${counts.join(' ')}`,
  );
});

test('nextGaussian() has mean 0 and variance 1', () => {
  const random = new SeededRandom(4);
  const values = Array.from({ length: 100_000 }, () => random.nextGaussian());
  const mean = values.reduce((sum, value) => sum + value, 0) / values.length;
  const variance = values.reduce((sum, value) => sum + (value - mean) ** 2, 0) / values.length;
  assert.ok(Math.abs(mean) < 0.02 && Math.abs(variance - 1) < 0.02, `mean ${mean}, variance ${variance}`);
});
