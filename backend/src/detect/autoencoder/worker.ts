// Trains a count autoencoder off the main thread (started by train-in-worker.ts) and posts back its
// snapshot.
import { parentPort, workerData } from 'node:worker_threads';
import { CountAutoencoder } from './count-autoencoder.ts';
import type { TrainingRequest } from './train-in-worker.ts';

const { series, options } = workerData as TrainingRequest;
const model = await CountAutoencoder.train(series, options);
parentPort?.postMessage(model.toSnapshot());
