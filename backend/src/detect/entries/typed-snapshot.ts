import { endianness } from 'node:os';

type Typed = Float64Array | Float32Array | Uint32Array | Int32Array | Uint16Array | Uint8Array;
type TypedConstructor<T extends Typed> = {
  new (buffer: ArrayBuffer): T;
  readonly BYTES_PER_ELEMENT: number;
};

const bigEndianHost = endianness() === 'BE';

/**
 * A typed array as a snapshot holds it: a copy, so that the snapshot stays as it was while the scorer
 * goes on. Snapshots are plain data (JSON values and typed arrays): `structuredClone` and `postMessage`
 * copy them, and the store saves their arrays as bytes.
 */
export function saved<T extends Typed>(values: T): T {
  return values.slice() as T;
}

/**
 * The typed array a snapshot saved, as a fresh copy; `length`, when given, is checked. Snapshots of the
 * first format held the base64 of the array's little-endian bytes instead, which is still read.
 */
export function restored<T extends Typed>(
  type: TypedConstructor<T>,
  value: T | string,
  length?: number,
  what = 'array',
): T {
  const values = typeof value === 'string' ? fromBase64(type, value, what) : copyAs(type, value, what);
  if (length !== undefined && values.length !== length) {
    throw new Error(`entry scorer snapshot: ${what} holds ${values.length} values, expected ${length}`);
  }
  return values;
}

function copyAs<T extends Typed>(type: TypedConstructor<T>, value: unknown, what: string): T {
  if (!(value instanceof type)) throw new Error(`entry scorer snapshot: ${what} is not a ${type.name}`);
  return value.slice() as T;
}

function fromBase64<T extends Typed>(type: TypedConstructor<T>, base64: string, what: string): T {
  const bytes = Buffer.from(base64, 'base64');
  if (bytes.length % type.BYTES_PER_ELEMENT !== 0) throw new Error(`entry scorer snapshot: ${what} is cut`);
  // A fresh, aligned copy: the decoded Buffer may sit at any offset of Node's shared pool.
  const aligned = new Uint8Array(bytes.length);
  aligned.set(bytes);
  const copy = Buffer.from(aligned.buffer);
  if (bigEndianHost && type.BYTES_PER_ELEMENT > 1) {
    if (type.BYTES_PER_ELEMENT === 2) copy.swap16();
    else if (type.BYTES_PER_ELEMENT === 4) copy.swap32();
    else copy.swap64();
  }
  return new type(aligned.buffer);
}
