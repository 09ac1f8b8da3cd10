/** Sample values and timestamps as Prometheus's HTTP API writes them. */

/**
 * A sample value as Prometheus writes it: a JSON string, shortest round-trip digits, plain notation
 * between 1e-6 and 1e21 and Go's exponent form outside (`1e-07`), and `NaN`, `+Inf`, `-Inf`.
 */
export function formatSampleValue(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (value === Infinity) return '+Inf';
  if (value === -Infinity) return '-Inf';
  if (value === 0) return Object.is(value, -0) ? '-0' : '0';
  const magnitude = Math.abs(value);
  const text = String(value);
  if (magnitude >= 1e-6 && magnitude < 1e21) return text;
  return text.replace(/e([+-])(\d)$/, 'e$10$2');
}

/** Unix seconds with millisecond decimals, written like Prometheus (`1435781451.781`, `12.500`). */
export function formatTimestamp(ms: number): string {
  const sign = ms < 0 ? '-' : '';
  const magnitude = Math.abs(ms);
  const seconds = Math.trunc(magnitude / 1000);
  const fraction = magnitude - seconds * 1000;
  return fraction === 0 ? `${sign}${seconds}` : `${sign}${seconds}.${String(fraction).padStart(3, '0')}`;
}
