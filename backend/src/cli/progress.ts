/**
 * A one-line progress bar on stderr, redrawn in place. It draws only on a terminal, so piped and
 * CI output stays clean; the command's summary is printed either way.
 */
export class ProgressBar {
  private readonly started = performance.now();
  private drawn = false;

  constructor(
    private readonly stream: NodeJS.WriteStream = process.stderr,
    private readonly enabled: boolean = Boolean(stream.isTTY),
  ) {}

  /** @param done work done so far (bytes); @param total null when unknown (stdin) */
  update(done: number, total: number | null, items: number, itemName: string): void {
    if (!this.enabled) return;
    const seconds = (performance.now() - this.started) / 1000;
    const rate = seconds > 0 ? Math.round(items / seconds) : 0;
    let line: string;
    if (total !== null && total > 0) {
      const share = Math.min(1, done / total);
      const width = 28;
      const filled = Math.round(share * width);
      const eta = share > 0 ? Math.max(0, seconds / share - seconds) : 0;
      line =
        `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${(share * 100).toFixed(0).padStart(3)}% ` +
        `${formatBytes(done)}/${formatBytes(total)}  ${items.toLocaleString('en-US')} ${itemName}  ` +
        `${rate.toLocaleString('en-US')}/s  ETA ${formatDuration(eta)}`;
    } else {
      line = `${formatBytes(done)}  ${items.toLocaleString('en-US')} ${itemName}  ${rate.toLocaleString('en-US')}/s`;
    }
    this.stream.write(`\r${line.slice(0, (this.stream.columns ?? 120) - 1)}\u001b[K`);
    this.drawn = true;
  }

  done(): void {
    if (this.drawn) this.stream.write('\r\u001b[K');
    this.drawn = false;
  }
}

export function formatBytes(bytes: number): string {
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit++;
  }
  return `${value.toFixed(unit === 0 ? 0 : 1)} ${units[unit]}`;
}

export function formatDuration(seconds: number): string {
  if (seconds < 60) return `${seconds.toFixed(seconds < 10 ? 1 : 0)}s`;
  const minutes = Math.floor(seconds / 60);
  return minutes < 60
    ? `${minutes}m${Math.round(seconds % 60)}s`
    : `${Math.floor(minutes / 60)}h${minutes % 60}m`;
}
