/** mulberry32: a tiny, fast, seedable PRNG; returns floats in [0, 1). */
export function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const HEX_PAIRS = Array.from({ length: 256 }, (_, byte) => byte.toString(16).padStart(2, '0')).join('');
const hexByte = (byte: number) => HEX_PAIRS.slice(2 * byte, 2 * byte + 2);

export interface Weighted<T> {
  items: T[];
  cumulative: number[];
  total: number;
}

export function weighted<T>(pairs: readonly (readonly [T, number])[]): Weighted<T> {
  const items: T[] = [];
  const cumulative: number[] = [];
  let total = 0;
  for (const [item, weight] of pairs) {
    if (weight <= 0) continue;
    total += weight;
    items.push(item);
    cumulative.push(total);
  }
  return { items, cumulative, total };
}

export class Random {
  readonly next: () => number;

  constructor(seed: number) {
    this.next = mulberry32(seed);
  }

  int(low: number, high: number): number {
    return low + Math.floor(this.next() * (high - low + 1));
  }

  chance(probability: number): boolean {
    return this.next() < probability;
  }

  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)] as T;
  }

  /** Favours the first items, as real traffic favours a few clients, paths and users. */
  pickSkewed<T>(items: readonly T[]): T {
    const u = this.next();
    return items[Math.floor(u * u * u * items.length)] as T;
  }

  hex(digits: number): string {
    let text = '';
    for (let done = 0; done < digits; done += 8) {
      const word = (this.next() * 4294967296) >>> 0;
      text +=
        hexByte(word >>> 24) +
        hexByte((word >>> 16) & 255) +
        hexByte((word >>> 8) & 255) +
        hexByte(word & 255);
    }
    return digits % 8 === 0 ? text : text.slice(0, digits);
  }

  exponential(mean: number): number {
    return -mean * Math.log(1 - this.next());
  }

  /** Right-skewed like real durations and sizes: half below `median`, a long tail above. */
  logNormal(median: number, sigma: number): number {
    const normal = Math.sqrt(-2 * Math.log(1 - this.next())) * Math.cos(2 * Math.PI * this.next());
    return median * Math.exp(sigma * normal);
  }

  weighted<T>(table: Weighted<T>): T {
    const target = this.next() * table.total;
    let low = 0;
    let high = table.cumulative.length - 1;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if ((table.cumulative[middle] as number) <= target) low = middle + 1;
      else high = middle;
    }
    return table.items[low] as T;
  }
}
