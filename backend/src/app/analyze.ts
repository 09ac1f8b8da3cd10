import type { Readable } from 'node:stream';
import { runSeedBaseline } from '../detect/baseline/seed-baseline.ts';
import { DEFAULT_ENTRY_SCORER_OPTIONS, OfflineEntryScorer } from '../detect/entries/index.ts';
import { EventMerger } from '../detect/events/merger.ts';
import type { AnomalyEvent } from '../detect/events/minute.ts';
import { MinuteScores } from '../detect/events/minute-scores.ts';
import { EntryFlag } from '../journal/entry.ts';
import type { JournalEntry } from '../journal/entry.ts';
import { LineSplitter } from '../journal/lines.ts';
import { isLineError, parseJournalLine } from '../journal/parse.ts';
import type { LineError } from '../journal/parse.ts';
import { parsePlainLine } from '../journal/plain.ts';
import type { PlainTextOptions } from '../journal/plain.ts';
import type { MinedEntry } from '../mining/mined-entry.ts';
import { TemplateMiner } from '../mining/miner.ts';

export type InputFormat = 'journald' | 'plain' | 'auto';

export interface AnalyzeOptions {
  format: InputFormat;
  /** Expected share of anomalous entries; sets the alerting threshold. */
  contamination: number;
  /** Score with the articles' pipeline (TF-IDF + unit + hour → Isolation Forest) instead of Lookout's. */
  baseline?: 'seed';
  plain?: PlainTextOptions;
  /** History learned before anything is reported: alerts in the first part of a file only mean "new here". */
  warmupUs?: number;
  onProgress?: (bytesRead: number, entries: number) => void;
  /** Called for every entry with its score, in input order: for CSV output. */
  onEntry?: (row: AnalyzedEntry) => void;
}

export interface AnalyzedEntry {
  line: number;
  entry: MinedEntry;
  template: string;
  score: number;
  alert: boolean;
  reasons: readonly string[];
}

export interface AnalyzeResult {
  format: 'journald' | 'plain';
  entries: number;
  rejected: number;
  errors: LineError[];
  /** Every event after the warm-up, highest score first; `alert` says which would alert. */
  events: AnomalyEvent[];
  templates: number;
  firstUs: number | null;
  lastUs: number | null;
  warmupEndUs: number | null;
  /**
   * `lines` when no line of a plain-text log had a timestamp: the log was then read one line a second
   * from the epoch, so line n is at n - 1 seconds (see {@link LINE_CLOCK_US}).
   */
  clock: 'timestamps' | 'lines';
}

/** What an analysis assumes when not told: the service's contamination, and an hour learned from first. */
export const DEFAULT_CONTAMINATION = DEFAULT_ENTRY_SCORER_OPTIONS.contamination;
export const DEFAULT_WARMUP_MINUTES = 60;
const DEFAULT_WARMUP_US = DEFAULT_WARMUP_MINUTES * 60_000_000;
/**
 * The time between two lines of a plain-text log while none of its lines has had a timestamp: one
 * second, so that a log without any timestamps still has minutes to group anomalies by (60 lines each)
 * and a warm-up to learn in. Once a line has had one, a line without follows it by a microsecond.
 */
export const LINE_CLOCK_US = 1_000_000;
/** Entries scoring at least this stand out enough to show with --all. */
const NOTABLE_SCORE = 0.9;

/**
 * Analyses a whole log offline: entries are mined and their features taken in order (so "new" means
 * new at that point of the log), one model is fitted on all of them and scores each, and anomalous
 * minutes are merged into events. What happens in the warm-up (the first hour, or the first tenth of
 * a shorter file) is learned from but not reported: there, everything is new.
 */
export async function analyzeLog(input: Readable, options: AnalyzeOptions): Promise<AnalyzeResult> {
  const miner = new TemplateMiner();
  const collector = new EntryCollector(options);
  const errors: LineError[] = [];
  let rejected = 0;
  let bytesRead = 0;
  const splitter = new LineSplitter({
    line: (text, number) => {
      const parsed = collector.parse(text, number);
      if (parsed === null) return;
      if ('error' in parsed) {
        rejected++;
        if (errors.length < 20) errors.push(parsed);
        return;
      }
      const mined = parsed.entry as MinedEntry;
      mined.templateId = miner.add(mined.message, mined.timeUs).templateId;
      collector.add(mined, parsed.line, miner);
    },
    oversized: (number, bytes) => {
      rejected++;
      if (errors.length < 20)
        errors.push({ line: number, error: `line of ${bytes} bytes is over the line limit` });
    },
  });
  for await (const chunk of input as AsyncIterable<Buffer>) {
    bytesRead += chunk.length;
    splitter.push(chunk);
    options.onProgress?.(bytesRead, collector.count);
  }
  splitter.end();
  const events = collector.finish(miner);
  // Lines before a log's first timestamp (a header, a banner) come at the line clock's start, decades
  // earlier: the warm-up is the first hour of the log's own times.
  const startUs = collector.firstTimedUs ?? collector.firstUs;
  const span = startUs === null || collector.lastUs === null ? 0 : collector.lastUs - startUs;
  const warmupUs = Math.min(options.warmupUs ?? DEFAULT_WARMUP_US, span / 10);
  const warmupEndUs = startUs === null ? null : startUs + warmupUs;
  return {
    format: collector.format ?? 'journald',
    entries: collector.count,
    rejected,
    errors,
    events: events
      .filter((event) => warmupEndUs === null || event.startUs >= warmupEndUs)
      .sort((a, b) => b.score - a.score || a.startUs - b.startUs),
    templates: miner.stats.templates,
    firstUs: collector.firstUs,
    lastUs: collector.lastUs,
    warmupEndUs,
    clock: collector.format === 'plain' && collector.firstTimedUs === null ? 'lines' : 'timestamps',
  };
}

/** Parses lines in the file's format, keeps the entries and scores them all at the end. */
class EntryCollector {
  format: 'journald' | 'plain' | null;
  count = 0;
  firstUs: number | null = null;
  lastUs: number | null = null;
  /** The earliest time a line gave (not the line clock's). */
  firstTimedUs: number | null = null;
  private readonly entries: { entry: MinedEntry; line: number }[] = [];
  private readonly offline: OfflineEntryScorer | null;

  constructor(private readonly options: AnalyzeOptions) {
    this.format = options.format === 'auto' ? null : options.format;
    this.offline =
      options.baseline === 'seed' ? null : new OfflineEntryScorer({ contamination: options.contamination });
  }

  parse(text: string, line: number): { entry: JournalEntry; line: number } | LineError | null {
    if (text.trim() === '') return null;
    this.format ??= text.trimStart().startsWith('{') ? 'journald' : 'plain';
    if (this.format === 'plain') {
      const fallbackUs =
        this.lastUs === null ? 0 : this.lastUs + (this.firstTimedUs === null ? LINE_CLOCK_US : 1);
      return { entry: parsePlainLine(text, fallbackUs, this.options.plain), line };
    }
    const parsed = parseJournalLine(text, line);
    if (parsed === null || isLineError(parsed)) return parsed;
    return { entry: parsed, line };
  }

  /** Call right after `miner.add()` of the entry's message. */
  add(entry: MinedEntry, line: number, miner: TemplateMiner): void {
    this.count++;
    this.firstUs = Math.min(this.firstUs ?? entry.timeUs, entry.timeUs);
    this.lastUs = Math.max(this.lastUs ?? entry.timeUs, entry.timeUs);
    if ((entry.flags & EntryFlag.missingTime) === 0) {
      this.firstTimedUs = Math.min(this.firstTimedUs ?? entry.timeUs, entry.timeUs);
    }
    this.entries.push({ entry, line });
    this.offline?.add(entry, miner);
  }

  /** Scores every entry with Lookout's model fitted on the whole log (or the baseline), and merges events. */
  finish(miner: TemplateMiner): AnomalyEvent[] {
    const scored = this.offline ? this.offline.score() : this.scoreWithBaseline();
    const minutes = new MinuteScores({
      maxSamples: 5,
      notableScore: this.offline ? NOTABLE_SCORE : Number.POSITIVE_INFINITY,
    });
    this.entries.forEach(({ entry, line }, index) => {
      const { score, alert, reasons } = scored[index] ?? { score: 0, alert: false, reasons: [] };
      const template = miner.template(entry.templateId)?.template ?? '';
      minutes.addEntry({ ...entry, template, score, alert, reasons });
      this.options.onEntry?.({ line, entry, template, score, alert, reasons });
    });
    const merger = new EventMerger();
    const closed: AnomalyEvent[] = [];
    for (const minute of minutes.flush().anomalous) {
      const event = merger.add(minute);
      if (event) closed.push(event);
    }
    return [...closed, ...merger.flush()];
  }

  /** The articles' pipeline: fitted on the whole file and scored on it. */
  private scoreWithBaseline(): { score: number; alert: boolean; reasons: string[] }[] {
    const result = runSeedBaseline(
      this.entries.map(({ entry }) => entry),
      { contamination: this.options.contamination },
    );
    return this.entries.map((_, index) => {
      const alert = result.anomalous[index] === 1;
      return { score: result.scores[index] ?? 0, alert, reasons: alert ? ['seed-baseline'] : [] };
    });
  }
}
