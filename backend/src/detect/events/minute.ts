/** What one (host, unit) minute contributed to an anomaly: the unit events are built from. */
export interface AnomalousMinute {
  host: string;
  unit: string;
  /** Minutes since the Unix epoch. */
  minute: number;
  /** Calibrated 0..1. */
  score: number;
  /** An entry or the rate alerted (rather than merely standing out). */
  alert: boolean;
  reasons: readonly string[];
  /** Templates of the entries that made the minute anomalous, with how many of each. */
  templates: readonly { id: number; template: string; count: number }[];
  /** A few of those entries. */
  samples: readonly { timeUs: number; message: string }[];
}

/** A stretch of anomalous minutes of one (host, unit), as an on-call engineer sees it. */
export interface AnomalyEvent {
  host: string;
  unit: string;
  /** First anomalous minute, µs since the epoch. */
  startUs: number;
  /** End of the last anomalous minute, µs since the epoch. */
  endUs: number;
  /** The highest minute score. */
  score: number;
  /** At least one of its minutes alerted; the others only stood out (shown with `--all`). */
  alert: boolean;
  /** Every reason seen, most frequent first. */
  reasons: string[];
  templates: { id: number; template: string; count: number }[];
  samples: { timeUs: number; message: string }[];
  /** Anomalous minutes in the event. */
  minutes: number;
}
