import { isUtf8 } from 'node:buffer';

/**
 * The journal export format (https://systemd.io/JOURNAL_EXPORT_FORMATS/), which
 * systemd-journal-remote turns into a real journal file.
 */

export type ExportValue = string | Buffer;
/** A field given more than once (an array) becomes repeated `KEY=value` lines, as journald stores it. */
export type ExportEntry = Record<string, ExportValue | readonly ExportValue[] | undefined>;

export interface ExportOptions {
  /** `__REALTIME_TIMESTAMP` (µs since the epoch) for the first entry that lacks one; default: now. */
  startUs?: number;
  /** Spacing (µs) of the realtime stamps filled in after the last known one; default 1000. */
  stepUs?: number;
  /** `_BOOT_ID` for entries that lack one (32 lowercase hex digits); default a fixed id. */
  bootId?: string;
  /**
   * Realtime (µs) at which that boot started: a filled `__MONOTONIC_TIMESTAMP` is the time since then.
   * The default is fixed (2000-01-01) rather than taken from the first entry, so entries written by
   * separate calls still sort by time: journalctl orders entries of one boot by monotonic time.
   */
  bootStartUs?: number;
}

export const DEFAULT_BOOT_ID = '6c6f6f6b6f75742d626f6f742d696421';
export const DEFAULT_BOOT_START_US = Date.UTC(2000, 0, 1) * 1000;

/** journald's rule for field names (journal_field_valid); journal-remote silently drops other fields. */
const FIELD_NAME = /^[A-Z_][A-Z0-9_]{0,63}$/;
/** Values with control characters (other than tab) must use the binary form; a bare newline would end the field. */
// eslint-disable-next-line no-control-regex -- control characters are what it looks for
const NEEDS_BINARY_TEXT = /[\x00-\x08\x0a-\x1f\x7f]/;

function bufferNeedsBinary(value: Buffer): boolean {
  for (const byte of value) {
    if ((byte < 0x20 && byte !== 0x09) || byte === 0x7f) return true;
  }
  return !isUtf8(value);
}

function binaryField(name: string, value: Buffer): Buffer {
  const header = Buffer.allocUnsafe(name.length + 9);
  header.write(name, 0, 'latin1');
  header[name.length] = 0x0a;
  header.writeUInt32LE(value.length % 2 ** 32, name.length + 1);
  header.writeUInt32LE(Math.floor(value.length / 2 ** 32), name.length + 5);
  return Buffer.concat([header, value, NEWLINE]);
}

const NEWLINE = Buffer.from('\n');

/**
 * Encodes entries one at a time, filling in the timestamps and boot id that journal-remote needs
 * (it drops an entry without `__REALTIME_TIMESTAMP`, reuses the previous entry's monotonic time
 * when `__MONOTONIC_TIMESTAMP` is missing, and stores an all-zero `_BOOT_ID` when none is given).
 */
export class ExportEncoder {
  private readonly stepUs: number;
  private readonly bootId: string;
  private lastRealtimeUs: number | undefined;
  private readonly bootStartUs: number;
  private readonly checkedNames = new Set<string>();

  constructor(private readonly options: ExportOptions = {}) {
    this.stepUs = options.stepUs ?? 1000;
    this.bootId = options.bootId ?? DEFAULT_BOOT_ID;
    this.bootStartUs = options.bootStartUs ?? DEFAULT_BOOT_START_US;
  }

  encode(entry: ExportEntry): Buffer {
    const realtimeUs = this.realtime(entry.__REALTIME_TIMESTAMP);
    let text = '';
    const parts: Buffer[] = [];
    const add = (name: string, value: ExportValue) => {
      if (typeof value === 'string' ? !NEEDS_BINARY_TEXT.test(value) : !bufferNeedsBinary(value)) {
        text += `${name}=${value.toString()}\n`;
        return;
      }
      if (text.length > 0) parts.push(Buffer.from(text));
      text = '';
      parts.push(binaryField(name, typeof value === 'string' ? Buffer.from(value) : value));
    };

    add('__REALTIME_TIMESTAMP', String(realtimeUs));
    if (entry.__MONOTONIC_TIMESTAMP === undefined) {
      add('__MONOTONIC_TIMESTAMP', String(Math.max(0, realtimeUs - this.bootStartUs)));
    }
    if (entry._BOOT_ID === undefined) add('_BOOT_ID', this.bootId);
    for (const name in entry) {
      const value = entry[name];
      if (value === undefined || name === '__REALTIME_TIMESTAMP') continue;
      this.checkName(name);
      if (typeof value === 'string' || Buffer.isBuffer(value)) add(name, value);
      else for (const item of value as readonly ExportValue[]) add(name, item);
    }
    text += '\n';
    if (parts.length === 0) return Buffer.from(text);
    parts.push(Buffer.from(text));
    return Buffer.concat(parts);
  }

  private realtime(given: ExportEntry[string]): number {
    if (given !== undefined) {
      const text = Array.isArray(given) ? given[0] : given;
      const value = Number(String(text));
      if (!Number.isSafeInteger(value) || value <= 0) {
        throw new Error(
          `__REALTIME_TIMESTAMP must be a positive integer of microseconds, got ${String(text)}`,
        );
      }
      this.lastRealtimeUs = value;
      return value;
    }
    this.lastRealtimeUs =
      this.lastRealtimeUs === undefined
        ? (this.options.startUs ?? Date.now() * 1000)
        : this.lastRealtimeUs + this.stepUs;
    return this.lastRealtimeUs;
  }

  private checkName(name: string): void {
    if (this.checkedNames.has(name)) return;
    if (!FIELD_NAME.test(name)) {
      throw new Error(
        `invalid journal field name ${JSON.stringify(name)}: use A-Z, 0-9 and _, not starting with a digit, at most 64 characters`,
      );
    }
    this.checkedNames.add(name);
  }
}

/** The export format of the given entries, one Buffer per entry, so any number can be streamed. */
export function* toExportFormat(
  entries: Iterable<ExportEntry>,
  options: ExportOptions = {},
): Generator<Buffer> {
  const encoder = new ExportEncoder(options);
  for (const entry of entries) yield encoder.encode(entry);
}

/**
 * Reads export format back (as gatewayd serves it with `Accept: application/vnd.fdo.journal`, the
 * only form in which it returns fields of 4096 bytes or more), keeping every value as bytes.
 */
export function parseExportFormat(data: Buffer): Map<string, Buffer[]>[] {
  const entries: Map<string, Buffer[]>[] = [];
  let entry = new Map<string, Buffer[]>();
  let position = 0;
  while (position < data.length) {
    const newline = data.indexOf(0x0a, position);
    const end = newline === -1 ? data.length : newline;
    if (end === position) {
      if (entry.size > 0) entries.push(entry);
      entry = new Map();
      position = end + 1;
      continue;
    }
    const line = data.subarray(position, end);
    const equals = line.indexOf(0x3d);
    let name: string;
    let value: Buffer;
    if (equals !== -1) {
      name = line.subarray(0, equals).toString('latin1');
      value = line.subarray(equals + 1);
      position = end + 1;
    } else {
      name = line.toString('latin1');
      if (end + 9 > data.length) throw new Error(`export format ends inside the length of field ${name}`);
      const length = data.readUInt32LE(end + 1) + data.readUInt32LE(end + 5) * 2 ** 32;
      const start = end + 9;
      if (start + length + 1 > data.length) throw new Error(`export format ends inside field ${name}`);
      value = data.subarray(start, start + length);
      position = start + length + 1;
    }
    const values = entry.get(name);
    if (values === undefined) entry.set(name, [value]);
    else values.push(value);
  }
  if (entry.size > 0) entries.push(entry);
  return entries;
}

/** As {@link toExportFormat}, for entries that arrive asynchronously. */
export async function* toExportFormatAsync(
  entries: AsyncIterable<ExportEntry> | Iterable<ExportEntry>,
  options: ExportOptions = {},
): AsyncGenerator<Buffer> {
  const encoder = new ExportEncoder(options);
  for await (const entry of entries) yield encoder.encode(entry);
}
