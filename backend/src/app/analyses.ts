import { createReadStream } from 'node:fs';
import type { AnalysisRequest, AnalysisRunner, AnalysisSummary } from '../api/routes/analyses.ts';
import { runInWorker } from '../detect/run-in-worker.ts';
import { isoFromUs } from '../store/read/minutes.ts';
import { analyzeLog, DEFAULT_CONTAMINATION, DEFAULT_WARMUP_MINUTES } from './analyze.ts';
import { AnalysisCsv, eventJson } from './analysis-output.ts';

export interface AnalysisJob {
  inputPath: string;
  csvPath: string;
  request: AnalysisRequest;
}

/** The API's analyses, each on a worker thread of its own at the lowest priority: ingest and queries go first. */
export const workerAnalyses: AnalysisRunner = {
  run: (inputPath, csvPath, request) =>
    runInWorker<AnalysisSummary>(new URL('./analysis-worker.ts', import.meta.url), {
      inputPath,
      csvPath,
      request,
    } satisfies AnalysisJob),
};

/** Analyses a log file as `lookout analyze` does, writing every entry's scored row to `csvPath`. */
export async function analyzeFile({ inputPath, csvPath, request }: AnalysisJob): Promise<AnalysisSummary> {
  const csv = new AnalysisCsv(csvPath);
  try {
    const result = await analyzeLog(createReadStream(inputPath), {
      format: request.format,
      contamination: request.contamination ?? DEFAULT_CONTAMINATION,
      warmupUs: (request.warmupMinutes ?? DEFAULT_WARMUP_MINUTES) * 60_000_000,
      plain: { host: request.host, unit: request.unit, year: request.year },
      onEntry: (row) => csv.entry(row),
    });
    const iso = (us: number | null) => (us === null ? null : isoFromUs(us));
    const alerting = result.events.filter((event) => event.alert);
    return {
      format: result.format,
      entries: result.entries,
      rejected: result.rejected,
      errors: result.errors,
      templates: result.templates,
      first: iso(result.firstUs),
      last: iso(result.lastUs),
      warmupEnd: iso(result.warmupEndUs),
      clock: result.clock,
      alerting: alerting.length,
      events: (request.all ? result.events : alerting).map(eventJson),
    };
  } finally {
    csv.close();
  }
}
