import type { AnomalousMinute } from './minute.ts';

/** One scored entry, as the per-entry model sees it. */
export interface ScoredEntry {
  host: string;
  unit: string;
  timeUs: number;
  message: string;
  templateId: number;
  template: string;
  /** Calibrated 0..1. */
  score: number;
  alert: boolean;
  reasons: readonly string[];
}

/** The anomaly score of one (host, unit) minute: the `lookout_anomaly_score` series. */
export interface MinuteScore {
  host: string;
  unit: string;
  minute: number;
  /** The larger of the two below. */
  score: number;
  /** Highest per-entry score in the minute (0 without entries). */
  entryScore: number;
  /** The count model's score of the minute's rate (0 when it has not scored it). */
  countScore: number;
}

interface Bucket {
  host: string;
  unit: string;
  minute: number;
  entryScore: number;
  countScore: number;
  notable: boolean;
  alert: boolean;
  reasons: Set<string>;
  /** What the count model found odd about the minute's rate, if it did. */
  rateKind: string | null;
  templates: Map<number, { id: number; template: string; count: number }>;
  samples: { timeUs: number; message: string }[];
}

const MICROS_PER_MINUTE = 60_000_000;

/**
 * Collects scores per (host, unit, minute) until the minute can no longer change (entries arrive a
 * little out of order, so the caller closes minutes some time after the newest one seen), then hands
 * out its score and, when an entry or the count model alerted (or an entry stood out), the anomalous
 * minute.
 */
export class MinuteScores {
  /** By minute, host and unit: no key built per entry. */
  private readonly buckets = new Map<number, Map<string, Map<string, Bucket>>>();

  /**
   * @param notableScore entries scoring at least this make their minute part of an event even when
   *   they do not alert, so `--all` can show what stood out below the alerting line.
   */
  constructor(
    private readonly options: { maxSamples: number; notableScore: number } = {
      maxSamples: 5,
      notableScore: 1,
    },
  ) {}

  addEntry(entry: ScoredEntry): void {
    if (this.countEntry(entry.host, entry.unit, entry.timeUs, entry.score, entry.alert))
      this.addNotable(entry);
  }

  /**
   * Counts an entry's score in its minute. True when the entry alerted or stood out: then its details
   * belong to the minute too ({@link addNotable}), which only such entries need to be given (a template
   * looked up for every entry would cost the ingest path for nothing).
   */
  countEntry(host: string, unit: string, timeUs: number, score: number, alert: boolean): boolean {
    const bucket = this.bucket(host, unit, Math.floor(timeUs / MICROS_PER_MINUTE));
    bucket.entryScore = Math.max(bucket.entryScore, score);
    return alert || score >= this.options.notableScore;
  }

  /** The details of an entry {@link countEntry} found notable: reasons, template, a sample. */
  addNotable(entry: ScoredEntry): void {
    const bucket = this.bucket(entry.host, entry.unit, Math.floor(entry.timeUs / MICROS_PER_MINUTE));
    bucket.notable = true;
    bucket.alert ||= entry.alert;
    for (const reason of entry.reasons) bucket.reasons.add(reason);
    const known = bucket.templates.get(entry.templateId);
    if (known) known.count++;
    else bucket.templates.set(entry.templateId, { id: entry.templateId, template: entry.template, count: 1 });
    if (bucket.samples.length < this.options.maxSamples) {
      bucket.samples.push({ timeUs: entry.timeUs, message: entry.message });
    }
  }

  /**
   * The count model's verdict on a minute's rate. `kind` (burst, silence, trend, periodic), given when
   * the model found the rate odd, is a reason of the minute when the rate alerts, and also when its
   * entries make the minute anomalous: a new error that comes as a burst says so.
   */
  addCountScore(
    host: string,
    unit: string,
    minute: number,
    score: number,
    alert: boolean,
    kind: string | null,
  ): void {
    const bucket = this.bucket(host, unit, minute);
    bucket.countScore = Math.max(bucket.countScore, score);
    bucket.rateKind = kind ?? bucket.rateKind;
    if (!alert) return;
    bucket.notable = true;
    bucket.alert = true;
  }

  /** Hands out every minute before `minute` (exclusive). */
  closeBefore(minute: number): { scores: MinuteScore[]; anomalous: AnomalousMinute[] } {
    return this.take((bucketMinute) => bucketMinute < minute);
  }

  /** Hands out every minute held. */
  flush(): { scores: MinuteScore[]; anomalous: AnomalousMinute[] } {
    return this.take(() => true);
  }

  private take(due: (minute: number) => boolean): { scores: MinuteScore[]; anomalous: AnomalousMinute[] } {
    const scores: MinuteScore[] = [];
    const anomalous: AnomalousMinute[] = [];
    for (const [minute, byHost] of this.buckets) {
      if (!due(minute)) continue;
      this.buckets.delete(minute);
      for (const byUnit of byHost.values()) {
        for (const bucket of byUnit.values()) {
          const { host, unit, entryScore, countScore } = bucket;
          const score = Math.max(entryScore, countScore);
          scores.push({ host, unit, minute, score, entryScore, countScore });
          if (bucket.notable) {
            if (bucket.rateKind !== null) bucket.reasons.add(bucket.rateKind);
            anomalous.push({
              host,
              unit,
              minute,
              score,
              alert: bucket.alert,
              reasons: [...bucket.reasons],
              templates: [...bucket.templates.values()],
              samples: bucket.samples,
            });
          }
        }
      }
    }
    const order = (a: { minute: number; host: string; unit: string }, b: typeof a) =>
      a.minute - b.minute || a.host.localeCompare(b.host) || a.unit.localeCompare(b.unit);
    return { scores: scores.sort(order), anomalous: anomalous.sort(order) };
  }

  private bucket(host: string, unit: string, minute: number): Bucket {
    let byHost = this.buckets.get(minute);
    if (byHost === undefined) this.buckets.set(minute, (byHost = new Map()));
    let byUnit = byHost.get(host);
    if (byUnit === undefined) byHost.set(host, (byUnit = new Map()));
    let bucket = byUnit.get(unit);
    if (bucket === undefined) {
      bucket = {
        host,
        unit,
        minute,
        entryScore: 0,
        countScore: 0,
        notable: false,
        alert: false,
        reasons: new Set(),
        rateKind: null,
        templates: new Map(),
        samples: [],
      };
      byUnit.set(unit, bucket);
    }
    return bucket;
  }
}
