import type { AnalysisEvent } from '../api/routes/analyses.ts';
import type { AnomalyEvent } from '../detect/events/minute.ts';
import type { AnalyzedEntry } from './analyze.ts';
import { isoFromUs } from '../store/read/minutes.ts';
import { CsvFileWriter } from './csv.ts';

/** The columns of an analysis's CSV: one row per entry, in input order. */
const ANALYSIS_CSV_HEADER = [
  'line',
  'time',
  'host',
  'unit',
  'priority',
  'template_id',
  'template',
  'score',
  'alert',
  'reasons',
  'message',
] as const;

/** Every analysed entry with its score, as CSV in a file: the header row, then a row per {@link entry}. */
export class AnalysisCsv {
  readonly #file: CsvFileWriter;

  constructor(path: string) {
    this.#file = new CsvFileWriter(path);
    this.#file.row(...ANALYSIS_CSV_HEADER);
  }

  entry(row: AnalyzedEntry): void {
    this.#file.row(...analysisCsvRow(row));
  }

  close(): void {
    this.#file.close();
  }
}

/** An entry's row of the CSV, in {@link ANALYSIS_CSV_HEADER}'s order. */
function analysisCsvRow(row: AnalyzedEntry): (string | number)[] {
  return [
    row.line,
    isoFromUs(row.entry.timeUs),
    row.entry.host,
    row.entry.unit,
    row.entry.priority ?? '',
    row.entry.templateId,
    row.template,
    row.score.toFixed(4),
    row.alert ? 1 : 0,
    row.reasons.join(' '),
    row.entry.message,
  ];
}

/** An event as `lookout analyze --json` prints it and the analyses API returns it. */
export function eventJson(event: AnomalyEvent): AnalysisEvent {
  return {
    host: event.host,
    unit: event.unit,
    start: isoFromUs(event.startUs),
    end: isoFromUs(event.endUs),
    score: Math.round(event.score * 1000) / 1000,
    alert: event.alert,
    reasons: event.reasons,
    templates: event.templates,
    samples: event.samples.map((sample) => ({
      time: isoFromUs(sample.timeUs),
      message: sample.message,
    })),
  };
}
