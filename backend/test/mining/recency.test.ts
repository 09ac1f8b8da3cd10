import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { RecencyList } from '../../src/mining/recency.ts';

interface Item {
  name: string;
  older: Item | null;
  newer: Item | null;
}

const item = (name: string): Item => ({ name, older: null, newer: null });
const names = (list: RecencyList<Item>) => Array.from(list, (each) => each.name);

describe('RecencyList', () => {
  it('keeps items from least to most recently used', () => {
    const list = new RecencyList<Item>();
    const [a, b, c] = [item('a'), item('b'), item('c')];
    list.push(a);
    list.push(b);
    list.push(c);
    assert.deepEqual(names(list), ['a', 'b', 'c']);
    list.touch(a);
    assert.deepEqual(names(list), ['b', 'c', 'a']);
    list.touch(a);
    assert.deepEqual(names(list), ['b', 'c', 'a']);
    assert.equal(list.oldest, b);
    list.remove(c);
    assert.deepEqual(names(list), ['b', 'a']);
    list.remove(b);
    list.remove(a);
    assert.deepEqual(names(list), []);
    assert.equal(list.oldest, null);
    assert.equal(list.size, 0);
  });

  it('stays O(1) after many uses and removals', () => {
    const list = new RecencyList<Item>();
    const items = Array.from({ length: 10_000 }, (_, index) => item(String(index)));
    for (const each of items) list.push(each);
    const started = performance.now();
    for (let round = 0; round < 200_000; round++) {
      const oldest = list.oldest as Item;
      list.remove(oldest);
      list.push(oldest);
      list.touch(items[round % items.length] as Item);
    }
    assert.equal(list.size, 10_000);
    assert.ok(performance.now() - started < 500);
  });
});
