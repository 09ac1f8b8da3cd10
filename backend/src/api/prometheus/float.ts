/**
 * Float arithmetic exactly as Prometheus (Go) does it, where JavaScript differs or where Prometheus
 * adds compensation, so that results agree to the last bit.
 */

/**
 * Neumaier-compensated summation step (Prometheus's `kahansum.Inc`), writing the new sum and
 * compensation into `sums[index]` and `compensations[index]`.
 */
export function kahanAdd(
  sums: Float64Array,
  compensations: Float64Array,
  index: number,
  increment: number,
): void {
  const sum = sums[index] ?? 0;
  const total = sum + increment;
  let compensation = compensations[index] ?? 0;
  if (total === Infinity || total === -Infinity) compensation = 0;
  else if (Math.abs(sum) >= Math.abs(increment)) compensation += sum - total + increment;
  else compensation += increment - total + sum;
  sums[index] = total;
  compensations[index] = compensation;
}

/** Go's `math.Pow`: unlike `**`, 1 to any power (NaN, ±Inf) is 1, and so is -1 to ±Inf. */
export function goPow(base: number, exponent: number): number {
  if (base === 1) return 1;
  if (base === -1 && (exponent === Infinity || exponent === -Infinity)) return 1;
  return base ** exponent;
}
