import type { VectorSelector } from './ast.ts';
import {
  checkSampleLimit,
  stepTimeMs,
  StepSeriesBlocks,
  type ScratchBlocks,
  type StepGrid,
  type StepSeries,
} from './grid.ts';
import { compareLabels, sortByLabels, withoutEmptyValues, type Labels } from './labels.ts';
import type { ResultText } from './results.ts';
import type { SelectOptions, SeriesSource, StoredSeries } from './series-source.ts';
import { StepWindowFinder, type StepWindows } from './step-windows.ts';

/**
 * The series a selector names with their samples in [fromMs, toMs], each handed to `convert` as soon
 * as the source yields it (a source may reuse the arrays for the next series), the results in the
 * label order of the selected series, as Prometheus's storage returns them. `convert` returns null to
 * leave a series out; every series counts towards the sample limit at `steps` points.
 */
export function convertSelected<T>(
  source: SeriesSource,
  selector: VectorSelector,
  fromMs: number,
  toMs: number,
  steps: number,
  convert: (stored: StoredSeries) => T | null,
  options: SelectOptions = {},
): T[] {
  const converted: { labels: Labels; result: T }[] = [];
  let selected = 0;
  for (const stored of source.select(selector.matchers, fromMs, toMs, options)) {
    checkSampleLimit(++selected, steps);
    const labels = withoutEmptyValues(stored.labels);
    const result = convert(labels === stored.labels ? stored : { ...stored, labels });
    if (result !== null) converted.push({ labels, result });
  }
  return sortByLabels(converted).map(({ result }) => result);
}

/**
 * The series a selector names with their samples in [fromMs, toMs], handed to `visit` one by one in the
 * source's order, which is convertSelected's when the source keeps to label order (see SeriesSource):
 * for a consumer that is done with each series before the next. Stops and returns false at the first
 * series whose labels do not sort after the previous one's, having visited the ones before it.
 */
export function visitSelected(
  source: SeriesSource,
  selector: VectorSelector,
  fromMs: number,
  toMs: number,
  steps: number,
  visit: (stored: StoredSeries) => void,
): boolean {
  let selected = 0;
  let previous: Labels | null = null;
  for (const stored of source.select(selector.matchers, fromMs, toMs)) {
    checkSampleLimit(++selected, steps);
    const labels = withoutEmptyValues(stored.labels);
    if (previous !== null && compareLabels(previous, labels) >= 0) return false;
    previous = labels;
    visit(labels === stored.labels ? stored : { ...stored, labels });
  }
  return true;
}

/**
 * An instant vector selector at every step: per series, the newest sample in (t - lookback, t], unless
 * that sample is a stale marker. The window is open on the left as in Prometheus 3. The series' arrays
 * come from `scratch` when given.
 */
export function evaluateVectorSelector(
  source: SeriesSource,
  selector: VectorSelector,
  grid: StepGrid,
  lookbackMs: number,
  scratch: ScratchBlocks | null,
): StepSeries[] {
  return selectAtSteps(source, selector, grid, lookbackMs, scratch, false);
}

/** A step series whose points may be stored samples as the source has already written them. */
export interface WrittenStepSeries extends StepSeries {
  /** Per step, the sample whose text is the point's (see ResultText). */
  readonly text?: ResultText;
}

/**
 * evaluateVectorSelector for a selector whose values are the answer, written out as they are: where
 * the source keeps its samples' text and a step's point is a sample at its own time, the response
 * copies that text.
 */
export function evaluateWrittenSelector(
  source: SeriesSource,
  selector: VectorSelector,
  grid: StepGrid,
  lookbackMs: number,
  scratch: ScratchBlocks | null,
): WrittenStepSeries[] {
  return selectAtSteps(source, selector, grid, lookbackMs, scratch, true);
}

function selectAtSteps(
  source: SeriesSource,
  selector: VectorSelector,
  grid: StepGrid,
  lookbackMs: number,
  scratch: ScratchBlocks | null,
  text: boolean,
): WrittenStepSeries[] {
  const firstMs = grid.startMs - selector.offsetMs - lookbackMs;
  const lastMs = stepTimeMs(grid, grid.steps - 1) - selector.offsetMs;
  const finder = new StepWindowFinder(grid, selector.offsetMs, lookbackMs);
  const blocks = new StepSeriesBlocks(grid.steps, scratch);
  const samples = new StepSamples(grid);
  return convertSelected(
    source,
    selector,
    firstMs,
    lastMs,
    grid.steps,
    (stored): WrittenStepSeries | null => {
      const series = blocks.empty(stored.labels);
      const windows = finder.windowsOf(stored.timestamps);
      if (!latestAtSteps(stored, windows, series)) return null;
      if (stored.text === undefined) return series;
      const { labels, values, present } = series;
      return { labels, values, present, text: { runs: stored.text, samples: samples.of(stored, windows) } };
    },
    { text },
  );
}

/** Fills `series` with the newest sample of each step's window; false when no step has one. */
function latestAtSteps(
  { values, stale }: StoredSeries,
  { from, to }: StepWindows,
  { values: stepValues, present }: StepSeries,
): boolean {
  let any = false;
  for (let step = 0; step < from.length; step++) {
    const latest = (to[step] as number) - 1;
    if (latest < (from[step] as number)) continue;
    if (stale !== undefined && stale[latest] === 1) continue;
    stepValues[step] = values[latest] as number;
    present[step] = 1;
    any = true;
  }
  return any;
}

/**
 * Per step, the sample whose text is the step's point: the newest in its window when that sample is at
 * the step's own time, else -1. The same for every series with the same timestamps (see StepWindows),
 * so kept for those.
 */
class StepSamples {
  private readonly found = new Map<StepWindows, { version: number; samples: Int32Array }>();

  constructor(private readonly grid: StepGrid) {}

  of({ timestamps }: StoredSeries, windows: StepWindows): Int32Array {
    const known = this.found.get(windows);
    if (known !== undefined && known.version === windows.version) return known.samples;
    const { startMs, stepMs } = this.grid;
    const { to } = windows;
    const samples = new Int32Array(to.length);
    for (let step = 0; step < to.length; step++) {
      const latest = (to[step] as number) - 1;
      samples[step] = latest >= 0 && timestamps[latest] === startMs + step * stepMs ? latest : -1;
    }
    this.found.set(windows, { version: windows.version, samples });
    return samples;
  }
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
