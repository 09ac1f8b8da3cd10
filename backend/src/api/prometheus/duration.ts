import { badData } from './errors.ts';

const DURATION = /^(?:(\d+)y)?(?:(\d+)w)?(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?(?:(\d+)ms)?$/;
const UNIT_MS = [365 * 24 * 3600_000, 7 * 24 * 3600_000, 24 * 3600_000, 3600_000, 60_000, 1000, 1] as const;
/** Go's time.Duration (int64 nanoseconds) caps every Prometheus duration at about 292 years. */
const MAX_DURATION_MS = 2 ** 63 / 1e6;

/**
 * Prometheus's duration syntax (`model.ParseDuration`): units y, w, d, h, m, s, ms, each at most once,
 * largest first (`1h30m`, `90s`, `1w2d`), or a bare `0`. Returns milliseconds.
 */
export function parseDuration(text: string): number {
  if (text === '0') return 0;
  if (text === '') throw badData('empty duration string');
  const match = DURATION.exec(text);
  if (!match) throw badData(`not a valid duration string: ${JSON.stringify(text)}`);
  let totalMs = 0;
  UNIT_MS.forEach((unitMs, index) => {
    const count = match[index + 1];
    if (count !== undefined) totalMs += Number(count) * unitMs;
  });
  if (totalMs >= MAX_DURATION_MS) throw badData('duration out of range');
  return totalMs;
}

/** Prometheus's canonical rendering of a duration (`model.Duration.String()`): 90000 → `1m30s`. */
export function formatDuration(ms: number): string {
  if (ms === 0) return '0s';
  const names = ['y', 'w', 'd', 'h', 'm', 's', 'ms'];
  let remaining = ms;
  let text = '';
  UNIT_MS.forEach((unitMs, index) => {
    const count = Math.floor(remaining / unitMs);
    if (count > 0) {
      text += `${count}${names[index]}`;
      remaining -= count * unitMs;
    }
  });
  return text;
}
