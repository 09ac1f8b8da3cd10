import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Cluster } from '../../src/mining/cluster.ts';
import { Masker } from '../../src/mining/masking.ts';
import { PrefixTree } from '../../src/mining/tree.ts';

let nextId = 1;

function line(message: string): { tokens: string[]; kinds: Uint8Array } {
  const kinds = new Uint8Array(100);
  const tokens = new Masker().maskLine(message, 100, 128, [], kinds);
  return { tokens, kinds: kinds.slice(0, tokens.length) };
}

function add(tree: PrefixTree, message: string): Cluster {
  const { tokens, kinds } = line(message);
  const cluster = new Cluster(nextId++, tokens, kinds, tree.pathFor(tokens, kinds), 1, 0, 0);
  tree.attach(cluster);
  return cluster;
}

function candidates(tree: PrefixTree, message: string): Cluster[] {
  const { tokens, kinds } = line(message);
  return [...tree.candidates(tokens, kinds)];
}

describe('PrefixTree', () => {
  it('offers only clusters with the same token count and leading tokens', () => {
    const tree = new PrefixTree(2, 100);
    const accepted = add(tree, 'Accepted password for alice');
    const failed = add(tree, 'Failed password for alice');
    add(tree, 'Accepted password for alice from 10.0.0.1');
    assert.deepEqual(candidates(tree, 'Accepted password for bob'), [accepted]);
    assert.deepEqual(candidates(tree, 'Failed password for bob'), [failed]);
    assert.deepEqual(candidates(tree, 'Rejected password for bob'), []);
  });

  it('routes values through the wildcard branch', () => {
    const tree = new PrefixTree(2, 100);
    const cluster = add(tree, '42 packets dropped');
    assert.deepEqual(cluster.path, [3, '<*>', 'packets']);
    assert.deepEqual(candidates(tree, '7 packets dropped'), [cluster]);
    assert.deepEqual(candidates(tree, 'eth0 packets dropped'), [cluster]);
  });

  it('sends new leading tokens to the wildcard branch once a node is full', () => {
    const tree = new PrefixTree(1, 3);
    const first = add(tree, 'alpha x');
    const second = add(tree, 'beta x');
    const overflow = add(tree, 'gamma x');
    const more = add(tree, 'delta x');
    assert.deepEqual(
      [first.path, second.path, overflow.path, more.path],
      [
        [2, 'alpha'],
        [2, 'beta'],
        [2, '<*>'],
        [2, '<*>'],
      ],
    );
    assert.deepEqual(candidates(tree, 'epsilon x'), [overflow, more]);
  });

  it('removes a detached cluster and every node it leaves empty', () => {
    const tree = new PrefixTree(2, 100);
    const kept = add(tree, 'a b c');
    const gone = add(tree, 'x y z');
    tree.detach(gone);
    assert.deepEqual(candidates(tree, 'a b c'), [kept]);
    assert.deepEqual(candidates(tree, 'x y z'), []);
    tree.detach(kept);
    assert.deepEqual(candidates(tree, 'a b c'), []);
    const again = add(tree, 'x y z');
    assert.deepEqual(again.path, [3, 'x', 'y']);
  });

  it('handles empty lines and lines shorter than the prefix', () => {
    const tree = new PrefixTree(2, 100);
    const empty = add(tree, '');
    assert.deepEqual(empty.path, [0]);
    assert.deepEqual(candidates(tree, '   '), [empty]);
    const single = add(tree, 'ok');
    assert.deepEqual(candidates(tree, 'ok'), [single]);
  });
});
