import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { groupingAccuracy } from '../../src/mining/accuracy.ts';
import { TemplateMiner } from '../../src/mining/miner.ts';
import { LOGHUB_DATASETS, loadLoghub } from '../../../test/support/loghub.ts';

// Regression floors for the one default configuration, a little below what it reaches (see
// docs/mining.md for the figures); the goal the miner was built to is an average of at least 0.90 with
// no dataset below 0.75.
const AVERAGE_FLOOR = 0.94;
const DATASET_FLOOR = 0.79;

describe('grouping accuracy on Loghub-2k (default configuration)', () => {
  const results = LOGHUB_DATASETS.map((name) => {
    const dataset = loadLoghub(name);
    const miner = new TemplateMiner();
    const predicted = dataset.lines.map((line) => miner.add(line.content, 0).templateId);
    return {
      name,
      accuracy: groupingAccuracy(
        predicted,
        dataset.lines.map((line) => line.eventId),
      ),
    };
  });

  for (const { name, accuracy } of results) {
    it(`${name} reaches ${DATASET_FLOOR}`, () =>
      assert.ok(accuracy >= DATASET_FLOOR, `${name}: ${accuracy}`));
  }

  it(`averages at least ${AVERAGE_FLOOR}`, () => {
    const average = results.reduce((sum, each) => sum + each.accuracy, 0) / results.length;
    assert.ok(average >= AVERAGE_FLOOR, `average ${average}`);
  });
});
