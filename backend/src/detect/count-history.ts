import { seriesKey } from './series-key.ts';

/**
 * The last `length` per-minute entry counts of every (host, unit), in rings, so the rate model can
 * see a series' recent past (and its silence: a minute without entries counts as 0).
 */
export class CountHistory {
  private readonly rings = new Map<
    string,
    { host: string; unit: string; counts: Float32Array; lastMinute: number }
  >();

  constructor(private readonly length: number) {}

  /** Records a closed minute's count for one series (minutes must not go backwards per series). */
  record(host: string, unit: string, minute: number, count: number): void {
    const key = seriesKey(host, unit);
    let ring = this.rings.get(key);
    if (ring === undefined) {
      ring = { host, unit, counts: new Float32Array(this.length), lastMinute: minute - 1 };
      this.rings.set(key, ring);
    }
    if (minute <= ring.lastMinute) return;
    // Minutes skipped since the last record had no entries.
    for (let m = ring.lastMinute + 1; m < minute && m <= ring.lastMinute + this.length; m++)
      ring.counts[m % this.length] = 0;
    ring.counts[minute % this.length] = count;
    ring.lastMinute = minute;
  }

  /** The series seen so far. */
  series(): { host: string; unit: string }[] {
    return Array.from(this.rings.values(), ({ host, unit }) => ({ host, unit }));
  }

  /** The counts of the `length` minutes ending at `minute`, oldest first (0 where nothing was recorded). */
  window(host: string, unit: string, minute: number): Float32Array {
    const out = new Float32Array(this.length);
    const ring = this.rings.get(seriesKey(host, unit));
    if (ring === undefined) return out;
    for (let index = 0; index < this.length; index++) {
      const m = minute - this.length + 1 + index;
      if (m > ring.lastMinute || m <= ring.lastMinute - this.length) continue;
      out[index] = ring.counts[m % this.length] ?? 0;
    }
    return out;
  }
}
