import { ByteWriter } from './byte-writer.ts';

/** Samples written as response points, each followed by a comma: see PointText. */
export interface WrittenPoints {
  readonly bytes: Uint8Array;
  /** Sample i is bytes[bounds[i]] up to bytes[bounds[i + 1]]. */
  readonly bounds: Uint32Array;
}

/** Room for a point and its comma, `[1700000000,"0.12345678901234567"],` being 33 bytes. */
const TYPICAL_POINT_BYTES = 40;

/**
 * Samples 0 … count - 1 of a series written as a response writes them (ByteWriter.pointAt), each
 * followed by a comma, in memory of their own (exactly as large as the text). `known` is the text of
 * the first samples, written earlier: it is copied rather than written again.
 */
export function writtenPoints(
  timestamps: Float64Array,
  values: Float64Array,
  count: number,
  known: WrittenPoints | null = null,
): WrittenPoints {
  const knownCount = known === null ? 0 : known.bounds.length - 1;
  const knownBytes = known === null ? 0 : (known.bounds[knownCount] as number);
  const out = new ByteWriter(knownBytes + TYPICAL_POINT_BYTES * (count - knownCount));
  const bounds = new Uint32Array(count + 1);
  if (known !== null) {
    out.copy(known.bytes, 0, knownBytes);
    bounds.set(known.bounds);
  }
  for (let i = knownCount; i < count; i++) {
    out.pointAt(timestamps, values, i);
    out.comma();
    bounds[i + 1] = out.written;
  }
  return { bytes: new Uint8Array(out.finish()), bounds };
}
