import { parseTimestamp } from './timestamps.js';

describe(parseTimestamp.name, () => {
  it.each([
    ['2026-11-25T14:03:11.123Z', '2026-11-25T14:03:11.123Z'],
    ['2026-11-25T14:03:11Z', '2026-11-25T14:03:11.000Z'],
    ['2026-11-25T14:03:11.1Z', '2026-11-25T14:03:11.100Z'],
    ['2026-11-25T14:03:11.12Z', '2026-11-25T14:03:11.120Z'],
    ['2026-11-25T14:03:11.123+01:00', '2026-11-25T13:03:11.123Z'],
    ['2026-11-25T00:30:00-02:30', '2026-11-25T03:00:00.000Z'],
    ['2026-11-25', '2026-11-25T00:00:00.000Z'],
    ['2024-02-29', '2024-02-29T00:00:00.000Z'],
    ['2000-02-29T23:59:59.999Z', '2000-02-29T23:59:59.999Z'],
    ['0001-01-01T00:00:00.000Z', '0001-01-01T00:00:00.000Z'],
    ['0050-06-01', '0050-06-01T00:00:00.000Z'],
    ['9999-12-31T23:59:59.999Z', '9999-12-31T23:59:59.999Z'],
  ])('%s is %s', (text, iso) => {
    expect(parseTimestamp(text)?.toISOString()).toBe(iso);
  });

  it.each([
    ['the basic format', '20260101T000000Z'],
    ['a week date', '2026-W01'],
    ['a week date with a day', '2026-W01-1'],
    ['an ordinal date', '2026-001'],
    ['a year and month', '2026-01'],
    ['an expanded year', '+002026-01-01T00:00:00Z'],
    ['a negative expanded year', '-271821-04-20T00:00:00.000Z'],
    ['a five-digit year', '10000-01-01'],
    ['a time without a zone (local time)', '2026-11-25T14:03:11'],
    ['a time without seconds', '2026-11-25T14:03Z'],
    ['microseconds', '2026-11-25T14:03:11.123456Z'],
    ['a space instead of T', '2026-11-25 14:03:11Z'],
    ['lower case t and z', '2026-11-25t14:03:11z'],
    ['an offset without a colon', '2026-11-25T14:03:11+0100'],
    ['month 13', '2026-13-01'],
    ['month 00', '2026-00-10'],
    ['day 00', '2026-01-00'],
    ['30 February', '2026-02-30'],
    ['29 February of a common year', '2026-02-29'],
    ['29 February 1900', '1900-02-29'],
    ['hour 24', '2026-11-25T24:00:00Z'],
    ['a leap second', '2026-12-31T23:59:60Z'],
    ['an offset of 24 hours', '2026-11-25T14:03:11+24:00'],
    ['year 0', '0000-06-01'],
    ['before year 1 once offset', '0001-01-01T00:30:00+01:00'],
    ['after year 9999 once offset', '9999-12-31T23:30:00-01:00'],
    ['words', 'yesterday'],
    ['digits', '1764079200000'],
    ['an empty string', ''],
    ['trailing text', '2026-11-25T14:03:11Z '],
    ['a trailing newline', '2026-11-25\n'],
    ['non-ASCII digits', '２０２６-11-25'],
  ])('refuses %s: %s', (_name, text) => {
    expect(parseTimestamp(text)).toBeUndefined();
  });
});
