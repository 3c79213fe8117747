import { GatewayError } from './errors.js';
import { decodeCursor, encodeCursor, toPage, type Cursor } from './pagination.js';

const row = (minute: number, id: string): Cursor & { amount: number } => ({
  createdAt: new Date(Date.UTC(2025, 0, 1, 12, minute)),
  id,
  amount: minute * 100,
});

/** The GatewayError decodeCursor throws for text; fails the test when it does not throw one. */
function decodeError(text: string): GatewayError {
  try {
    decodeCursor(text);
  } catch (error) {
    if (error instanceof GatewayError) return error;
    throw error;
  }
  throw new Error(`decodeCursor accepted ${JSON.stringify(text)}`);
}

describe(encodeCursor.name, () => {
  it('round-trips through decodeCursor', () => {
    const cursor = { createdAt: new Date('2025-03-04T05:06:07.089Z'), id: 'pay_01JQ8Z6X4R5T7V9W0Y2A3B4C5D' };
    const text = encodeCursor(cursor);
    expect(text).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(decodeCursor(text)).toEqual(cursor);
  });
});

describe(decodeCursor.name, () => {
  const validIso = '2025-01-01T00:00:00.000Z';
  const validId = 'pay_01JQ8Z6X4R5T7V9W0Y2A3B4C5D';
  const b64 = (text: string) => Buffer.from(text).toString('base64url');

  it.each([
    ['garbage', 'not-a-cursor'],
    ['an empty string', ''],
    ['an invalid date', b64(`yesterday|${validId}`)],
    ['a malformed id', b64(`${validIso}|pay_123`)],
    ['a missing id', b64(validIso)],
    ['an extra field', b64(`${validIso}|${validId}|more`)],
    ['a year PostgreSQL cannot store (−271821)', b64(`-271821-04-20T00:00:00.000Z|${validId}`)],
    ['an expanded year JavaScript reads (+275760)', b64(`+275760-09-13T00:00:00.000Z|${validId}`)],
    ['year 0', b64(`0000-01-01T00:00:00.000Z|${validId}`)],
    ['a date without its time', b64(`2025-01-01|${validId}`)],
    ['a time in another form than toISOString()', b64(`2025-01-01T00:00:00Z|${validId}`)],
    ['a date that does not exist', b64(`2025-02-30T00:00:00.000Z|${validId}`)],
  ])('refuses %s with parameter_invalid on cursor', (_label, text) => {
    const error = decodeError(text);
    expect(error.code).toBe('parameter_invalid');
    expect(error.param).toBe('cursor');
    expect(error.status).toBe(400);
  });
});

describe(toPage.name, () => {
  const rows = [
    row(5, 'pay_01JQ8Z6X4R5T7V9W0Y2A3B4C55'),
    row(4, 'pay_01JQ8Z6X4R5T7V9W0Y2A3B4C44'),
    row(3, 'pay_01JQ8Z6X4R5T7V9W0Y2A3B4C33'),
  ];

  it('with limit + 1 rows: drops the extra row, has_more, and a cursor at the last row of the page', () => {
    const page = toPage(rows, 2, (r) => r.amount);
    expect(page.data).toEqual([500, 400]);
    expect(page.has_more).toBe(true);
    expect(page.next_cursor).not.toBeNull();
    expect(decodeCursor(page.next_cursor as string)).toEqual({ createdAt: rows[1].createdAt, id: rows[1].id });
  });

  it.each([
    ['exactly limit rows', 3],
    ['fewer rows than the limit', 10],
  ])('with %s: no more, no cursor', (_label, limit) => {
    const page = toPage(rows, limit, (r) => r.id);
    expect(page).toEqual({ data: rows.map((r) => r.id), has_more: false, next_cursor: null });
  });

  it('with no rows: an empty page', () => {
    expect(toPage([], 10, (r) => r)).toEqual({ data: [], has_more: false, next_cursor: null });
  });
});
