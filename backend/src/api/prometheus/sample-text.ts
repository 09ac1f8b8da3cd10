/** Sample values and timestamps as Prometheus's HTTP API writes them. */

const PLUS = 0x2b;
const MINUS = 0x2d;

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
  // Go writes two exponent digits at least: a zero after the sign where JavaScript wrote one digit.
  // Not a regular expression: a raw query of scores meets thousands of values below 1e-6.
  const sign = text.charCodeAt(text.length - 2);
  if (sign !== PLUS && sign !== MINUS) return text;
  return `${text.slice(0, -1)}0${text.slice(-1)}`;
}

/** Unix seconds with millisecond decimals, written like Prometheus (`1435781451.781`, `12.500`). */
export function formatTimestamp(ms: number): string {
  const sign = ms < 0 ? '-' : '';
  const magnitude = Math.abs(ms);
  const seconds = Math.trunc(magnitude / 1000);
  const fraction = magnitude - seconds * 1000;
  return fraction === 0 ? `${sign}${seconds}` : `${sign}${seconds}.${String(fraction).padStart(3, '0')}`;
}
