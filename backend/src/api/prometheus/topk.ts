import { executionError } from './errors.ts';
import { emptyStepSeries, type StepGrid, type StepSeries } from './grid.ts';
import type { Grouping } from './grouping.ts';

const MAX_INT64 = 2 ** 63;
/** Heap slots (series indices) kept at once: 16 MB. */
const HEAP_SLOTS = 1 << 22;

/**
 * topk/bottomk: per step and group, the k series with the largest (smallest) values, NaN ranking last,
 * chosen with the same heap moves as Prometheus so that ties go the same way. Output series keep all
 * their labels. For a single step the output is in Prometheus's order: group by group, best first.
 */
export function selectK(
  op: 'topk' | 'bottomk',
  input: StepSeries[],
  { groupOf, labels }: Grouping,
  param: Float64Array,
  grid: StepGrid,
): StepSeries[] {
  if (input.length === 0) return [];
  let largestK = -Infinity;
  for (const k of param) {
    if (Number.isNaN(k)) throw executionError('Parameter value is NaN');
    largestK = Math.max(largestK, k);
  }
  if (largestK < 1) return [];
  for (const k of param) {
    if (k <= -MAX_INT64) throw executionError(`Scalar value ${goFloat(k)} underflows int64`);
    if (k >= MAX_INT64) throw executionError(`Scalar value ${goFloat(k)} overflows int64`);
  }

  const capacity = Math.min(Math.trunc(largestK), input.length);
  const ks = param.map((k) => Math.min(Math.trunc(k), input.length));
  // Series by series over a block of steps (memory locality), with a heap per group and step; every heap
  // still sees its series in input order, so the choice is the same as step by step.
  const block = Math.max(1, Math.min(grid.steps, Math.floor(HEAP_SLOTS / (labels.length * capacity))));
  const heaps = new GroupHeaps(
    input.map((series) => series.values),
    op === 'topk' ? 1 : -1,
    labels.length * block,
    capacity,
  );
  const output: (StepSeries | undefined)[] = new Array(input.length);
  const orderedForInstant: StepSeries[] = [];
  for (let first = 0; first < grid.steps; first += block) {
    const end = Math.min(grid.steps, first + block);
    heaps.clear();
    input.forEach(({ present }, index) => {
      heaps.offerSeries(index, present, (groupOf[index] ?? 0) * block - first, first, end, ks);
    });
    for (let step = first; step < end; step++) {
      for (let group = 0; group < labels.length; group++) {
        const heap = group * block + step - first;
        // Only an instant query shows the order within a step; a range query's series are sorted by labels.
        for (const index of grid.steps === 1 ? heaps.bestFirst(heap, step) : heaps.members(heap)) {
          const source = input[index] as StepSeries;
          let target = output[index];
          if (!target) {
            target = emptyStepSeries(source.labels, grid.steps);
            output[index] = target;
          }
          target.present[step] = 1;
          target.values[step] = source.values[step] ?? 0;
          if (grid.steps === 1) orderedForInstant.push(target);
        }
      }
    }
  }
  if (grid.steps === 1) return orderedForInstant;
  return output.filter((series): series is StepSeries => series !== undefined);
}

/**
 * Bounded heaps of series indices, weakest on top, as Go's container/heap builds them in Prometheus.
 * Values are compared as `sign * value`, so bottomk is topk of the negated values; a NaN key ranks below
 * everything.
 */
class GroupHeaps {
  private readonly values: Float64Array[];
  private readonly sign: number;
  private readonly capacity: number;
  private readonly slots: Int32Array;
  private readonly sizes: Int32Array;
  /** The key on top of each full heap, so that rejecting a candidate reads nothing scattered. */
  private readonly weakestKeys: Float64Array;

  constructor(values: Float64Array[], sign: number, heaps: number, capacity: number) {
    this.values = values;
    this.sign = sign;
    this.capacity = capacity;
    this.slots = new Int32Array(heaps * capacity);
    this.sizes = new Int32Array(heaps);
    this.weakestKeys = new Float64Array(heaps);
  }

  clear(): void {
    this.sizes.fill(0);
  }

  /**
   * Offers series `index` at steps [first, end) to the heaps `heapOffset + step`. Most points lose to a
   * full heap's weakest key; that test stays in this loop.
   */
  offerSeries(
    index: number,
    present: Uint8Array,
    heapOffset: number,
    first: number,
    end: number,
    ks: Float64Array,
  ): void {
    const values = this.values[index] ?? new Float64Array(0);
    for (let step = first; step < end; step++) {
      const k = ks[step] ?? 0;
      if (present[step] !== 1 || k < 1) continue;
      const heap = heapOffset + step;
      const base = heap * this.capacity;
      const size = this.sizes[heap] ?? 0;
      if (size < k) {
        this.slots[base + size] = index;
        this.sizes[heap] = size + 1;
        this.up(base, size, step);
      } else {
        const weakest = this.weakestKeys[heap] ?? 0;
        const candidate = this.sign * (values[step] ?? 0);
        if (!(weakest < candidate || (Number.isNaN(weakest) && !Number.isNaN(candidate)))) continue;
        this.slots[base] = index;
        if (k > 1) this.down(base, k, step);
      }
      this.weakestKeys[heap] = this.key(this.slots[base] ?? 0, step);
    }
  }

  members(heap: number): Int32Array {
    const base = heap * this.capacity;
    return this.slots.subarray(base, base + (this.sizes[heap] ?? 0));
  }

  /**
   * The heap's members best first: Go's `sort.Sort(sort.Reverse(heap))`, an insertion sort for the
   * small k of dashboards; doing the same keeps equal values in Prometheus's order.
   */
  bestFirst(heap: number, step: number): number[] {
    const members = Array.from(this.members(heap));
    for (let i = 1; i < members.length; i++) {
      for (let j = i; j > 0 && this.ranksBelow(members[j - 1] ?? 0, members[j] ?? 0, step); j--) {
        const held = members[j] ?? 0;
        members[j] = members[j - 1] ?? 0;
        members[j - 1] = held;
      }
    }
    return members;
  }

  private key(index: number, step: number): number {
    return this.sign * (this.values[index]?.[step] ?? 0);
  }

  private ranksBelow(a: number, b: number, step: number): boolean {
    const keyA = this.key(a, step);
    return Number.isNaN(keyA) || keyA < this.key(b, step);
  }

  /** Go's container/heap `up`. */
  private up(base: number, start: number, step: number): void {
    let child = start;
    while (child > 0) {
      const parent = (child - 1) >> 1;
      if (!this.ranksBelow(this.slots[base + child] ?? 0, this.slots[base + parent] ?? 0, step)) break;
      this.swap(base + parent, base + child);
      child = parent;
    }
  }

  /** Go's container/heap `down`. */
  private down(base: number, size: number, step: number): void {
    let parent = 0;
    for (;;) {
      const left = 2 * parent + 1;
      if (left >= size) break;
      let child = left;
      const right = left + 1;
      if (
        right < size &&
        this.ranksBelow(this.slots[base + right] ?? 0, this.slots[base + left] ?? 0, step)
      ) {
        child = right;
      }
      if (!this.ranksBelow(this.slots[base + child] ?? 0, this.slots[base + parent] ?? 0, step)) break;
      this.swap(base + parent, base + child);
      parent = child;
    }
  }

  private swap(i: number, j: number): void {
    const held = this.slots[i] ?? 0;
    this.slots[i] = this.slots[j] ?? 0;
    this.slots[j] = held;
  }
}

/** Go's `%v` of a float beyond int64, which is always written with an exponent. */
function goFloat(value: number): string {
  if (value === Infinity) return '+Inf';
  if (value === -Infinity) return '-Inf';
  return value.toExponential();
}
