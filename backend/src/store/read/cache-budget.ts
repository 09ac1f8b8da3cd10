/**
 * What the query cache takes at most by default, in a process meant to stay under 500 MB with the
 * ingest path beside it: the score rows and counts by key of a day of 1,000 series (26 MB) and their
 * scores' text for raw queries (57 MB). See docs/api.md.
 */
export const DEFAULT_QUERY_CACHE_BYTES = 96 * 2 ** 20;

/** What a cache under a CacheBudget lets the budget see and drop. */
export interface BudgetedCache {
  /** When its least recently read entry other than `except` was read (see CacheBudget.stamp); Infinity if none. */
  oldestRead(except: number | null): number;
  /** Drops its least recently read entry other than `except`. */
  dropOldest(except: number | null): void;
}

/**
 * One byte budget shared by several caches (the query cache's tables): over it, the entry read least
 * recently in any of them is dropped first, so that memory goes to what queries read, whichever table
 * that is, and the total stays within one figure that an operator can set.
 */
export class CacheBudget {
  private readonly caches: BudgetedCache[] = [];
  private used = 0;
  private reads = 0;

  constructor(readonly maxBytes: number) {}

  add(cache: BudgetedCache): void {
    this.caches.push(cache);
  }

  get usedBytes(): number {
    return this.used;
  }

  /** A read's place in time, for recency across the caches. */
  stamp(): number {
    return ++this.reads;
  }

  /** A cache grew (or, negative, shrank) by `bytes`. */
  change(bytes: number): void {
    this.used += bytes;
  }

  /** Drops least recently read entries while over the budget, never entry `except` of `cache`. */
  enforce(cache: BudgetedCache, except: number): void {
    while (this.used > this.maxBytes) {
      let oldest: BudgetedCache | null = null;
      let oldestRead = Infinity;
      for (const candidate of this.caches) {
        const read = candidate.oldestRead(candidate === cache ? except : null);
        if (read < oldestRead) [oldest, oldestRead] = [candidate, read];
      }
      if (oldest === null) return;
      oldest.dropOldest(oldest === cache ? except : null);
    }
  }
}
