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

  it('keeps its order and links whole over many uses, removals and additions', () => {
    const list = new RecencyList<Item>();
    // A Map keeps its keys in the order they were last set: the recency order, the slow way.
    const expected = new Map<string, Item>();
    const removed: Item[] = [];
    const random = seeded(7);
    for (let index = 0; index < 1_000; index++) {
      const each = item(String(index));
      list.push(each);
      expected.set(each.name, each);
    }
    const members = () => Array.from(expected.values());
    for (let round = 0; round < 50_000; round++) {
      const draw = random();
      if (draw < 0.4) {
        const each = members()[Math.floor(random() * expected.size)] as Item;
        list.touch(each);
        expected.delete(each.name);
        expected.set(each.name, each);
      } else if (draw < 0.6 || removed.length === 0) {
        const each = draw < 0.5 ? (list.oldest as Item) : (members()[expected.size - 1] as Item);
        list.remove(each);
        expected.delete(each.name);
        removed.push(each);
        assert.equal(each.older, null);
        assert.equal(each.newer, null);
      } else {
        const each = removed.pop() as Item;
        list.push(each);
        expected.set(each.name, each);
      }
      assert.equal(list.size, expected.size);
      assert.equal(list.oldest, expected.values().next().value ?? null);
      if (round % 1_000 === 0) assertWhole(list, members());
    }
    assertWhole(list, members());
  });
});

/** The list holds exactly `expected`, in order, linked both ways. */
function assertWhole(list: RecencyList<Item>, expected: Item[]): void {
  assert.deepEqual(
    names(list),
    expected.map((each) => each.name),
  );
  expected.forEach((each, index) => {
    assert.equal(each.older, expected[index - 1] ?? null);
    assert.equal(each.newer, expected[index + 1] ?? null);
  });
}

/** Mulberry32, so that a failure repeats. */
function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let value = state;
    value = Math.imul(value ^ (value >>> 15), value | 1);
    value ^= value + Math.imul(value ^ (value >>> 7), value | 61);
    return ((value ^ (value >>> 14)) >>> 0) / 2 ** 32;
  };
}
