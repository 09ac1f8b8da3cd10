/** What `Range: entries=<cursor>[[:<skip>]:<count>]` asks for, as systemd-journal-gatewayd reads it. */
export interface EntriesRange {
  cursor: string | null;
  skip: number;
  count: number | null;
}

export function parseEntriesRange(header: string | undefined): EntriesRange | string {
  if (header === undefined || header.trim() === '') return { cursor: null, skip: 0, count: null };
  const match = /^entries=([^:]*)(?::(-?\d*))?(?::(\d*))?$/.exec(header.trim());
  if (!match) return `Range header "${header}" is not entries=<cursor>[[:<skip>]:<count>]`;
  const [, cursor = '', first, second] = match;
  // "entries=C:N" means N entries; "entries=C:S:N" skips S first.
  const skipText = second === undefined ? '' : (first ?? '');
  const countText = second === undefined ? (first ?? '') : second;
  const skip = skipText === '' ? 0 : Number(skipText);
  if (skip < 0) return 'a negative skip in the Range header is not supported by lookout agent';
  return { cursor: cursor === '' ? null : cursor, skip, count: countText === '' ? null : Number(countText) };
}

/** journalctl arguments for a range: --cursor includes that entry, --after-cursor skips it. */
export function journalctlArgs(
  range: EntriesRange,
  options: { follow: boolean; directory?: string; matches: string[]; boot: boolean },
): { args: string[]; dropLines: number } {
  // --all: without it journalctl prints null for values over 4 KiB.
  const args = ['--output=json', '--all', '--quiet', '--no-pager'];
  if (options.directory) args.push(`--directory=${options.directory}`);
  if (options.boot) args.push('--boot');
  let dropLines = 0;
  if (range.cursor !== null) {
    if (range.skip > 0) {
      args.push(`--after-cursor=${range.cursor}`);
      dropLines = range.skip - 1;
    } else {
      args.push(`--cursor=${range.cursor}`);
    }
  } else {
    dropLines = range.skip;
  }
  if (options.follow) args.push('--follow', '--no-tail');
  args.push(...options.matches);
  return { args, dropLines };
}
