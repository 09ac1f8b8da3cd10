import { BodyBuffers, ByteWriter } from './byte-writer.ts';

/** Samples written as response points, each followed by a comma: see PointText. */
export interface WrittenPoints {
  readonly bytes: Uint8Array;
  /** Sample i is bytes[bounds[i]] up to bytes[bounds[i + 1]]. */
  readonly bounds: Uint32Array;
}

/** Room for a point and its comma, `[1700000000,"0.12345678901234567"],` being 33 bytes. */
const TYPICAL_POINT_BYTES = 40;
/**
 * What points are written into before they are copied into memory of their exact size, reused: a fresh
 * buffer each time was 60 MB of garbage outside V8's heap for the text of a day of 1,000 series.
 */
const WRITING = new BodyBuffers();

/**
 * Samples 0 … count - 1 of a series written as a response writes them (ByteWriter.pointAt), each
 * followed by a comma, in memory of their own (exactly as large as the text). The first `unchanged`
 * samples are those `earlier` was written for: their text is copied rather than written again.
 */
export function writtenPoints(
  timestamps: Float64Array,
  values: Float64Array,
  count: number,
  earlier: WrittenPoints | null = null,
  unchanged = 0,
): WrittenPoints {
  const known = earlier === null ? 0 : Math.min(unchanged, earlier.bounds.length - 1);
  const knownBytes = earlier === null ? 0 : (earlier.bounds[known] as number);
  const out = new ByteWriter(knownBytes + TYPICAL_POINT_BYTES * (count - known), WRITING);
  const bounds = new Uint32Array(count + 1);
  if (earlier !== null) {
    out.copy(earlier.bytes, 0, knownBytes);
    bounds.set(earlier.bounds.subarray(0, known + 1));
  }
  for (let i = known; i < count; i++) {
    out.pointAt(timestamps, values, i);
    out.comma();
    bounds[i + 1] = out.written;
  }
  const written = out.finish();
  const bytes = new Uint8Array(written);
  WRITING.give(written);
  return { bytes, bounds };
}

/** The memory written points take. */
export function writtenBytes({ bytes, bounds }: WrittenPoints): number {
  return bytes.byteLength + bounds.byteLength;
}
