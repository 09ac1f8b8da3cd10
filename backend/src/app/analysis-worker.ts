// One analysis of an uploaded log on a worker thread (see analyses.ts): its summary is the one message.
import { parentPort, workerData } from 'node:worker_threads';
import { analyzeFile } from './analyses.ts';
import type { AnalysisJob } from './analyses.ts';

parentPort?.postMessage(await analyzeFile(workerData as AnalysisJob));
