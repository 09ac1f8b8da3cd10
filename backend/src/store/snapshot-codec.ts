import { endianness } from 'node:os';

/**
 * Model snapshots as bytes: plain data whose typed arrays are written as their bytes after a JSON
 * skeleton, not as JSON numbers or base64. The scorer's window alone is 14 MB of doubles: as bytes it
 * is written and read without a 19 MB string in between, and a snapshot without typed arrays is its
 * JSON and a few bytes.
 *
 * Layout: `LKS1`, the skeleton's length (u32, little-endian), the skeleton (UTF-8 JSON, each typed array
 * replaced by `{"$typed": kind, "at": byte offset, "length": n}`), zero padding to a multiple of 8, then
 * each array's little-endian bytes, each starting at a multiple of 8.
 */

const MAGIC = Buffer.from('LKS1');
const TYPED_KEY = '$typed';
const ALIGN = 8;

const KINDS = {
  Float64Array,
  Float32Array,
  Int32Array,
  Uint32Array,
  Int16Array,
  Uint16Array,
  Uint8Array,
} as const;
type Kind = keyof typeof KINDS;
type Typed = InstanceType<(typeof KINDS)[Kind]>;

interface TypedReference {
  [TYPED_KEY]: Kind;
  at: number;
  length: number;
}

const bigEndianHost = endianness() === 'BE';

export function encodeSnapshot(value: unknown): Buffer {
  const arrays: Typed[] = [];
  let bytes = 0;
  const skeleton = JSON.stringify(value, (_key, item: unknown) => {
    if (!ArrayBuffer.isView(item) || item instanceof DataView) return item;
    const kind = item.constructor.name as Kind;
    if (!(kind in KINDS)) throw new TypeError(`a snapshot cannot hold a ${kind}`);
    const reference: TypedReference = { [TYPED_KEY]: kind, at: bytes, length: (item as Typed).length };
    arrays.push(item as Typed);
    bytes += padded(item.byteLength);
    return reference;
  });
  const head = Buffer.from(skeleton, 'utf8');
  const start = padded(MAGIC.length + 4 + head.length);
  const out = Buffer.alloc(start + bytes);
  MAGIC.copy(out, 0);
  out.writeUInt32LE(head.length, MAGIC.length);
  head.copy(out, MAGIC.length + 4);
  let at = start;
  for (const array of arrays) {
    const source = Buffer.from(array.buffer, array.byteOffset, array.byteLength);
    source.copy(out, at);
    if (bigEndianHost) swap(out.subarray(at, at + array.byteLength), array.BYTES_PER_ELEMENT);
    at += padded(array.byteLength);
  }
  return out;
}

/** True for what {@link encodeSnapshot} wrote (older snapshots were stored as JSON text). */
export function isEncodedSnapshot(data: Uint8Array): boolean {
  return data.length >= MAGIC.length + 4 && MAGIC.equals(data.subarray(0, MAGIC.length));
}

export function decodeSnapshot<T>(data: Uint8Array): T {
  if (!isEncodedSnapshot(data)) throw new Error('not an encoded model snapshot');
  const view = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  const headLength = view.readUInt32LE(MAGIC.length);
  const headEnd = MAGIC.length + 4 + headLength;
  const start = padded(headEnd);
  if (start > view.length) throw new Error('model snapshot: cut in its skeleton');
  // One aligned copy of every array's bytes, which the arrays then share.
  const body = new Uint8Array(view.length - start);
  body.set(view.subarray(start));
  return JSON.parse(view.toString('utf8', MAGIC.length + 4, headEnd), (_key, item: unknown) => {
    if (item === null || typeof item !== 'object' || !(TYPED_KEY in item)) return item;
    const { [TYPED_KEY]: kind, at, length } = item as TypedReference;
    const type = KINDS[kind];
    if (type === undefined) throw new Error(`model snapshot: unknown array kind ${String(kind)}`);
    const byteLength = length * type.BYTES_PER_ELEMENT;
    if (!Number.isInteger(at) || at < 0 || at % ALIGN !== 0 || at + byteLength > body.length) {
      throw new Error('model snapshot: an array lies outside its bytes');
    }
    if (bigEndianHost) swap(Buffer.from(body.buffer, at, byteLength), type.BYTES_PER_ELEMENT);
    return new type(body.buffer, at, length);
  }) as T;
}

function padded(bytes: number): number {
  return Math.ceil(bytes / ALIGN) * ALIGN;
}

function swap(bytes: Buffer, elementBytes: number): void {
  if (elementBytes === 2) bytes.swap16();
  else if (elementBytes === 4) bytes.swap32();
  else if (elementBytes === 8) bytes.swap64();
}
