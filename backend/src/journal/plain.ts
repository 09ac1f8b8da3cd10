import type { JournalEntry } from './entry.ts';
import { EntryFlag } from './entry.ts';
import { MAX_MESSAGE_BYTES, truncateUtf8 } from './normalize.ts';

/** How plain-text lines become entries: what to assume where a line does not say. */
export interface PlainTextOptions {
  host?: string;
  unit?: string;
  /**
   * Year for syslog timestamps, which carry none. Default: the current year, or the one before for a
   * date that would be more than a day ahead (December's lines read in January).
   */
  year?: number;
}

const DAY_MS = 86_400_000;

const MONTHS: Record<string, number> = {
  Jan: 0,
  Feb: 1,
  Mar: 2,
  Apr: 3,
  May: 4,
  Jun: 5,
  Jul: 6,
  Aug: 7,
  Sep: 8,
  Oct: 9,
  Nov: 10,
  Dec: 11,
};

interface TimestampRule {
  name: string;
  pattern: RegExp;
  /** Milliseconds since the epoch (UTC unless the text names a zone), or null if the match is no date. */
  toMs(match: RegExpExecArray, options: PlainTextOptions): number | null;
}

const fraction = (text: string | undefined) => (text ? Number(`0.${text}`) * 1000 : 0);
/** Group `index` of a match as a number (NaN when absent, which makes the date invalid). */
const num = (match: RegExpExecArray, index: number) => Number(match[index] ?? Number.NaN);
const month = (match: RegExpExecArray, index: number) => MONTHS[match[index] ?? ''] ?? Number.NaN;

/** The leading timestamps Lookout recognises, tried in order; each has its own test. */
export const TIMESTAMP_RULES: readonly TimestampRule[] = [
  {
    name: 'iso-8601',
    pattern: /^(\d{4})-(\d\d)-(\d\d)[T ](\d\d):(\d\d):(\d\d)(?:[.,](\d{1,9}))?(Z|[+-]\d\d:?\d\d)?\s*/,
    toMs: (m) => {
      const local =
        Date.UTC(num(m, 1), num(m, 2) - 1, num(m, 3), num(m, 4), num(m, 5), num(m, 6)) + fraction(m[7]);
      if (!m[8] || m[8] === 'Z') return local;
      const sign = m[8].startsWith('-') ? -1 : 1;
      const digits = m[8].replace(':', '');
      return local - sign * (Number(digits.slice(1, 3)) * 60 + Number(digits.slice(3, 5))) * 60_000;
    },
  },
  {
    name: 'syslog',
    pattern:
      /^(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) +(\d{1,2}) (\d\d):(\d\d):(\d\d)(?:\.(\d{1,6}))?\s+/,
    toMs: (m, options) => {
      const inYear = (year: number) =>
        Date.UTC(year, month(m, 1), num(m, 2), num(m, 3), num(m, 4), num(m, 5)) + fraction(m[6]);
      if (options.year !== undefined) return inYear(options.year);
      const now = Date.now();
      const thisYear = inYear(new Date(now).getUTCFullYear());
      return thisYear > now + DAY_MS ? inYear(new Date(now).getUTCFullYear() - 1) : thisYear;
    },
  },
  {
    name: 'bracketed',
    pattern:
      /^\[(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun) (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) +(\d{1,2}) (\d\d):(\d\d):(\d\d)(?:\.(\d{1,6}))? (\d{4})\]\s*/,
    toMs: (m) =>
      Date.UTC(num(m, 7), month(m, 1), num(m, 2), num(m, 3), num(m, 4), num(m, 5)) + fraction(m[6]),
  },
  {
    name: 'epoch-seconds',
    pattern: /^(?:-\s+)?(1\d{9})(?:\.(\d{1,6}))?\s+/,
    toMs: (m) => Number(m[1]) * 1000 + fraction(m[2]),
  },
  {
    name: 'yymmdd-hhmmss',
    pattern: /^(\d\d)(\d\d)(\d\d) (\d\d)(\d\d)(\d\d)\s+/,
    toMs: (m) => Date.UTC(2000 + num(m, 1), num(m, 2) - 1, num(m, 3), num(m, 4), num(m, 5), num(m, 6)),
  },
  {
    name: 'yy/mm/dd',
    pattern: /^(\d\d)\/(\d\d)\/(\d\d) (\d\d):(\d\d):(\d\d)\s+/,
    toMs: (m) => Date.UTC(2000 + num(m, 1), num(m, 2) - 1, num(m, 3), num(m, 4), num(m, 5), num(m, 6)),
  },
];

/** `host program[pid]:` after a syslog timestamp. */
const SYSLOG_SOURCE = /^([\w.-]+) ([^\s:[\]]+)(?:\[(\d+)\])?: /;
/** A level word near the start: `[error]`, `INFO`, `- WARN `, `<warn>`. */
const LEVEL =
  /^(?:[-\s]*)[[<]?(emerg|emergency|alert|crit|critical|fatal|err|error|warn|warning|notice|info|debug|trace)[\]>:]?(?=\s|$)\s*/i;
const PRIORITY_OF_LEVEL: Record<string, number> = {
  emerg: 0,
  emergency: 0,
  alert: 1,
  crit: 2,
  critical: 2,
  fatal: 2,
  err: 3,
  error: 3,
  warn: 4,
  warning: 4,
  notice: 5,
  info: 6,
  debug: 7,
  trace: 7,
};

/**
 * One line of a plain-text log as an entry: a leading timestamp (see {@link TIMESTAMP_RULES}), a
 * syslog `host program[pid]:` after a syslog timestamp, and a level word become the entry's time,
 * host, unit, pid and priority; the rest is the message. A line without a timestamp gets `fallbackUs`
 * (so line order is kept) and the missingTime flag.
 */
export function parsePlainLine(
  line: string,
  fallbackUs: number,
  options: PlainTextOptions = {},
): JournalEntry {
  let rest = line;
  let timeUs: number | null = null;
  let ruleName: string | null = null;
  for (const rule of TIMESTAMP_RULES) {
    const match = rule.pattern.exec(rest);
    if (!match) continue;
    const ms = rule.toMs(match, options);
    if (ms === null || !Number.isFinite(ms)) continue;
    timeUs = Math.round(ms * 1000);
    ruleName = rule.name;
    rest = rest.slice(match[0].length);
    break;
  }
  let host = options.host ?? 'unknown';
  let unit = options.unit ?? 'unknown';
  let pid: number | null = null;
  if (ruleName === 'syslog') {
    const source = SYSLOG_SOURCE.exec(rest);
    if (source) {
      host = source[1] ?? host;
      unit = source[2] ?? unit;
      pid = source[3] ? Number(source[3]) : null;
      rest = rest.slice(source[0].length);
    }
  }
  let priority: number | null = null;
  const level = LEVEL.exec(rest);
  if (level?.[1]) {
    priority = PRIORITY_OF_LEVEL[level[1].toLowerCase()] ?? null;
    rest = rest.slice(level[0].length);
  }
  let flags = timeUs === null ? EntryFlag.missingTime : 0;
  let message = rest;
  if (message.length > MAX_MESSAGE_BYTES / 4) {
    const cut = truncateUtf8(message, MAX_MESSAGE_BYTES);
    if (cut !== message) flags |= EntryFlag.truncated;
    message = cut;
  }
  return {
    cursor: null,
    timeUs: timeUs ?? fallbackUs,
    host,
    unit,
    priority,
    message,
    pid,
    flags,
    extra: null,
  };
}
