import type { Labels } from './labels.ts';
import type { PointText } from './series-source.ts';

/** One element of an instant vector result; its timestamp is the evaluation time. */
export interface InstantSample {
  readonly labels: Labels;
  readonly value: number;
}

/** One series of a matrix result: parallel arrays, timestamps in milliseconds. */
export interface ResultSeries {
  readonly labels: Labels;
  readonly timestamps: Float64Array;
  readonly values: Float64Array;
  /** Optional: points that are stored samples as they are, already written by the source. */
  readonly text?: ResultText;
}

/**
 * Where a result series' points are already written: point i is sample `samples[i]` of `runs`, or is
 * written anew where that is -1 or no run has it.
 */
export interface ResultText {
  readonly runs: readonly PointText[];
  readonly samples: Int32Array;
}

export interface VectorResult {
  readonly resultType: 'vector';
  readonly timeMs: number;
  readonly samples: InstantSample[];
}

export interface ScalarResult {
  readonly resultType: 'scalar';
  readonly timeMs: number;
  readonly value: number;
}

export interface StringResult {
  readonly resultType: 'string';
  readonly timeMs: number;
  readonly value: string;
}

export interface MatrixResult {
  readonly resultType: 'matrix';
  readonly series: ResultSeries[];
}

/** What an instant query returns: any of the four Prometheus result types (a range query: a matrix). */
export type QueryResult = VectorResult | ScalarResult | StringResult | MatrixResult;
