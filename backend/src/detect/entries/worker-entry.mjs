// A worker thread on Node 20 does not get its parent's tsx loader (see detect/autoencoder/worker-entry.mjs),
// so it registers tsx itself before loading its TypeScript.
import { register } from 'tsx/esm/api';

register();
await import('./worker.ts');
