import type { Labels } from './labels.ts';
import type { LabelMatcher } from './matchers.ts';

/** One stored series: its labels (with `__name__`) and its samples in ascending time order. */
export interface StoredSeries {
  readonly labels: Labels;
  /**
   * Milliseconds since the epoch, strictly ascending. Unlike the values, never rewritten while a query
   * runs: series often share one array, and the engine recognises it.
   */
  readonly timestamps: Float64Array;
  readonly values: Float64Array;
  /**
   * Optional, same length: 1 where the sample is a stale marker, Prometheus's way of saying the series
   * ended there (a host went away), so that it stops showing at once instead of being looked back on for
   * another five minutes. A marker's value is ignored. (Prometheus encodes markers as a special NaN;
   * JavaScript arrays do not keep NaN payloads, hence a separate flag.)
   */
  readonly stale?: Uint8Array;
  /**
   * Optional: true when the source knows that the values never decrease (a counter summed from counts
   * that are never negative), which spares rate() and increase() their look for counter resets.
   */
  readonly neverDecreases?: boolean;
  /**
   * Optional, when asked for: the samples already written as points of a response (see PointText), by
   * a source that serves the same samples again and again, so that a response copies them instead.
   * The runs are in order; samples that none covers are written as any other.
   */
  readonly text?: readonly PointText[];
}

/**
 * A run of a series' samples written as the HTTP API writes matrix points, `[<seconds>,"<value>"]`,
 * each followed by a comma so that consecutive samples are consecutive bytes. Sample `first + j` is
 * `bytes[bounds[j]]` up to `bytes[bounds[j + 1]]`. The memory is never rewritten: a response may read
 * it after the source has moved on to other series.
 */
export interface PointText {
  readonly first: number;
  readonly bytes: Uint8Array;
  readonly bounds: Uint32Array;
}

export interface SelectOptions {
  /** The samples will be written out as they are: hand over their text where it is kept. */
  readonly text?: boolean;
}

/**
 * What the PromQL engine reads. Implementations: the SQLite store (later) and `InMemorySeriesSource`.
 * An empty matcher list means every series. Time bounds are inclusive milliseconds; a source may return
 * samples outside them (the engine windows every selection itself), but should not omit any inside.
 */
export interface SeriesSource {
  /**
   * Series that match every matcher and have at least one sample in [startMs, endMs]. A series' values
   * and stale flags are only read until the next series is asked for, so a source may reuse them.
   * The series should come in label order (compareLabels, labels with empty values left out), as
   * Prometheus's storage returns them: an aggregation of a function of one metric then adds each series
   * as soon as it comes, where it would otherwise wait for them all (see visitRangeFunction).
   */
  select(
    matchers: readonly LabelMatcher[],
    startMs: number,
    endMs: number,
    options?: SelectOptions,
  ): Iterable<StoredSeries>;
  /** Sorted label names used by the matching series. */
  labelNames(matchers: readonly LabelMatcher[], startMs: number, endMs: number): string[];
  /** Sorted values of one label among the matching series. */
  labelValues(name: string, matchers: readonly LabelMatcher[], startMs: number, endMs: number): string[];
}
