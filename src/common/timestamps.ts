/**
 * The one form of instant the API reads (API.md: dates are UTC, ISO 8601 with milliseconds):
 * a date-time with seconds, up to three decimals (the database keeps milliseconds) and a zone,
 * `Z` or `±HH:MM`; or a bare date, meaning its midnight UTC. ISO 8601's other forms (basic
 * `20260101T000000Z`, weeks `2026-W01`, ordinal days, expanded years, a time without a zone,
 * which JavaScript would read as the server's local time) are refused rather than guessed at.
 */
const TIMESTAMP = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,3}))?(?:Z|([+-])(\d{2}):(\d{2})))?$/;

export const TIMESTAMP_FORMAT =
  'an ISO 8601 date-time such as 2026-11-25T14:03:11.123Z (with seconds, up to 3 decimals and Z or ±HH:MM) or a date such as 2026-11-25';

/** Years 1 to 9999, UTC: every instant accepted is one PostgreSQL stores and toISOString() prints back. */
const EARLIEST = Date.parse('0001-01-01T00:00:00.000Z');
const LATEST = Date.parse('9999-12-31T23:59:59.999Z');

/** The instant `text` names, or undefined when it is not in the form above or names no real instant. */
export function parseTimestamp(text: string): Date | undefined {
  const match = TIMESTAMP.exec(text);
  if (!match) return undefined;
  const number = (index: number) => Number(match[index] ?? 0);
  const [year, month, day, hour, minute, second] = [1, 2, 3, 4, 5, 6].map(number) as [number, number, number, number, number, number];
  const millisecond = Number((match[7] ?? '').padEnd(3, '0'));
  const [offsetHours, offsetMinutes] = [number(9), number(10)];
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return undefined;
  if (hour > 23 || minute > 59 || second > 59 || offsetHours > 23 || offsetMinutes > 59) return undefined;
  const date = new Date(0);
  // setUTCFullYear, not Date.UTC: Date.UTC reads years 0–99 as 1900–1999.
  date.setUTCFullYear(year, month - 1, day);
  date.setUTCHours(hour, minute, second, millisecond);
  const offset = (match[8] === '-' ? -1 : 1) * (offsetHours * 60 + offsetMinutes) * 60_000;
  const time = date.getTime() - offset;
  return time >= EARLIEST && time <= LATEST ? new Date(time) : undefined;
}

function daysInMonth(year: number, month: number): number {
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  return [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]!;
}
