import { duringBoot } from '../journal/entry.ts';
import type { MinedEntry } from '../mining/mined-entry.ts';
import type { TemplateMiner } from '../mining/miner.ts';
import type { CountAutoencoder } from './autoencoder/count-autoencoder.ts';
import { silenceThreshold, SilenceWatch } from './autoencoder/silence.ts';
import { CountHistory } from './count-history.ts';
import type { EntryScore, EntryScorer } from './entries/index.ts';
import { EventMerger } from './events/merger.ts';
import { seriesKey } from './series-key.ts';
import type { AnomalyEvent } from './events/minute.ts';
import { MinuteScores } from './events/minute-scores.ts';
import type { MinuteScore } from './events/minute-scores.ts';

export interface DetectorOptions {
  /** Minutes a minute stays open after the newest entry's minute, for entries that arrive late. */
  lateMinutes: number;
  /** Anomalous minutes of one series at most this far apart make one event. */
  eventGapMinutes: number;
  /** Per-minute counts kept per series for the rate model (at least its window). */
  historyMinutes: number;
  /**
   * Alerts a day the rate model may raise for the whole fleet on the history it learned from: it sets
   * how much silence pages (see autoencoder/silence.ts). The rate model pages only for a chatty unit
   * gone quiet, which no entry can show; its bursts, crash loops and trends are in the score series,
   * and what is new in them alerts through the entries.
   */
  silenceBudgetPerDay: number;
  /**
   * The rate model finds a minute odd from this score on: a silence pages only then, and an anomalous
   * minute names what is odd about its rate (burst, trend…) among its reasons.
   */
  rateAlertScore: number;
  /** Entries scoring at least this join events without alerting (shown by `analyze --all`). */
  notableScore: number;
}

export const DEFAULT_DETECTOR_OPTIONS: Readonly<DetectorOptions> = Object.freeze({
  lateMinutes: 2,
  eventGapMinutes: 5,
  historyMinutes: 24 * 60,
  silenceBudgetPerDay: 0.5,
  rateAlertScore: 0.9,
  notableScore: 1,
});

export interface Detection {
  /** One per entry of the batch, in order. */
  entryScores: EntryScore[];
  /** Minutes that closed with this batch: the anomaly score series. */
  minuteScores: MinuteScore[];
  /** Events that closed with this batch. */
  closedEvents: AnomalyEvent[];
  /** Events still open, as they stand. */
  openEvents: AnomalyEvent[];
}

const MICROS_PER_MINUTE = 60_000_000;

/**
 * What the entries of a minute told before it closed: how many each (host, unit) logged, for the count
 * history, and which hosts were booting (a reboot silences every unit, which is not a unit's silence).
 */
interface OpenMinute {
  counts: Map<string, { host: string; unit: string; count: number }>;
  booting: Set<string>;
}

/** Which hosts logged, and which were booting, in a closed minute. */
interface MinuteHosts {
  logged: Set<string>;
  booting: Set<string> | undefined;
}

/**
 * Both models over the entry stream: each entry scored as it arrives (the Isolation Forest over entry
 * features), each (host, unit) minute's rate scored once the minute has closed (the LSTM autoencoder,
 * when one is trained; silence shows as a minute with no entries), and anomalous minutes merged into
 * events. Time is the entries' own: a minute closes when entries `lateMinutes` newer have arrived.
 */
export class Detector {
  private readonly minutes: MinuteScores;
  private readonly merger: EventMerger;
  private readonly history: CountHistory;
  private readonly options: DetectorOptions;
  /** What the entries of each open minute told, until it closes. */
  private readonly openMinutes = new Map<number, OpenMinute>();
  /** Silences of the series the rate model knows, up to the last closed minute. */
  private readonly silences = new SilenceWatch();
  /** Evidence a silence needs to alert under the current rate model. */
  private silenceThreshold = Infinity;
  private watermark = Number.NEGATIVE_INFINITY;
  private closedThrough = Number.NEGATIVE_INFINITY;

  constructor(
    readonly entries: EntryScorer,
    private rates: CountAutoencoder | null = null,
    options: Partial<DetectorOptions> = {},
  ) {
    this.options = { ...DEFAULT_DETECTOR_OPTIONS, ...options };
    this.minutes = new MinuteScores({ maxSamples: 5, notableScore: this.options.notableScore });
    this.merger = new EventMerger({ gapMinutes: this.options.eventGapMinutes });
    this.history = new CountHistory(this.options.historyMinutes);
    this.useRateModel(rates);
  }

  /** The version of the rate model in use, or null while there is none. */
  get rateModelVersion(): string | null {
    return this.rates?.version ?? null;
  }

  /** Swaps in a newly trained rate model. */
  useRateModel(rates: CountAutoencoder | null): void {
    this.rates = rates;
    this.silenceThreshold =
      rates === null ? Infinity : silenceThreshold(rates.silence, this.options.silenceBudgetPerDay);
  }

  process(entries: readonly MinedEntry[], miner: TemplateMiner): Detection {
    const entryScores = this.entries.scoreBatch(entries, miner);
    for (let index = 0; index < entries.length; index++) {
      const entry = entries[index] as MinedEntry;
      const score = entryScores[index] as EntryScore;
      const minute = Math.floor(entry.timeUs / MICROS_PER_MINUTE);
      if (minute > this.watermark) this.watermark = minute;
      this.countEntry(minute, entry);
      if (this.minutes.countEntry(entry.host, entry.unit, entry.timeUs, score.score, score.alert)) {
        this.minutes.addNotable({
          host: entry.host,
          unit: entry.unit,
          timeUs: entry.timeUs,
          message: entry.message,
          templateId: entry.templateId,
          template: miner.template(entry.templateId)?.template ?? '',
          score: score.score,
          alert: score.alert,
          reasons: score.reasons,
        });
      }
    }
    const closed = this.closeThrough(this.watermark - this.options.lateMinutes - 1);
    return { entryScores, ...closed, openEvents: this.merger.current() };
  }

  /** Closes everything (end of a file, shutdown). */
  flush(): Omit<Detection, 'entryScores'> {
    const closed = this.closeThrough(this.watermark);
    const rest = this.minutes.flush();
    const closedEvents = [
      ...closed.closedEvents,
      ...this.addAnomalous(rest.anomalous),
      ...this.merger.flush(),
    ];
    return { minuteScores: [...closed.minuteScores, ...rest.scores], closedEvents, openEvents: [] };
  }

  private countEntry(minute: number, entry: MinedEntry): void {
    const { host, unit } = entry;
    let open = this.openMinutes.get(minute);
    if (open === undefined) this.openMinutes.set(minute, (open = { counts: new Map(), booting: new Set() }));
    const key = seriesKey(host, unit);
    const counted = open.counts.get(key);
    if (counted) counted.count++;
    else open.counts.set(key, { host, unit, count: 1 });
    if (duringBoot(entry)) open.booting.add(host);
  }

  /** Closes every minute up to and including `last`: counts into the history, rates scored, events merged. */
  private closeThrough(last: number): { minuteScores: MinuteScore[]; closedEvents: AnomalyEvent[] } {
    if (last <= this.closedThrough || !Number.isFinite(last)) return { minuteScores: [], closedEvents: [] };
    const first = Number.isFinite(this.closedThrough)
      ? this.closedThrough + 1
      : Math.min(...this.openMinutes.keys());
    if (Number.isFinite(first)) {
      const hosts = new Map<number, MinuteHosts>();
      for (let minute = first; minute <= last; minute++) {
        hosts.set(minute, {
          logged: this.recordCounts(minute),
          booting: this.openMinutes.get(minute)?.booting,
        });
      }
      this.scoreRates(first, last, hosts);
    }
    // Entries older than what was already closed (very late ones) are counted no more.
    for (const minute of this.openMinutes.keys()) if (minute <= last) this.openMinutes.delete(minute);
    this.closedThrough = last;
    const closed = this.minutes.closeBefore(last + 1);
    const closedEvents = [...this.addAnomalous(closed.anomalous), ...this.merger.closeBefore(last + 1)];
    return { minuteScores: closed.scores, closedEvents };
  }

  /** Records a closed minute's counts; returns the hosts that logged in it. */
  private recordCounts(minute: number): Set<string> {
    const counted = this.openMinutes.get(minute)?.counts;
    const hosts = new Set<string>();
    for (const { host, unit, count } of counted?.values() ?? []) {
      this.history.record(host, unit, minute, count);
      hosts.add(host);
    }
    if (this.rates === null) return hosts;
    // A series the rate model knows that said nothing this minute counts 0: that is how silence shows.
    for (const { host, unit } of this.history.series()) {
      if (!counted?.has(seriesKey(host, unit)) && this.rates.knows(seriesKey(host, unit))) {
        this.history.record(host, unit, minute, 0);
      }
    }
    return hosts;
  }

  /**
   * Scores the rate of every known series over the closed minutes, one request per series; a silence
   * alerts once it outweighs the threshold, its host heard and not booting, and the model finds it odd.
   */
  private scoreRates(first: number, last: number, hosts: Map<number, MinuteHosts>): void {
    const rates = this.rates;
    if (rates === null) return;
    const known = this.history.series().filter(({ host, unit }) => rates.knows(seriesKey(host, unit)));
    if (known.length === 0) return;
    const requests = known.map(({ host, unit }) => ({
      series: {
        key: seriesKey(host, unit),
        startMinute: last - this.options.historyMinutes + 1,
        counts: this.history.window(host, unit, last),
      },
      fromMinute: Math.max(first, last - this.options.historyMinutes + 1),
      toMinute: last,
    }));
    const results = rates.scoreMany(requests);
    known.forEach(({ host, unit }, index) => {
      const key = seriesKey(host, unit);
      for (const point of results[index] ?? []) {
        const usual = rates.usualCount(key, point.minute);
        const { logged, booting } = hosts.get(point.minute) ?? {};
        const evidence = this.silences.observe(
          key,
          point.minute,
          point.observed,
          usual,
          logged?.has(host) ?? false,
          booting?.has(host) ?? false,
        );
        const odd = point.score >= this.options.rateAlertScore;
        const alert = odd && evidence >= this.silenceThreshold;
        const kind = alert ? 'silence' : odd ? point.kind : null;
        this.minutes.addCountScore(host, unit, point.minute, point.score, alert, kind);
      }
    });
  }

  private addAnomalous(minutes: Parameters<EventMerger['add']>[0][]): AnomalyEvent[] {
    const closed: AnomalyEvent[] = [];
    for (const minute of minutes) {
      const event = this.merger.add(minute);
      if (event) closed.push(event);
    }
    return closed;
  }
}
