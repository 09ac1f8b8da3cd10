// Reads the store's counts and trains the rate model off the serving thread (see rate-training.ts).
import { parentPort, workerData } from 'node:worker_threads';
import { trainRates } from './rate-training.ts';
import type { RateTrainingJob } from './rate-training.ts';

parentPort?.postMessage(await trainRates(workerData as RateTrainingJob));
