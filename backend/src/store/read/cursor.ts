/**
 * Opaque keyset-pagination cursors: the (time, id) of the last item of a page, so that the next page
 * starts right after it however many rows arrive meanwhile.
 */
export interface Position {
  readonly timeUs: number;
  readonly id: number;
}

export function encodeCursor(position: Position): string {
  return Buffer.from(`${position.timeUs}:${position.id}`).toString('base64url');
}

/** Null when the text is not a cursor this API issued. */
export function decodeCursor(cursor: string): Position | null {
  const match = /^(-?\d+):(\d+)$/.exec(Buffer.from(cursor, 'base64url').toString());
  if (!match) return null;
  const position = { timeUs: Number(match[1]), id: Number(match[2]) };
  return Number.isSafeInteger(position.timeUs) && Number.isSafeInteger(position.id) ? position : null;
}
