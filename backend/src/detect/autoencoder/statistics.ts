/** Turns a median absolute deviation into a standard deviation for normally distributed data. */
export const MAD_TO_SIGMA = 1.4826;

/** Median of the values, NaN when there are none; sorts `values` in place. */
export function median(values: Float64Array | Float32Array): number {
  if (values.length === 0) return NaN;
  values.sort();
  const middle = values.length >> 1;
  return values.length % 2 === 1
    ? (values[middle] ?? NaN)
    : ((values[middle - 1] ?? NaN) + (values[middle] ?? NaN)) / 2;
}

/** Median and robust standard deviation (scaled median absolute deviation) of the values. */
export function robustCentreAndSpread(values: ArrayLike<number>): { centre: number; spread: number } {
  const centre = median(Float64Array.from(values));
  const deviations = Float64Array.from(values, (value) => Math.abs(value - centre));
  return { centre, spread: MAD_TO_SIGMA * median(deviations) };
}
