import { Worker } from 'node:worker_threads';
import type { TransferListItem } from 'node:worker_threads';

/**
 * Runs the TypeScript module `script` on a worker thread of the lowest priority, with `workerData`, and
 * resolves with the one message it posts before it exits. `transfer` moves those buffers to the worker
 * instead of copying them (the caller must not use them after). Aborting the signal terminates the worker
 * and rejects with the signal's reason.
 */
export function runInWorker<T>(
  script: URL,
  workerData: unknown,
  options: { transfer?: readonly TransferListItem[]; signal?: AbortSignal } = {},
): Promise<T> {
  const { transfer = [], signal } = options;
  return new Promise((resolve, reject) => {
    signal?.throwIfAborted();
    const worker = new Worker(new URL('./worker-entry.mjs', import.meta.url), {
      argv: [script.href],
      workerData,
      transferList: [...transfer],
    });
    const abort = () => {
      reject(signal?.reason);
      void worker.terminate();
    };
    signal?.addEventListener('abort', abort, { once: true });
    let result: { value: T } | undefined;
    worker.once('message', (message: T) => {
      result = { value: message };
    });
    worker.once('error', reject);
    worker.once('exit', (code) => {
      signal?.removeEventListener('abort', abort);
      if (result !== undefined) resolve(result.value);
      else reject(new Error(`the worker ${script.pathname} exited (code ${code}) without a result`));
    });
  });
}
