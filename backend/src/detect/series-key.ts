/** Keys remembered before the memory starts afresh: far more (host, unit) series than a fleet has. */
const MAX_KEYS = 100_000;

const keys = new Map<string, Map<string, string>>();
let remembered = 0;

/**
 * The key of a (host, unit) series in the detectors' maps, and how the rate model names a series (its
 * training and its scoring must agree on it). The same two names give back the same
 * string each time, whose hash is then known: a key joined afresh for every entry cost more to hash
 * (about 250 ns) than the two look-ups by name that find the kept one.
 */
export function seriesKey(host: string, unit: string): string {
  let units = keys.get(host);
  if (units === undefined) keys.set(host, (units = new Map()));
  let key = units.get(unit);
  if (key === undefined) {
    if (remembered >= MAX_KEYS) {
      keys.clear();
      remembered = 0;
      keys.set(host, (units = new Map()));
    }
    key = `${host}\u0000${unit}`;
    units.set(unit, key);
    remembered++;
  }
  return key;
}
