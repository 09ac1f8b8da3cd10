import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { groupingAccuracy } from '../../src/mining/accuracy.ts';
import { parseCsv } from '../../../test/support/loghub.ts';

describe('groupingAccuracy', () => {
  it('is 1 when the groups are the true ones, whatever their names', () => {
    assert.equal(groupingAccuracy([7, 7, 9], ['a', 'a', 'b']), 1);
  });

  it('counts a line only when its whole group is exactly its true group', () => {
    // Group 1 mixes a and b: its three lines are wrong. Group 2 is all c: right.
    assert.equal(groupingAccuracy([1, 1, 1, 2], ['a', 'a', 'b', 'c']), 0.25);
    // a is split over two groups: neither is right.
    assert.equal(groupingAccuracy([1, 2, 3], ['a', 'a', 'b']), 1 / 3);
  });

  it('handles no lines and refuses mismatched lengths', () => {
    assert.equal(groupingAccuracy([], []), 1);
    assert.throws(() => groupingAccuracy([1], []));
  });
});

describe('parseCsv', () => {
  it('reads quoted fields with commas, doubled quotes and line breaks', () => {
    assert.deepEqual(parseCsv('a,b\n"x, y","say ""hi""\nthere"\r\nlast,\n'), [
      ['a', 'b'],
      ['x, y', 'say "hi"\nthere'],
      ['last', ''],
    ]);
  });
});
