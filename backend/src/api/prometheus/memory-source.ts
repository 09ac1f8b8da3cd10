import {
  compareLabels,
  compareStrings,
  labelsKey,
  labelValue,
  withoutEmptyValues,
  type Labels,
} from './labels.ts';
import { matchesAll, type LabelMatcher } from './matchers.ts';
import { firstIndexAtOrAfter } from './search.ts';
import type { SeriesSource, StoredSeries } from './series-source.ts';

/** A `SeriesSource` over series held in memory: the tests' fixtures and the benchmark's data. */
export class InMemorySeriesSource implements SeriesSource {
  private readonly series = new Map<string, StoredSeries>();
  /** The series in label order, as select yields them; made again after a change. */
  private ordered: StoredSeries[] | null = null;

  /** Adds a series; timestamps must ascend. Adding the same label set again replaces it. */
  add(
    labels: Labels,
    timestamps: ArrayLike<number>,
    values: ArrayLike<number>,
    stale?: ArrayLike<boolean>,
  ): this {
    if (timestamps.length !== values.length) {
      throw new Error(`${timestamps.length} timestamps but ${values.length} values`);
    }
    for (let i = 1; i < timestamps.length; i++) {
      if ((timestamps[i] ?? 0) <= (timestamps[i - 1] ?? 0)) throw new Error('timestamps must ascend');
    }
    this.ordered = null;
    this.series.set(labelsKey(labels), {
      labels: { ...labels },
      timestamps: Float64Array.from(timestamps),
      values: Float64Array.from(values),
      ...(stale && { stale: Uint8Array.from(stale, (isStale) => (isStale ? 1 : 0)) }),
    });
    return this;
  }

  *select(matchers: readonly LabelMatcher[], startMs: number, endMs: number): Iterable<StoredSeries> {
    this.ordered ??= [...this.series.values()].sort((a, b) =>
      compareLabels(withoutEmptyValues(a.labels), withoutEmptyValues(b.labels)),
    );
    for (const stored of this.ordered) {
      if (!matchesAll(stored.labels, matchers)) continue;
      const from = firstIndexAtOrAfter(stored.timestamps, startMs);
      const to = firstIndexAtOrAfter(stored.timestamps, endMs + 1);
      if (from === to) continue;
      yield {
        labels: stored.labels,
        timestamps: stored.timestamps.subarray(from, to),
        values: stored.values.subarray(from, to),
        ...(stored.stale && { stale: stored.stale.subarray(from, to) }),
      };
    }
  }

  labelNames(matchers: readonly LabelMatcher[], startMs: number, endMs: number): string[] {
    const names = new Set<string>();
    for (const { labels } of this.select(matchers, startMs, endMs)) {
      for (const name of Object.keys(labels)) names.add(name);
    }
    return [...names].sort(compareStrings);
  }

  labelValues(name: string, matchers: readonly LabelMatcher[], startMs: number, endMs: number): string[] {
    const values = new Set<string>();
    for (const { labels } of this.select(matchers, startMs, endMs)) {
      const value = labelValue(labels, name);
      if (value !== '') values.add(value);
    }
    return [...values].sort(compareStrings);
  }
}
