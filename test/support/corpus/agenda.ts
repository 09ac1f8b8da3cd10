export interface Scheduled {
  timeUs: number;
  order: number;
  run: () => void;
}

/** A binary min-heap of scheduled work, ordered by time and then by scheduling order. */
export class Agenda {
  private readonly items: Scheduled[] = [];
  private order = 0;

  get size(): number {
    return this.items.length;
  }

  peekTime(): number {
    return this.items[0]?.timeUs ?? Infinity;
  }

  add(timeUs: number, run: () => void): void {
    const items = this.items;
    items.push({ timeUs, order: this.order++, run });
    let index = items.length - 1;
    while (index > 0) {
      const parent = (index - 1) >> 1;
      if (!this.before(index, parent)) break;
      this.swap(index, parent);
      index = parent;
    }
  }

  pop(): Scheduled | undefined {
    const items = this.items;
    const top = items[0];
    const last = items.pop();
    if (top === undefined || last === undefined || items.length === 0) return top;
    items[0] = last;
    let index = 0;
    for (;;) {
      const left = 2 * index + 1;
      const right = left + 1;
      let smallest = index;
      if (left < items.length && this.before(left, smallest)) smallest = left;
      if (right < items.length && this.before(right, smallest)) smallest = right;
      if (smallest === index) return top;
      this.swap(index, smallest);
      index = smallest;
    }
  }

  private before(a: number, b: number): boolean {
    const x = this.items[a] as Scheduled;
    const y = this.items[b] as Scheduled;
    return x.timeUs < y.timeUs || (x.timeUs === y.timeUs && x.order < y.order);
  }

  private swap(a: number, b: number): void {
    const items = this.items;
    [items[a], items[b]] = [items[b] as Scheduled, items[a] as Scheduled];
  }
}
