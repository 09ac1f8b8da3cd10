import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  averagePathLength,
  IsolationForest,
  thresholdForContamination,
} from '../../src/detect/isolation-forest.ts';
import type { IsolationForestSnapshot, SplitRange } from '../../src/detect/isolation-forest.ts';
import { rocAuc } from '../../src/detect/metrics.ts';
import { SeededRandom } from '../../src/detect/random.ts';

/** Standard normal rows, then `outliers` rows 6 to 10 away on every axis; returns the matrix and outlier rows. */
function clusterWithOutliers(inliers: number, outliers: number, features: number, seed = 7) {
  const random = new SeededRandom(seed);
  const rows = inliers + outliers;
  const data = new Float64Array(rows * features);
  for (let i = 0; i < data.length; i++) data[i] = random.nextGaussian();
  for (let i = inliers * features; i < data.length; i++) {
    data[i] = (random.next() < 0.5 ? -1 : 1) * (6 + random.next() * 4);
  }
  return { data, rows, outlierRows: Array.from({ length: outliers }, (_, i) => inliers + i) };
}

describe('IsolationForest', () => {
  const { data, rows } = clusterWithOutliers(2_000, 20, 5);

  test('the same seed gives identical scores, another seed different ones', () => {
    const first = IsolationForest.fit(data, 5, { seed: 42 }).score(data);
    const again = IsolationForest.fit(data, 5, { seed: 42 }).score(data);
    const other = IsolationForest.fit(data, 5, { seed: 43 }).score(data);
    assert.deepEqual(again, first);
    assert.notDeepEqual(other, first);
  });

  test('a JSON round trip of the snapshot scores identically', () => {
    const forest = IsolationForest.fit(data, 5, { seed: 1 });
    const json = JSON.stringify(forest.toSnapshot());
    const restored = IsolationForest.fromSnapshot(JSON.parse(json) as IsolationForestSnapshot);
    assert.deepEqual(restored.score(data), forest.score(data));
    assert.deepEqual(restored.treeSummaries(), forest.treeSummaries());
    assert.equal(restored.byteLength, forest.byteLength);
    assert.equal(JSON.stringify(restored.toSnapshot()), json);
  });

  test('a snapshot whose links could loop or leave the arrays is rejected', () => {
    const snapshot = IsolationForest.fit(data, 5, { seed: 1 }).toSnapshot();
    const next = new Int32Array(Buffer.from(snapshot.nodeNext, 'base64').buffer.slice(0));
    next[0] = 0;
    const looping = { ...snapshot, nodeNext: Buffer.from(next.buffer).toString('base64') };
    assert.throws(() => IsolationForest.fromSnapshot(looping), /corrupt.*node 0 links to 0/);
    assert.throws(() => IsolationForest.fromSnapshot({ ...snapshot, featureCount: 2 }), /reads feature/);
    assert.throws(() => IsolationForest.fromSnapshot({ ...snapshot, nodeRows: '' }), /differ in length/);
  });

  test('obvious outliers score above every inlier', () => {
    const { data: mixed, rows: total, outlierRows } = clusterWithOutliers(5_000, 10, 4, 3);
    const scores = IsolationForest.fit(mixed, 4, { seed: 5 }).score(mixed);
    const inlierScores = scores.subarray(0, total - outlierRows.length);
    const highestInlier = Math.max(...inlierScores);
    for (const row of outlierRows)
      assert.ok((scores[row] ?? 0) > highestInlier, `outlier ${row}: ${scores[row]}`);
    const meanInlier = inlierScores.reduce((sum, score) => sum + score, 0) / inlierScores.length;
    assert.ok(meanInlier < 0.5, `mean inlier score ${meanInlier}`);
  });

  test('each tree is grown from sampleSize rows, however many rows there are', () => {
    const big = clusterWithOutliers(40_000, 0, 3);
    // The default (sample) rule splits only where rows lie on both sides, so no leaf is empty.
    const forest = IsolationForest.fit(big.data, 3, { seed: 9 });
    assert.equal(forest.sampleSize, 256);
    for (const tree of forest.treeSummaries()) {
      assert.equal(tree.trainingRows, 256);
      assert.ok(tree.leaves <= 256 && tree.nodes === 2 * tree.leaves - 1);
      assert.ok(tree.depth <= 8, `depth ${tree.depth} exceeds ceil(log2(256))`);
    }
    assert.ok(forest.nodeCount <= 100 * (2 * 256 - 1));
  });

  test('cell splits isolate rows far out on one feature, which a small sample rarely holds', () => {
    const random = new SeededRandom(11);
    const features = 10;
    const inliers = 4_000;
    const outliers = 40;
    const mixed = new Float64Array((inliers + outliers) * features);
    const labels = new Uint8Array(inliers + outliers);
    for (let i = 0; i < mixed.length; i++) mixed[i] = random.nextGaussian();
    for (let row = inliers; row < inliers + outliers; row++) {
      labels[row] = 1;
      mixed[row * features + random.nextInt(features)] =
        (random.next() < 0.5 ? -1 : 1) * (5 + 3 * random.next());
    }
    const auc = (splitRange: SplitRange) =>
      rocAuc(IsolationForest.fit(mixed, features, { seed: 1, splitRange }).score(mixed), labels);
    const cell = auc('cell');
    const sample = auc('sample');
    assert.ok(cell > 0.95, `cell AUC ${cell}`);
    assert.ok(cell > sample + 0.05, `cell AUC ${cell} against the sample rule's ${sample}`);
  });

  test('a cell split may leave a side empty: a leaf of 0 rows, within the height limit', () => {
    const options = { seed: 3, sampleSize: 16, heightLimit: 30, trees: 50, splitRange: 'cell' } as const;
    const forest = IsolationForest.fit(data, 5, options);
    const trees = forest.treeSummaries();
    assert.ok(
      trees.some((tree) => tree.leaves > 16),
      'no tree has an empty leaf',
    );
    for (const tree of trees) {
      assert.equal(tree.trainingRows, 16);
      assert.equal(tree.nodes, 2 * tree.leaves - 1);
      assert.ok(tree.depth <= 30);
    }
    const restored = IsolationForest.fromSnapshot(forest.toSnapshot());
    assert.deepEqual(restored.score(data), forest.score(data));
  });

  test('the sample and height limit shrink to the rows available', () => {
    const small = IsolationForest.fit(data.subarray(0, 100 * 5), 5, { trees: 10, sampleSize: 256 });
    assert.equal(small.sampleSize, 100);
    for (const tree of small.treeSummaries()) {
      assert.equal(tree.trainingRows, 100);
      assert.ok(tree.depth <= 7);
    }
  });

  test('rows that cannot be split score exactly 0.5: the leaf adds c(n) for the rows it holds', () => {
    const constant = new Float64Array(300 * 2).fill(3);
    const forest = IsolationForest.fit(constant, 2, { trees: 5 });
    assert.deepEqual([...forest.score(constant.subarray(0, 8))], [0.5, 0.5, 0.5, 0.5]);
  });

  test('a row scores the same alone as within a batch', () => {
    const forest = IsolationForest.fit(data, 5, { trees: 20 });
    // Rows in groups of eight, then one by one (both loops), in two blocks of rows.
    const count = 256 + 21;
    const batch = forest.score(data.subarray(0, count * 5));
    for (let row = 0; row < count; row++) {
      assert.equal(forest.score(data.subarray(row * 5, (row + 1) * 5))[0], batch[row]);
    }
  });

  test('scores can be written into a caller-owned array', () => {
    const forest = IsolationForest.fit(data, 5, { trees: 10 });
    const into = new Float64Array(rows);
    assert.equal(forest.score(data, into), into);
    assert.deepEqual(into, forest.score(data));
  });

  test('malformed input is refused', () => {
    assert.throws(() => IsolationForest.fit(new Float64Array(7), 2), /not a multiple/);
    assert.throws(() => IsolationForest.fit(new Float64Array(2), 2), /at least 2 rows/);
    assert.throws(() => IsolationForest.fit(new Float64Array(8), 2, { heightLimit: 0 }), /heightLimit/);
    const unknownRange = 'box' as SplitRange;
    assert.throws(
      () => IsolationForest.fit(new Float64Array(8), 2, { splitRange: unknownRange }),
      /splitRange/,
    );
    assert.throws(
      () => IsolationForest.fit(Float64Array.of(1, 2, NaN, 4), 2, { sampleSize: 2 }),
      /non-finite/,
    );
    const forest = IsolationForest.fit(data, 5, { trees: 3 });
    assert.throws(() => forest.score(Float64Array.of(1, 2, 3, 4, NaN)), /NaN/);
  });
});

describe('averagePathLength', () => {
  test('matches c(n) = 2 H(n-1) - 2 (n-1) / n with H(i) = ln(i) + Euler-Mascheroni', () => {
    assert.equal(averagePathLength(1), 0);
    assert.equal(averagePathLength(2), 1);
    assert.ok(Math.abs(averagePathLength(3) - (2 * (Math.log(2) + 0.5772156649) - 4 / 3)) < 1e-9);
    assert.ok(Math.abs(averagePathLength(256) - 10.244770920119917) < 1e-9);
  });
});

describe('thresholdForContamination', () => {
  test('takes the linearly interpolated (1 - contamination) quantile, flagging that share above it', () => {
    const scores = Float64Array.from({ length: 100 }, (_, i) => (100 - i) / 100);
    const threshold = thresholdForContamination(scores, 0.1);
    assert.ok(Math.abs(threshold - 0.901) < 1e-12, `threshold ${threshold}`);
    assert.equal(scores.filter((score) => score > threshold).length, 10);
  });

  test('flags the contamination share of forest scores', () => {
    const { data, rows } = clusterWithOutliers(1_000, 0, 3);
    const scores = IsolationForest.fit(data, 3).score(data);
    const threshold = thresholdForContamination(scores, 0.05);
    assert.equal(scores.filter((score) => score > threshold).length, rows * 0.05);
  });

  test('refuses a contamination outside (0, 1)', () => {
    assert.throws(() => thresholdForContamination([0.5], 0), RangeError);
    assert.throws(() => thresholdForContamination([0.5], 1), RangeError);
  });
});
