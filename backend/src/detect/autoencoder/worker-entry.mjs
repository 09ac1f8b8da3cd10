// On Node 20 a worker thread does not get its parent's tsx loader, and `execArgv: ['--import', 'tsx']` does
// not reach the worker's module resolution either (the worker fails with "Unknown file extension .ts"), so
// the worker registers tsx itself before loading its TypeScript, as bin/lookout.js does for the CLI.
import { register } from 'tsx/esm/api';

register();
await import('./worker.ts');
