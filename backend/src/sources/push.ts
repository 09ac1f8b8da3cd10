import { LineSplitter } from '../journal/lines.ts';
import type { LineError } from '../journal/parse.ts';
import { EntryBatcher } from './batcher.ts';
import { PUSH_SOURCE } from './keys.ts';
import type { EntrySink } from './sink.ts';

export interface PushResult {
  accepted: number;
  rejected: number;
  errors: LineError[];
}

/** How many bad lines a push answer names; the rest are only counted. */
export const MAX_REPORTED_ERRORS = 100;

/**
 * Stores one pushed NDJSON body. Valid lines are kept even when others are bad; the bad ones come
 * back with their line numbers so the shipper can fix or drop them.
 */
export function ingestPush(body: Buffer, sink: EntrySink, defaultHost?: string): PushResult {
  const batcher = new EntryBatcher(PUSH_SOURCE, sink, {
    maxEntries: 10_000,
    keepErrors: MAX_REPORTED_ERRORS,
    normalize: defaultHost === undefined ? undefined : { defaultHost },
  });
  const splitter = new LineSplitter(batcher);
  splitter.push(body);
  splitter.end();
  batcher.flush();
  return { accepted: batcher.accepted, rejected: batcher.rejected, errors: batcher.firstErrors };
}
