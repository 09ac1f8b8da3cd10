import { EntryFlag } from './entry.ts';
import type { JournalEntry } from './entry.ts';

/** Messages longer than this many UTF-8 bytes are cut (with {@link EntryFlag.truncated}). */
export const MAX_MESSAGE_BYTES = 64 * 1024;

export interface NormalizeOptions {
  /** Host for entries without `_HOSTNAME` (e.g. the host a source pulls from). */
  defaultHost?: string;
  /** Time for entries without a usable timestamp, in µs; defaults to now. */
  nowUs?: number;
}

/** Fields that the normalised entry represents directly, so they are not repeated in `extra`. */
const REPRESENTED = new Set([
  'MESSAGE',
  'PRIORITY',
  'SYSLOG_IDENTIFIER',
  'SYSLOG_PID',
  'SYSLOG_FACILITY',
  'SYSLOG_TIMESTAMP',
]);

const utf8Strict = new TextDecoder('utf-8', { fatal: true });
const utf8Lossy = new TextDecoder('utf-8');

type JournalValue = string | number[] | null | (string | number[] | null)[];

/**
 * Turns one object as printed by `journalctl -o json` (or served by systemd-journal-gatewayd) into a
 * {@link JournalEntry}, or returns why it cannot. Values are strings; a byte array stands for a
 * non-UTF-8 value; an array of those stands for a repeated field; null stands for a value journalctl
 * left out (it does that for values over 4 KiB unless run with --all).
 */
export function normalizeEntry(raw: unknown, options: NormalizeOptions = {}): JournalEntry | string {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) return 'not a JSON object';
  const fields = raw as Record<string, JournalValue>;
  let flags = 0;

  let message: string;
  const rawMessage = fields.MESSAGE;
  if (typeof rawMessage === 'string') {
    message = rawMessage;
  } else if (rawMessage === undefined) {
    message = '';
    flags |= EntryFlag.missingMessage;
  } else if (rawMessage === null) {
    message = '';
    flags |= EntryFlag.messageOmitted;
  } else {
    const decoded = decodeValue(rawMessage);
    message = decoded.text;
    if (decoded.binary) flags |= EntryFlag.binaryMessage;
  }
  if (message.length > MAX_MESSAGE_BYTES / 4) {
    const cut = truncateUtf8(message, MAX_MESSAGE_BYTES);
    if (cut !== message) {
      message = cut;
      flags |= EntryFlag.truncated;
    }
  }

  let timeUs = parseMicros(fields.__REALTIME_TIMESTAMP) ?? parseMicros(fields._SOURCE_REALTIME_TIMESTAMP);
  if (timeUs === null) {
    timeUs = options.nowUs ?? Date.now() * 1000;
    flags |= EntryFlag.missingTime;
  }

  const priorityText = firstText(fields.PRIORITY);
  const priorityCode = priorityText?.length === 1 ? priorityText.charCodeAt(0) : -1;
  const priority = priorityCode >= 48 && priorityCode <= 55 ? priorityCode - 48 : null;
  const pidText = firstText(fields._PID) ?? firstText(fields.SYSLOG_PID);
  const pid = pidText !== null && isDigits(pidText, 10) ? Number(pidText) : null;

  let extra: Record<string, string | string[]> | null = null;
  for (const key in fields) {
    if (key.charCodeAt(0) === 95 /* _ */ || REPRESENTED.has(key)) continue;
    const value = fields[key];
    if (value === null || value === undefined) continue;
    extra ??= {};
    extra[key] =
      Array.isArray(value) && !isByteArray(value)
        ? value.map((item) => decodeValue(item).text)
        : decodeValue(value).text;
  }

  return {
    cursor: firstText(fields.__CURSOR),
    timeUs,
    host: firstText(fields._HOSTNAME) ?? options.defaultHost ?? 'unknown',
    unit: unitOf(fields),
    priority,
    message,
    pid,
    flags,
    sinceBootUs: parseMicros(fields.__MONOTONIC_TIMESTAMP) ?? undefined,
    extra,
  };
}

/** The unit an entry belongs to, in the order an operator would name it. */
function unitOf(fields: Record<string, JournalValue>): string {
  return (
    firstText(fields._SYSTEMD_UNIT) ??
    firstText(fields._SYSTEMD_USER_UNIT) ??
    firstText(fields.SYSLOG_IDENTIFIER) ??
    firstText(fields._COMM) ??
    (firstText(fields._TRANSPORT) === 'kernel' ? 'kernel' : 'unknown')
  );
}

function isByteArray(value: unknown[]): value is number[] {
  return value.length > 0 && typeof value[0] === 'number';
}

function decodeValue(value: JournalValue | undefined): { text: string; binary: boolean } {
  if (typeof value === 'string') return { text: value, binary: false };
  if (value === null || value === undefined) return { text: '', binary: false };
  if (isByteArray(value)) {
    const bytes = Uint8Array.from(value);
    try {
      return { text: utf8Strict.decode(bytes), binary: false };
    } catch {
      return { text: utf8Lossy.decode(bytes), binary: true };
    }
  }
  // A repeated field: keep every value, one per line, so nothing is dropped.
  const parts = value.map((item) => decodeValue(item));
  return { text: parts.map((part) => part.text).join('\n'), binary: parts.some((part) => part.binary) };
}

function firstText(value: JournalValue | undefined): string | null {
  if (typeof value === 'string') return value;
  if (value === null || value === undefined || value.length === 0) return null;
  if (isByteArray(value)) return decodeValue(value).text;
  return firstText(value[0]);
}

function parseMicros(value: JournalValue | undefined): number | null {
  const text = firstText(value);
  if (text === null || !isDigits(text, 16)) return null;
  return Number(text);
}

/** 1 to `maxLength` ASCII digits and nothing else (a loop: a regular expression per field cost more). */
function isDigits(text: string, maxLength: number): boolean {
  if (text.length === 0 || text.length > maxLength) return false;
  for (let index = 0; index < text.length; index++) {
    const code = text.charCodeAt(index);
    if (code < 48 || code > 57) return false;
  }
  return true;
}

/** Cuts a string to at most `maxBytes` UTF-8 bytes without splitting a character. */
export function truncateUtf8(text: string, maxBytes: number): string {
  if (Buffer.byteLength(text, 'utf8') <= maxBytes) return text;
  const bytes = Buffer.from(text, 'utf8');
  let end = maxBytes;
  while (end > 0 && ((bytes[end] ?? 0) & 0xc0) === 0x80) end--;
  return bytes.subarray(0, end).toString('utf8');
}
