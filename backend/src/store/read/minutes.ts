/** Time in the store: entries in µs, per-minute tables in minutes since the Unix epoch. */
export const MS_PER_MINUTE = 60_000;
export const US_PER_MINUTE = 60_000_000;

/** Rows are cached and summed per series in chunks of this many minutes. */
export const CHUNK_MINUTES = 360;

export function chunkOf(minute: number): number {
  return Math.floor(minute / CHUNK_MINUTES);
}

/** The minute that contains this time. */
export function minuteOf(ms: number): number {
  return Math.floor(ms / MS_PER_MINUTE);
}

export function isoFromUs(us: number): string {
  return new Date(Math.floor(us / 1000)).toISOString();
}

export function isoFromMs(ms: number): string {
  return new Date(ms).toISOString();
}
