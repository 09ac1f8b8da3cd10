/**
 * Prometheus marks the end of a series with a "stale marker": a NaN with a particular bit pattern,
 * distinct from an ordinary NaN sample. A store that knows a series has stopped (a host went away)
 * writes one, and from then on the series is absent at later steps instead of being looked back on for
 * another five minutes. Typed arrays keep NaN payloads, so the marker survives a Float64Array.
 */
const STALE_NAN_BITS_HIGH = 0x7ff00000;
const STALE_NAN_BITS_LOW = 0x00000002;

const scratch = new DataView(new ArrayBuffer(8));

export const STALE_NAN: number = (() => {
  scratch.setUint32(0, STALE_NAN_BITS_HIGH);
  scratch.setUint32(4, STALE_NAN_BITS_LOW);
  return scratch.getFloat64(0);
})();

export function isStaleMarker(value: number): boolean {
  if (value === value) return false;
  scratch.setFloat64(0, value);
  return scratch.getUint32(0) === STALE_NAN_BITS_HIGH && scratch.getUint32(4) === STALE_NAN_BITS_LOW;
}
