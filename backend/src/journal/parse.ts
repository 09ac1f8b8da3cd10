import type { JournalEntry } from './entry.ts';
import { normalizeEntry } from './normalize.ts';
import type { NormalizeOptions } from './normalize.ts';

/** A line that did not become an entry: reported to the user with its number, never dropped silently. */
export interface LineError {
  line: number;
  error: string;
}

/**
 * Parses one `journalctl -o json` line. Returns null for a blank line (journalctl and gatewayd
 * separate entries with newlines only, so blank lines carry nothing).
 */
export function parseJournalLine(
  text: string,
  lineNumber: number,
  options?: NormalizeOptions,
): JournalEntry | LineError | null {
  if (text.charCodeAt(0) !== 123 /* { */ && text.trim() === '') return null;
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    return { line: lineNumber, error: `invalid JSON: ${(error as Error).message}` };
  }
  const entry = normalizeEntry(raw, options);
  return typeof entry === 'string' ? { line: lineNumber, error: entry } : entry;
}

export function isLineError(value: JournalEntry | LineError): value is LineError {
  return 'error' in value;
}
