import { closeSync, openSync, writeSync } from 'node:fs';

export function csvCell(value: string | number): string {
  const text = String(value);
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

function csvLine(cells: readonly (string | number)[]): string {
  return cells.map(csvCell).join(',') + '\n';
}

/** Writes CSV rows (RFC 4180 quoting) to a stream in large chunks, waiting when the reader is slower. */
export class CsvWriter {
  readonly #stream: NodeJS.WritableStream;
  #pending = '';

  constructor(stream: NodeJS.WritableStream) {
    this.#stream = stream;
  }

  async row(...cells: (string | number)[]): Promise<void> {
    this.#pending += csvLine(cells);
    if (this.#pending.length >= 64 * 1024) await this.flush();
  }

  async flush(): Promise<void> {
    if (this.#pending === '') return;
    const chunk = this.#pending;
    this.#pending = '';
    if (!this.#stream.write(chunk)) {
      await new Promise<void>((resolve) => this.#stream.once('drain', resolve));
    }
  }
}

/** Writes CSV rows to a file synchronously, for callers that produce rows inside synchronous work. */
export class CsvFileWriter {
  readonly #fd: number;
  #pending = '';

  constructor(path: string) {
    this.#fd = openSync(path, 'w');
  }

  row(...cells: (string | number)[]): void {
    this.#pending += csvLine(cells);
    if (this.#pending.length >= 64 * 1024) this.flush();
  }

  flush(): void {
    if (this.#pending === '') return;
    writeSync(this.#fd, this.#pending);
    this.#pending = '';
  }

  close(): void {
    this.flush();
    closeSync(this.#fd);
  }
}
