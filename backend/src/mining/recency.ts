/** What {@link RecencyList} needs of an item: two links it alone writes. */
export interface Linked<T> {
  older: T | null;
  newer: T | null;
}

/**
 * Items from least to most recently used, as a doubly linked list threaded through the items, so that
 * marking one used and removing the oldest are O(1). (A Map reordered by delete-and-set degrades: its
 * deleted slots pile up at the front, and finding the oldest entry walks over all of them.)
 */
export class RecencyList<T extends Linked<T>> {
  #oldest: T | null = null;
  #newest: T | null = null;
  #size = 0;

  get size(): number {
    return this.#size;
  }

  get oldest(): T | null {
    return this.#oldest;
  }

  /** Adds an item as the most recent one. */
  push(item: T): void {
    item.older = this.#newest;
    item.newer = null;
    if (this.#newest) this.#newest.newer = item;
    else this.#oldest = item;
    this.#newest = item;
    this.#size++;
  }

  remove(item: T): void {
    if (item.older) item.older.newer = item.newer;
    else this.#oldest = item.newer;
    if (item.newer) item.newer.older = item.older;
    else this.#newest = item.older;
    item.older = null;
    item.newer = null;
    this.#size--;
  }

  /** Makes an item (already in the list) the most recent one. */
  touch(item: T): void {
    if (item === this.#newest) return;
    this.remove(item);
    this.push(item);
  }

  /** Every item, least recent first. */
  *[Symbol.iterator](): Generator<T> {
    for (let item = this.#oldest; item; item = item.newer) yield item;
  }
}
