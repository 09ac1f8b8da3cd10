/** One journald entry after normalisation: what every later stage sees. */
export interface JournalEntry {
  /**
   * The journal's own cursor (`__CURSOR`) when the entry came from a journal; null for pushes and plain
   * text. A source's batcher keeps the newest one as its resume point and clears it on the entry.
   */
  cursor: string | null;
  /** `__REALTIME_TIMESTAMP`: microseconds since the Unix epoch (exact: well below 2^53). */
  timeUs: number;
  host: string;
  unit: string;
  /** syslog priority 0 (emerg) … 7 (debug); null when the entry has none. */
  priority: number | null;
  message: string;
  pid: number | null;
  /** Bit set of {@link EntryFlag}. */
  flags: number;
  /**
   * `__MONOTONIC_TIMESTAMP`: microseconds since the host booted, when the journal gave it. A boot prints
   * what only boots print, so detection needs to know an entry is part of one.
   */
  sinceBootUs?: number;
  /** Fields not represented above (application fields, CODE_*, MESSAGE_ID …), or null when there are none. */
  extra: Record<string, string | string[]> | null;
}

export const EntryFlag = {
  /** MESSAGE arrived as a byte array that is not valid UTF-8; `message` is its lossy decoding. */
  binaryMessage: 1,
  /** MESSAGE was longer than the limit and was cut. */
  truncated: 2,
  /** The entry had no MESSAGE field. */
  missingMessage: 4,
  /** `__REALTIME_TIMESTAMP` was missing or invalid; the time of ingest was used instead. */
  missingTime: 8,
  /**
   * MESSAGE was null: journalctl without --all, and systemd-journal-gatewayd always, print null for
   * values over 4 KiB. The message existed but did not reach Lookout.
   */
  messageOmitted: 16,
} as const;

export type EntryFlagName = keyof typeof EntryFlag;

export function flagNames(flags: number): EntryFlagName[] {
  return (Object.keys(EntryFlag) as EntryFlagName[]).filter((name) => (flags & EntryFlag[name]) !== 0);
}

/** How long after a boot a host's entries count as part of it (a boot takes a minute or two). */
const BOOT_WINDOW_US = 10 * 60_000_000;

/** Whether the entry was logged while its host was booting (it says what only boots say). */
export function duringBoot(entry: JournalEntry): boolean {
  return entry.sinceBootUs !== undefined && entry.sinceBootUs < BOOT_WINDOW_US;
}
