import { Transform } from 'node:stream';
import type { TransformCallback } from 'node:stream';

/**
 * Passes whole lines through, after dropping the first `drop` and stopping after `keep` (null:
 * no limit). Signals `onFull` once `keep` lines have passed, so the producer can be stopped.
 */
export class LineWindow extends Transform {
  private toDrop: number;
  private left: number | null;

  constructor(
    drop: number,
    keep: number | null,
    private readonly onFull: () => void,
  ) {
    super();
    this.toDrop = drop;
    this.left = keep;
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    let start = 0;
    while (this.toDrop > 0 && start < chunk.length) {
      const newline = chunk.indexOf(10, start);
      if (newline === -1) return callback();
      start = newline + 1;
      this.toDrop--;
    }
    if (this.left === null) {
      if (start < chunk.length) this.push(start === 0 ? chunk : chunk.subarray(start));
      return callback();
    }
    let end = start;
    while (this.left > 0 && end < chunk.length) {
      const newline = chunk.indexOf(10, end);
      if (newline === -1) {
        end = chunk.length;
        break;
      }
      end = newline + 1;
      this.left--;
    }
    if (end > start) this.push(chunk.subarray(start, end));
    if (this.left === 0) {
      this.left = -1;
      this.push(null);
      this.onFull();
    }
    callback();
  }
}
