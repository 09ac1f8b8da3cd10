import { parseDuration } from './duration.ts';
import { badData } from './errors.ts';

/**
 * "Since forever" and "until forever", used when a labels or series request gives no start or end.
 * Prometheus's own bounds (about ±292 million years) are beyond exact JavaScript integers; these
 * (about ±285,000 years) keep time arithmetic exact.
 */
export const MIN_TIME_MS = Number.MIN_SAFE_INTEGER;
export const MAX_TIME_MS = Number.MAX_SAFE_INTEGER;

/** How Prometheus spells its bounds; clients (Grafana among them) send them back verbatim. */
const MIN_TIME_TEXT = '-292273086-05-16T16:47:06Z';
const MAX_TIME_TEXT = '292277025-08-18T07:12:54.999999999Z';

const DECIMAL_FLOAT = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;
const RFC3339 =
  /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?(?:([Zz])|([+-])(\d{2}):(\d{2}))$/;

/**
 * A time parameter as Prometheus reads it: unix seconds with an optional fraction (rounded to the
 * millisecond), or RFC 3339 (sub-millisecond digits dropped). Returns milliseconds since the epoch.
 */
export function parseTime(text: string): number {
  if (DECIMAL_FLOAT.test(text)) {
    const seconds = Number(text);
    if (Number.isFinite(seconds)) {
      const whole = Math.trunc(seconds);
      return whole * 1000 + roundHalfAwayFromZero((seconds - whole) * 1000);
    }
  }
  if (text === MIN_TIME_TEXT) return MIN_TIME_MS;
  if (text === MAX_TIME_TEXT) return MAX_TIME_MS;
  const rfc3339 = parseRfc3339(text);
  if (rfc3339 !== undefined) return rfc3339;
  throw badData(`cannot parse ${JSON.stringify(text)} to a valid timestamp`);
}

/**
 * A step, timeout or lookback parameter: float seconds (`15`, `0.5`) or a Prometheus duration (`1m30s`).
 * Returns milliseconds.
 */
export function parseDurationParameter(text: string): number {
  if (DECIMAL_FLOAT.test(text)) {
    const seconds = Number(text);
    if (Number.isFinite(seconds) && Math.abs(seconds) < 2 ** 63 / 1e9) return seconds * 1000;
    if (Number.isFinite(seconds)) {
      throw badData(`cannot parse ${JSON.stringify(text)} to a valid duration. It overflows int64`);
    }
  }
  try {
    return parseDuration(text);
  } catch {
    throw badData(`cannot parse ${JSON.stringify(text)} to a valid duration`);
  }
}

function roundHalfAwayFromZero(value: number): number {
  return Math.sign(value) * Math.round(Math.abs(value));
}

function parseRfc3339(text: string): number | undefined {
  const match = RFC3339.exec(text);
  if (!match) return undefined;
  const [year, month, day, hour, minute, second] = match.slice(1, 7).map(Number) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth || hour > 23 || minute > 59 || second > 59) {
    return undefined;
  }
  let offsetMinutes = 0;
  if (match[8] === undefined) {
    const offsetHours = Number(match[10]);
    const offsetMins = Number(match[11]);
    if (offsetHours > 23 || offsetMins > 59) return undefined;
    offsetMinutes = (match[9] === '-' ? -1 : 1) * (offsetHours * 60 + offsetMins);
  }
  const millis = Number((match[7] ?? '').slice(0, 3).padEnd(3, '0'));
  const utc = new Date(0);
  utc.setUTCFullYear(year, month - 1, day);
  utc.setUTCHours(hour, minute, second, millis);
  return utc.getTime() - offsetMinutes * 60_000;
}
