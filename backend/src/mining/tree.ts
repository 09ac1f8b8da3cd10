import type { Cluster } from './cluster.ts';
import { WILDCARD, isValueLike } from './tokens.ts';

/** A key on the way from the root to a leaf: the token count first, then leading tokens. */
export type PathKey = string | number;

class TreeNode {
  children: Map<PathKey, TreeNode> | null = null;
  clusters: Cluster[] | null = null;
}

/**
 * Drain's fixed-depth prefix tree. The first level splits lines by token count, the next
 * `prefixTokens` levels by their leading tokens, and each leaf holds the few clusters that a line
 * reaching it is compared with. Values share the wildcard branch, and so does every token once a node
 * has `maxChildren` children, so a variable in a leading position cannot grow the tree without bound.
 */
export class PrefixTree {
  readonly #root = new TreeNode();
  readonly #prefixTokens: number;
  readonly #maxChildren: number;

  constructor(prefixTokens: number, maxChildren: number) {
    this.#prefixTokens = prefixTokens;
    this.#maxChildren = Math.max(2, maxChildren);
  }

  /** The clusters a line with these tokens may join (empty when none). */
  candidates(tokens: readonly string[], kinds: Uint8Array): readonly Cluster[] {
    let node = this.#root.children?.get(tokens.length);
    const depth = Math.min(this.#prefixTokens, tokens.length);
    for (let index = 0; node && index < depth; index++) {
      const children = node.children;
      node = children?.get(routingKey(tokens, kinds, index)) ?? children?.get(WILDCARD);
    }
    return node?.clusters ?? NONE;
  }

  /** Where a new cluster with these tokens belongs; nodes on the way are created by {@link attach}. */
  pathFor(tokens: readonly string[], kinds: Uint8Array): PathKey[] {
    const path: PathKey[] = [tokens.length];
    let node = this.#root.children?.get(tokens.length);
    const depth = Math.min(this.#prefixTokens, tokens.length);
    for (let index = 0; index < depth; index++) {
      const key = routingKey(tokens, kinds, index);
      const children = node?.children;
      let chosen: PathKey = key;
      if (children && !children.has(key) && key !== WILDCARD) {
        // One place stays free for the wildcard branch, where everything beyond the limit goes.
        const room = this.#maxChildren - (children.has(WILDCARD) ? 0 : 1);
        if (children.size >= room) chosen = WILDCARD;
      }
      path.push(chosen);
      node = children?.get(chosen);
    }
    return path;
  }

  attach(cluster: Cluster): void {
    let node = this.#root;
    for (const key of cluster.path) {
      node.children ??= new Map();
      let child = node.children.get(key);
      if (!child) {
        child = new TreeNode();
        node.children.set(key, child);
      }
      node = child;
    }
    (node.clusters ??= []).push(cluster);
  }

  /** Removes the cluster and every node left empty by its removal. */
  detach(cluster: Cluster): void {
    const trail: TreeNode[] = [this.#root];
    for (const key of cluster.path) {
      const child = trail[trail.length - 1]?.children?.get(key);
      if (!child) return;
      trail.push(child);
    }
    const leaf = trail[trail.length - 1] as TreeNode;
    const at = leaf.clusters?.indexOf(cluster) ?? -1;
    if (at < 0) return;
    leaf.clusters?.splice(at, 1);
    for (let depth = cluster.path.length; depth > 0; depth--) {
      const node = trail[depth] as TreeNode;
      if ((node.clusters?.length ?? 0) > 0 || (node.children?.size ?? 0) > 0) break;
      trail[depth - 1]?.children?.delete(cluster.path[depth - 1] as PathKey);
    }
  }
}

const NONE: readonly Cluster[] = [];

/** Values (masked, or words with digits) share the wildcard branch: they are not what tells templates apart. */
function routingKey(tokens: readonly string[], kinds: Uint8Array, index: number): string {
  return isValueLike(kinds[index] as number) ? WILDCARD : (tokens[index] as string);
}
