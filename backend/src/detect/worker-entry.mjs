// The entry of every training worker (see run-in-worker.ts). On Node 20 a worker thread does not get its
// parent's tsx loader, and `execArgv: ['--import', 'tsx']` does not reach the worker's module resolution
// either (it fails with "Unknown file extension .ts"), so the worker registers tsx itself, as
// bin/lookout.js does for the CLI, before it loads the TypeScript module named by its first argument.
import { setPriority } from 'node:os';
import { register } from 'tsx/esm/api';

// The lowest priority, for this thread alone (on Linux a thread's nice value is its own): when the CPU is
// short, the fit waits and ingest does not.
setPriority(19);
register();
try {
  await import(process.argv[2]);
} catch (error) {
  // The parent receives a copy of what is thrown here, and an error of a class the copy does not know
  // (better-sqlite3's SqliteError) would arrive without its message.
  if (error instanceof Error && error.constructor !== Error)
    throw new Error(`${error.name}: ${error.message}`);
  throw error;
}
