import { seriesKey } from '../series-key.ts';
import type { AnomalousMinute, AnomalyEvent } from './minute.ts';

export interface MergerOptions {
  /** Anomalous minutes at most this far apart belong to one event. */
  gapMinutes: number;
  maxTemplates: number;
  maxSamples: number;
}

export const DEFAULT_MERGER_OPTIONS: MergerOptions = { gapMinutes: 5, maxTemplates: 5, maxSamples: 5 };

interface OpenEvent {
  host: string;
  unit: string;
  firstMinute: number;
  lastMinute: number;
  score: number;
  alert: boolean;
  minutes: number;
  reasons: Map<string, number>;
  templates: Map<number, { id: number; template: string; count: number }>;
  samples: { timeUs: number; message: string }[];
}

const MICROS_PER_MINUTE = 60_000_000;

/**
 * Merges anomalous minutes into events per (host, unit): a minute within `gapMinutes` of an open
 * event extends it; an event closes once time has moved on past its gap. Minutes of one series may
 * arrive out of order within the gap.
 */
export class EventMerger {
  private readonly open = new Map<string, OpenEvent>();
  private readonly options: MergerOptions;

  constructor(options: Partial<MergerOptions> = {}) {
    this.options = { ...DEFAULT_MERGER_OPTIONS, ...options };
  }

  /** Adds a minute; returns the event of that series it closed, if the minute came after its gap. */
  add(minute: AnomalousMinute): AnomalyEvent | null {
    const key = seriesKey(minute.host, minute.unit);
    const current = this.open.get(key);
    let closed: AnomalyEvent | null = null;
    if (current && minute.minute - current.lastMinute > this.options.gapMinutes) {
      closed = this.finish(current);
      this.open.delete(key);
    } else if (current) {
      this.extend(current, minute);
      return null;
    }
    const started: OpenEvent = {
      host: minute.host,
      unit: minute.unit,
      firstMinute: minute.minute,
      lastMinute: minute.minute,
      score: 0,
      alert: false,
      minutes: 0,
      reasons: new Map(),
      templates: new Map(),
      samples: [],
    };
    this.extend(started, minute);
    this.open.set(key, started);
    return closed;
  }

  /** Closes and returns every event whose gap has passed by `nowMinute`. */
  closeBefore(nowMinute: number): AnomalyEvent[] {
    const closed: AnomalyEvent[] = [];
    for (const [key, event] of this.open) {
      if (nowMinute - event.lastMinute > this.options.gapMinutes) {
        closed.push(this.finish(event));
        this.open.delete(key);
      }
    }
    return closed;
  }

  /** The events still open, as they stand, for showing an incident that is under way. */
  current(): AnomalyEvent[] {
    return Array.from(this.open.values(), (event) => this.finish(event));
  }

  /** Closes and returns every open event (end of a file, shutdown). */
  flush(): AnomalyEvent[] {
    const closed = this.current();
    this.open.clear();
    return closed;
  }

  private extend(event: OpenEvent, minute: AnomalousMinute): void {
    event.firstMinute = Math.min(event.firstMinute, minute.minute);
    event.lastMinute = Math.max(event.lastMinute, minute.minute);
    event.score = Math.max(event.score, minute.score);
    event.alert ||= minute.alert;
    event.minutes++;
    for (const reason of minute.reasons) event.reasons.set(reason, (event.reasons.get(reason) ?? 0) + 1);
    for (const template of minute.templates) {
      const known = event.templates.get(template.id);
      if (known) known.count += template.count;
      else event.templates.set(template.id, { ...template });
    }
    for (const sample of minute.samples) {
      if (event.samples.length >= this.options.maxSamples) break;
      event.samples.push(sample);
    }
  }

  private finish(event: OpenEvent): AnomalyEvent {
    return {
      host: event.host,
      unit: event.unit,
      startUs: event.firstMinute * MICROS_PER_MINUTE,
      endUs: (event.lastMinute + 1) * MICROS_PER_MINUTE,
      score: event.score,
      alert: event.alert,
      reasons: [...event.reasons]
        .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
        .map(([reason]) => reason),
      templates: [...event.templates.values()]
        .sort((a, b) => b.count - a.count || a.id - b.id)
        .slice(0, this.options.maxTemplates),
      samples: [...event.samples].sort((a, b) => a.timeUs - b.timeUs),
      minutes: event.minutes,
    };
  }
}
