import { open } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import { Command, Option } from 'commander';
import {
  analyzeLog,
  DEFAULT_CONTAMINATION,
  DEFAULT_WARMUP_MINUTES,
  LINE_CLOCK_US,
} from '../../app/analyze.ts';
import type { AnalyzeResult } from '../../app/analyze.ts';
import { AnalysisCsv, eventJson } from '../../app/analysis-output.ts';
import type { AnomalyEvent } from '../../detect/events/minute.ts';
import { isoFromUs } from '../../store/read/minutes.ts';
import { configOption, dataOption } from '../options.ts';
import { ProgressBar } from '../progress.ts';

interface AnalyzeCommandOptions {
  format: 'journald' | 'plain' | 'auto';
  contamination: number;
  json: boolean;
  csv?: string;
  baseline?: 'seed';
  all: boolean;
  warmup: number;
  host?: string;
  unit?: string;
  year?: number;
}

export function analyzeCommand(): Command {
  return new Command('analyze')
    .summary('find the anomalies in a log file (or - for stdin), offline')
    .description(
      'Analyse a whole log offline and print the anomaly events, most anomalous first.\n\n' +
        'Reads `journalctl -o json` output or plain-text logs (one line per entry, with or without a ' +
        'syslog-style timestamp and level; a log with no timestamps at all is read one line a second, and its ' +
        'events name lines). Entries are mined and scored in order, as the service does; ' +
        'the first hour (or the first tenth of a shorter log) is learned from but not reported. By default ' +
        'only events that would alert are printed; --all adds those that merely stood out.\n\n' +
        "Example: journalctl -o json --since '24 hours ago' | lookout analyze -",
    )
    .argument('<file>', 'log file, or - for stdin')
    .addOption(
      new Option('--format <format>', 'input format').choices(['journald', 'plain', 'auto']).default('auto'),
    )
    .addOption(
      new Option(
        '--contamination <share>',
        'expected share of anomalous entries (sets the alerting threshold)',
      )
        .argParser(share)
        .default(DEFAULT_CONTAMINATION),
    )
    .option('--json', 'print the events as a JSON array', false)
    .option('--csv <file>', 'also write every entry with its score to this CSV file')
    .addOption(
      new Option(
        '--baseline <name>',
        "score with the articles' pipeline instead (TF-IDF + unit + hour → Isolation Forest)",
      ).choices(['seed']),
    )
    .option('--all', 'also print events below the alerting threshold', false)
    .addOption(
      new Option('--warmup <minutes>', 'minutes at the start that are learned from but not reported')
        .argParser(Number)
        .default(DEFAULT_WARMUP_MINUTES),
    )
    .option('--host <name>', 'host of plain-text lines that do not name one')
    .option('--unit <name>', 'unit of plain-text lines that do not name one')
    .addOption(
      new Option(
        '--year <year>',
        'year of syslog timestamps (they carry none); default: this year, or last year for dates ahead of today',
      ).argParser(Number),
    )
    .addOption(dataOption())
    .addOption(configOption())
    .action(async (file: string, options: AnalyzeCommandOptions) => {
      const input: Readable = file === '-' ? process.stdin : (await open(file, 'r')).createReadStream();
      const size = file === '-' ? null : await sizeOf(file);
      const progress = new ProgressBar();
      const csv = options.csv ? new AnalysisCsv(options.csv) : null;
      const started = performance.now();
      let result: AnalyzeResult;
      try {
        result = await analyzeLog(input, {
          format: options.format,
          contamination: options.contamination,
          baseline: options.baseline,
          warmupUs: options.warmup * 60_000_000,
          plain: { host: options.host, unit: options.unit, year: options.year },
          onProgress: (bytes, entries) => progress.update(bytes, size, entries, 'entries'),
          onEntry: csv ? (row) => csv.entry(row) : undefined,
        });
      } finally {
        progress.done();
        csv?.close();
      }
      const shown = options.all ? result.events : result.events.filter((event) => event.alert);
      if (options.json) console.log(JSON.stringify(shown.map(eventJson), null, 2));
      else printEvents(shown, result.clock);
      const alerting = result.events.filter((event) => event.alert).length;
      console.error(
        `${result.entries.toLocaleString('en-US')} entries (${result.format}), ${result.templates} templates, ` +
          `${alerting} alerting event(s)${options.all ? `, ${result.events.length - alerting} more below the threshold` : ''} ` +
          `in ${((performance.now() - started) / 1000).toFixed(1)} s` +
          learnedFrom(result) +
          (result.rejected > 0 ? `; ${result.rejected} line(s) rejected` : ''),
      );
      for (const error of result.errors) console.error(`  line ${error.line}: ${error.error}`);
      if (result.rejected > 0) process.exitCode = 2;
    });
}

function share(value: string): number {
  const parsed = Number(value);
  if (!(parsed > 0 && parsed < 1))
    throw new Error(`--contamination must be a share between 0 and 1, got "${value}"`);
  return parsed;
}

async function sizeOf(file: string): Promise<number> {
  const handle = await open(file, 'r');
  try {
    return (await handle.stat()).size;
  } finally {
    await handle.close();
  }
}

/** The line of a log read by the line clock that is at `timeUs`. */
function lineAt(timeUs: number): number {
  return Math.floor(timeUs / LINE_CLOCK_US) + 1;
}

function learnedFrom(result: AnalyzeResult): string {
  if (result.warmupEndUs === null) return '';
  if (result.clock === 'lines') {
    return `; no line has a timestamp, so lines count as a second each: learned from lines 1-${Math.ceil(result.warmupEndUs / LINE_CLOCK_US)}`;
  }
  return `; learned from everything before ${isoFromUs(result.warmupEndUs)}`;
}

function printEvents(events: readonly AnomalyEvent[], clock: AnalyzeResult['clock']): void {
  if (events.length === 0) {
    console.log('no anomalies');
    return;
  }
  const byLine = clock === 'lines';
  const rows = events.map((event) => [
    event.score.toFixed(3),
    event.host,
    event.unit,
    byLine ? `line ${lineAt(event.startUs)}` : isoFromUs(event.startUs).replace('T', ' ').slice(0, 16),
    byLine
      ? `${lineAt(event.endUs) - lineAt(event.startUs)} lines`
      : `${Math.round((event.endUs - event.startUs) / 60_000_000)}m`,
    event.reasons.join(','),
    (event.templates[0]?.template ?? event.samples[0]?.message ?? '').slice(0, 80),
  ]);
  const header = ['score', 'host', 'unit', byLine ? 'from' : 'start (UTC)', 'for', 'reasons', 'top template'];
  const widths = header.map((title, column) =>
    Math.max(title.length, ...rows.map((row) => (row[column] ?? '').length)),
  );
  const line = (cells: string[]) =>
    cells
      .map((cell, column) => cell.padEnd(widths[column] ?? 0))
      .join('  ')
      .trimEnd();
  console.log(line(header));
  for (const row of rows) console.log(line(row));
}
