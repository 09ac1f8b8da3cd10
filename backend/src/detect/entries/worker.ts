// Fits an entry model off the ingest thread (started by train-in-worker.ts) and posts it back, the
// calibration scores' buffer moved rather than copied.
import { parentPort, workerData } from 'node:worker_threads';
import { trainEntryModel } from './model.ts';
import type { TrainingJob } from './model.ts';

const model = trainEntryModel(workerData as TrainingJob);
parentPort?.postMessage(model, [model.windowScores.buffer as ArrayBuffer]);
