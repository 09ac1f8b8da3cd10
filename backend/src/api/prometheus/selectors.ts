import type { VectorSelector } from './ast.ts';
import {
  checkSampleLimit,
  emptyStepSeries,
  hasAnyPoint,
  stepTimeMs,
  type StepGrid,
  type StepSeries,
} from './grid.ts';
import { compareLabels, withoutEmptyValues } from './labels.ts';
import type { SeriesSource, StoredSeries } from './series-source.ts';

/** The series a selector names with their samples in [fromMs, toMs], in label order like Prometheus's storage. */
export function selectSeries(
  source: SeriesSource,
  selector: VectorSelector,
  fromMs: number,
  toMs: number,
): StoredSeries[] {
  const selected: StoredSeries[] = [];
  for (const stored of source.select(selector.matchers, fromMs, toMs)) {
    selected.push({ ...stored, labels: withoutEmptyValues(stored.labels) });
  }
  return selected.sort((a, b) => compareLabels(a.labels, b.labels));
}

/**
 * An instant vector selector at every step: per series, the newest sample in (t - lookback, t], unless
 * that sample is a stale marker. The window is open on the left as in Prometheus 3.
 */
export function evaluateVectorSelector(
  source: SeriesSource,
  selector: VectorSelector,
  grid: StepGrid,
  lookbackMs: number,
): StepSeries[] {
  const firstMs = grid.startMs - selector.offsetMs - lookbackMs;
  const lastMs = stepTimeMs(grid, grid.steps - 1) - selector.offsetMs;
  const selected = selectSeries(source, selector, firstMs, lastMs);
  checkSampleLimit(selected.length, grid.steps);
  const result: StepSeries[] = [];
  for (const stored of selected) {
    const series = emptyStepSeries(stored.labels, grid.steps);
    const { timestamps, values, stale } = stored;
    let next = 0;
    for (let step = 0; step < grid.steps; step++) {
      const t = stepTimeMs(grid, step) - selector.offsetMs;
      while (next < timestamps.length && (timestamps[next] ?? 0) <= t) next++;
      const latest = next - 1;
      if (latest < 0 || (timestamps[latest] ?? 0) <= t - lookbackMs) continue;
      if (stale?.[latest] === 1) continue;
      series.values[step] = values[latest] ?? 0;
      series.present[step] = 1;
    }
    if (hasAnyPoint(series)) result.push(series);
  }
  return result;
}

/** The samples of a series without its stale markers, which range functions never see. */
export function withoutStaleMarkers(stored: StoredSeries): StoredSeries {
  const { timestamps, values, stale } = stored;
  const markers = stale ? stale.reduce((count, flag) => count + flag, 0) : 0;
  if (!stale || markers === 0) return stored;
  const keptTimestamps = new Float64Array(values.length - markers);
  const keptValues = new Float64Array(values.length - markers);
  let kept = 0;
  for (let i = 0; i < values.length; i++) {
    if (stale[i] === 1) continue;
    keptTimestamps[kept] = timestamps[i] ?? 0;
    keptValues[kept] = values[i] ?? 0;
    kept++;
  }
  return { labels: stored.labels, timestamps: keptTimestamps, values: keptValues };
}
