import assert from 'node:assert/strict';

import { instantQuery, rangeQuery } from '../../src/api/prometheus/evaluate.ts';
import { formatLabels, type Labels } from '../../src/api/prometheus/labels.ts';
import { InMemorySeriesSource } from '../../src/api/prometheus/memory-source.ts';

export const SECOND = 1000;
export const MINUTE = 60 * SECOND;

/** `[seconds, value]` pairs, the way the fixtures are written down; 'stale' is a stale marker. */
export type Points = readonly (readonly [number, number | 'stale'])[];

export function sourceWith(series: readonly (readonly [Labels, Points])[]): InMemorySeriesSource {
  const source = new InMemorySeriesSource();
  for (const [labels, points] of series) {
    source.add(
      labels,
      points.map(([seconds]) => seconds * SECOND),
      points.map(([, value]) => (value === 'stale' ? 0 : value)),
      points.map(([, value]) => value === 'stale'),
    );
  }
  return source;
}

/** An instant query's vector as `{ '{labels}': value }`. */
export function vectorAt(
  source: InMemorySeriesSource,
  query: string,
  timeMs: number,
): Record<string, number> {
  const result = instantQuery(source, query, timeMs);
  assert.equal(result.resultType, 'vector', `${query} should give a vector`);
  return Object.fromEntries(result.samples.map((sample) => [formatLabels(sample.labels), sample.value]));
}

/** The labels of an instant query's vector, in the order the engine returned them. */
export function vectorOrder(source: InMemorySeriesSource, query: string, timeMs: number): string[] {
  const result = instantQuery(source, query, timeMs);
  assert.equal(result.resultType, 'vector');
  return result.samples.map((sample) => formatLabels(sample.labels));
}

/** A range query as `{ '{labels}': [[seconds, value], ...] }`, keeping the engine's series order. */
export function matrixOf(
  source: InMemorySeriesSource,
  query: string,
  startMs: number,
  endMs: number,
  stepMs: number,
): Record<string, [number, number][]> {
  const result = rangeQuery(source, query, startMs, endMs, stepMs);
  return Object.fromEntries(
    result.series.map((series) => [
      formatLabels(series.labels),
      Array.from(series.timestamps, (ms, i): [number, number] => [ms / SECOND, series.values[i] ?? NaN]),
    ]),
  );
}

export function assertClose(actual: number | undefined, expected: number, message?: string): void {
  assert.ok(actual !== undefined, message ?? 'missing value');
  assert.ok(
    Math.abs(actual - expected) <= 1e-12 * Math.max(1, Math.abs(expected)),
    `${actual} ≉ ${expected} ${message ?? ''}`,
  );
}
