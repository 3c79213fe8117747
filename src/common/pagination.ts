import { invalidParam } from './errors.js';
import { parseTimestamp } from './timestamps.js';

/** A keyset position: the last row of the previous page, newest first by (created_at, id). */
export interface Cursor {
  createdAt: Date;
  id: string;
}

export interface Page<T> {
  data: T[];
  has_more: boolean;
  next_cursor: string | null;
}

export function encodeCursor(cursor: Cursor): string {
  return Buffer.from(`${cursor.createdAt.toISOString()}|${cursor.id}`).toString('base64url');
}

/** Only what encodeCursor() wrote: an instant the database can hold, printed as toISOString() prints it. */
export function decodeCursor(text: string): Cursor {
  const [iso = '', id, extra] = Buffer.from(text, 'base64url').toString('utf8').split('|');
  const createdAt = parseTimestamp(iso);
  if (extra !== undefined || !id || !/^[a-z]+_[0-9A-Z]{26}$/.test(id) || createdAt?.toISOString() !== iso) {
    throw invalidParam('cursor', 'cursor is not a cursor this API returned');
  }
  return { createdAt, id };
}

/** Rows fetched with `limit + 1`: the extra row only tells that another page exists. */
export function toPage<Row extends Cursor, T>(rows: Row[], limit: number, map: (row: Row) => T): Page<T> {
  const has_more = rows.length > limit;
  const pageRows = has_more ? rows.slice(0, limit) : rows;
  const last = pageRows.at(-1);
  return {
    data: pageRows.map(map),
    has_more,
    next_cursor: has_more && last ? encodeCursor(last) : null,
  };
}
