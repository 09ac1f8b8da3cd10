import { restored, saved } from './typed-snapshot.ts';

/** Token positions tracked per template; parameters further into a long message are not. */
export const TRACKED_POSITIONS = 32;
/** Bits of one Bloom filter generation: 512 bytes. */
const FILTER_BITS = 4096;
const FILTER_WORDS = FILTER_BITS / 32;
const PROBES = 3;
/**
 * Values one generation takes before it becomes the previous one: with 3 probes into 4,096 bits, about 2%
 * of never-seen values are then mistaken for known ones.
 */
const GENERATION_VALUES = 400;
/** A position's counts are halved here, so its new-value rate follows the last few thousand entries. */
const POSITION_HISTORY = 4096;
/** Below this many observations a position's rate is too uncertain to skip inserting its values. */
const RATE_EVIDENCE = 32;
/**
 * Positions whose values are mostly new (ports, pids, scanners' addresses) insert only every this many,
 * so that they do not flush the values of positions that repeat, yet one that settles is relearnt.
 */
const NOISY_POSITION_STRIDE = 256;

const Found = { nowhere: 0, current: 1, previousOnly: 2 } as const;
type Found = (typeof Found)[keyof typeof Found];

export interface ParameterMemorySnapshot {
  current: Uint32Array;
  previous: Uint32Array;
  generationValues: number;
  seen: Uint32Array;
  fresh: Uint32Array;
}

/**
 * What one template's parameters have been, in fixed memory: a Bloom filter of (position, value) in two
 * generations (a value counts as known while it is in either; the current one becomes the previous one
 * when full, so a value seen within roughly the last generation is remembered), and for each position
 * how often it takes a new value. A new value is news only where values usually repeat: a new user or
 * source address, not a new port.
 */
export class ParameterMemory {
  #current: Uint32Array;
  #previous: Uint32Array;
  #generationValues: number;
  /** Per position: values observed, and how many of them were new. */
  readonly #seen: Uint32Array;
  readonly #fresh: Uint32Array;

  constructor(tokenCount: number, snapshot?: ParameterMemorySnapshot) {
    const positions = Math.min(tokenCount, TRACKED_POSITIONS);
    if (snapshot) {
      this.#current = restored(Uint32Array, snapshot.current, FILTER_WORDS, 'parameter filter');
      this.#previous = restored(Uint32Array, snapshot.previous, FILTER_WORDS, 'parameter filter');
      this.#generationValues = snapshot.generationValues;
      this.#seen = restored(Uint32Array, snapshot.seen, positions, 'parameter positions');
      this.#fresh = restored(Uint32Array, snapshot.fresh, positions, 'parameter positions');
    } else {
      this.#current = new Uint32Array(FILTER_WORDS);
      this.#previous = new Uint32Array(FILTER_WORDS);
      this.#generationValues = 0;
      this.#seen = new Uint32Array(positions);
      this.#fresh = new Uint32Array(positions);
    }
  }

  get positions(): number {
    return this.#seen.length;
  }

  /** How many values the position has taken so far (halved now and then). */
  observations(position: number): number {
    return this.#seen[position] ?? 0;
  }

  /** The share of the position's values that were new, with half a value of doubt either way. */
  newValueRate(position: number): number {
    return ((this.#fresh[position] ?? 0) + 0.5) / ((this.#seen[position] ?? 0) + 1);
  }

  /**
   * Counts a value at a position; true when it was not known there. Call {@link newValueRate} first
   * for the rate before this value.
   */
  observe(position: number, value: string): boolean {
    const first = hashValue(value, position);
    const second = mix(first) | 1;
    const where = this.#find(first, second);
    const known = where !== Found.nowhere;
    const seen = this.#seen[position] ?? 0;
    const fresh = (this.#fresh[position] ?? 0) + (known ? 0 : 1);
    if (seen + 1 >= POSITION_HISTORY) {
      this.#seen[position] = (seen + 1) >>> 1;
      this.#fresh[position] = fresh >>> 1;
    } else {
      this.#seen[position] = seen + 1;
      this.#fresh[position] = fresh;
    }
    const noisy = seen >= RATE_EVIDENCE && fresh * 2 > seen;
    // A value only the previous generation holds moves to the current one, so what recurs is never lost.
    if (where === Found.previousOnly || (!known && (!noisy || seen % NOISY_POSITION_STRIDE === 0))) {
      this.#insert(first, second);
    }
    return !known;
  }

  /**
   * A position of the template has just become variable: until now it held `constant` in every one of
   * the template's `entries`, which is exactly the history of a position whose values repeat.
   */
  startPosition(position: number, constant: string, entries: number): void {
    if (position >= this.#seen.length) return;
    const first = hashValue(constant, position);
    this.#insert(first, mix(first) | 1);
    this.#seen[position] = Math.min(entries, POSITION_HISTORY - 1);
    this.#fresh[position] = entries > 0 ? 1 : 0;
  }

  snapshot(): ParameterMemorySnapshot {
    return {
      current: saved(this.#current),
      previous: saved(this.#previous),
      generationValues: this.#generationValues,
      seen: saved(this.#seen),
      fresh: saved(this.#fresh),
    };
  }

  #find(first: number, second: number): Found {
    let inCurrent = true;
    let inPrevious = true;
    for (let probe = 0; probe < PROBES; probe++) {
      const bit = (first + probe * second) & (FILTER_BITS - 1);
      const mask = 1 << (bit & 31);
      if (((this.#current[bit >>> 5] ?? 0) & mask) === 0) inCurrent = false;
      if (((this.#previous[bit >>> 5] ?? 0) & mask) === 0) inPrevious = false;
    }
    if (inCurrent) return Found.current;
    return inPrevious ? Found.previousOnly : Found.nowhere;
  }

  #insert(first: number, second: number): void {
    if (this.#generationValues >= GENERATION_VALUES) {
      const emptied = this.#previous;
      emptied.fill(0);
      this.#previous = this.#current;
      this.#current = emptied;
      this.#generationValues = 0;
    }
    for (let probe = 0; probe < PROBES; probe++) {
      const bit = (first + probe * second) & (FILTER_BITS - 1);
      this.#current[bit >>> 5] = (this.#current[bit >>> 5] ?? 0) | (1 << (bit & 31));
    }
    this.#generationValues++;
  }
}

/** FNV-1a over the UTF-16 code units, started from the position so equal values at two positions differ. */
function hashValue(value: string, position: number): number {
  let hash = (0x811c9dc5 ^ Math.imul(position + 1, 0x9e3779b1)) >>> 0;
  for (let index = 0; index < value.length; index++) {
    hash = Math.imul(hash ^ value.charCodeAt(index), 0x01000193);
  }
  return hash >>> 0;
}

/** murmur3's finaliser: the second, independent-looking hash of double hashing. */
function mix(hash: number): number {
  let h = hash;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}
