import { endianness } from 'node:os';

type Typed = Float64Array | Float32Array | Uint32Array | Int32Array | Uint16Array | Uint8Array;
type TypedConstructor<T extends Typed> = { new (buffer: ArrayBuffer): T; readonly BYTES_PER_ELEMENT: number };

const bigEndianHost = endianness() === 'BE';

function swap(bytes: Buffer, elementBytes: number): Buffer {
  if (!bigEndianHost || elementBytes === 1) return bytes;
  if (elementBytes === 2) return bytes.swap16();
  return elementBytes === 4 ? bytes.swap32() : bytes.swap64();
}

/** A typed array as the base64 of its little-endian bytes: JSON-safe, and the same on every host. */
export function toBase64(values: Typed): string {
  const bytes = Buffer.from(values.buffer, values.byteOffset, values.byteLength);
  return (bigEndianHost ? swap(Buffer.from(bytes), values.BYTES_PER_ELEMENT) : bytes).toString('base64');
}

/** The typed array {@link toBase64} wrote; `length`, when given, is checked. */
export function fromBase64<T extends Typed>(
  type: TypedConstructor<T>,
  base64: string,
  length?: number,
  what = 'array',
): T {
  const bytes = Buffer.from(base64, 'base64');
  if (bytes.length % type.BYTES_PER_ELEMENT !== 0) throw new Error(`entry scorer snapshot: ${what} is cut`);
  // A fresh, aligned copy: the decoded Buffer may sit at any offset of Node's shared pool.
  const aligned = new Uint8Array(bytes.length);
  aligned.set(swap(bytes, type.BYTES_PER_ELEMENT));
  const values = new type(aligned.buffer);
  if (length !== undefined && values.length !== length) {
    throw new Error(`entry scorer snapshot: ${what} holds ${values.length} values, expected ${length}`);
  }
  return values;
}
