/** The index of the first timestamp >= timeMs (timestamps ascending); `timestamps.length` when none. */
export function firstIndexAtOrAfter(timestamps: Float64Array, timeMs: number): number {
  let low = 0;
  let high = timestamps.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if ((timestamps[middle] ?? 0) < timeMs) low = middle + 1;
    else high = middle;
  }
  return low;
}
