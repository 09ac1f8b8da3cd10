import { RecencyList } from '../../mining/recency.ts';
import type { Linked } from '../../mining/recency.ts';

/** What {@link LruMap} needs of a value: its own key, and the links of the recency list. */
export interface LruValue<K, V> extends Linked<V> {
  readonly key: K;
}

/**
 * A map that keeps at most `capacity` values and forgets the least recently used one beyond it. Every
 * piece of per-template, per-host and per-series state lives in one, which is what bounds the scorer's
 * memory whatever the traffic.
 */
export class LruMap<K, V extends LruValue<K, V>> {
  readonly capacity: number;
  readonly #map = new Map<K, V>();
  readonly #recency = new RecencyList<V>();

  constructor(capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1) {
      throw new RangeError(`capacity must be a whole number above 0, got ${capacity}`);
    }
    this.capacity = capacity;
  }

  get size(): number {
    return this.#map.size;
  }

  /** The value, which becomes the most recently used. */
  get(key: K): V | undefined {
    const value = this.#map.get(key);
    if (value !== undefined) this.#recency.touch(value);
    return value;
  }

  /** Adds a value for a key not held yet, as the most recently used; returns the value it evicted. */
  add(value: V): V | undefined {
    this.#map.set(value.key, value);
    this.#recency.push(value);
    if (this.#map.size <= this.capacity) return undefined;
    const oldest = this.#recency.oldest as V;
    this.#recency.remove(oldest);
    this.#map.delete(oldest.key);
    return oldest;
  }

  /** Values from least to most recently used: the order that {@link add} must see to rebuild the map. */
  values(): V[] {
    return Array.from(this.#recency);
  }
}
