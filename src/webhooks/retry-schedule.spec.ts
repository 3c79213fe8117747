import { MAX_ATTEMPTS, MAX_RETRY_AFTER_MS, RETRY_DELAYS_MS, retryAfterMs, retryDelayMs } from './retry-schedule.js';

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const half = () => 0.5;

describe(retryDelayMs.name, () => {
  // The Standard Webhooks schedule: 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 14 h, 20 h, 24 h.
  it.each([
    [1, 5 * SECOND],
    [2, 5 * MINUTE],
    [3, 30 * MINUTE],
    [4, 2 * HOUR],
    [5, 5 * HOUR],
    [6, 10 * HOUR],
    [7, 14 * HOUR],
    [8, 20 * HOUR],
    [9, 24 * HOUR],
  ])('waits exactly the scheduled time after attempt %i when the jitter is centred', (attempt, ms) => {
    expect(retryDelayMs(attempt, 1, half)).toBe(ms);
  });

  it.each([1, 2, 3, 4, 5, 6, 7, 8, 9])('keeps the jitter after attempt %i within ±10 %%', (attempt) => {
    const base = retryDelayMs(attempt, 1, half)!;
    expect(retryDelayMs(attempt, 1, () => 0)).toBe(Math.round(base * 0.9));
    expect(retryDelayMs(attempt, 1, () => 1)).toBe(Math.round(base * 1.1));
    for (let i = 0; i < 50; i++) {
      const delay = retryDelayMs(attempt)!;
      expect(delay).toBeGreaterThanOrEqual(Math.round(base * 0.9));
      expect(delay).toBeLessThanOrEqual(Math.round(base * 1.1));
    }
  });

  it('scales the schedule for tests', () => {
    expect(retryDelayMs(1, 0.001, half)).toBe(5);
    expect(retryDelayMs(2, 0.001, half)).toBe(300);
    expect(retryDelayMs(3, 0.001, half)).toBe(1800);
    expect(retryDelayMs(9, 0.001, half)).toBe(86_400);
  });

  it('has no retry after the 9th, nor before the first attempt', () => {
    expect(retryDelayMs(10, 1, half)).toBeUndefined();
    expect(retryDelayMs(11, 1, half)).toBeUndefined();
    expect(retryDelayMs(0, 1, half)).toBeUndefined();
  });

  it('makes at least 8 attempts over at least 24 hours, even with the shortest jitter', () => {
    expect(MAX_ATTEMPTS).toBeGreaterThanOrEqual(8);
    expect(MAX_ATTEMPTS).toBe(RETRY_DELAYS_MS.length + 1);
    const delays = Array.from({ length: MAX_ATTEMPTS - 1 }, (_, i) => retryDelayMs(i + 1, 1, () => 0)!);
    expect(delays.every((delay) => delay > 0)).toBe(true);
    expect(delays.reduce((sum, delay) => sum + delay, 0)).toBeGreaterThanOrEqual(24 * HOUR);
  });

  it('grows: every wait is longer than the one before', () => {
    for (let attempt = 2; attempt < MAX_ATTEMPTS; attempt++) {
      expect(retryDelayMs(attempt, 1, half)!).toBeGreaterThan(retryDelayMs(attempt - 1, 1, half)!);
    }
  });
});

describe(retryAfterMs.name, () => {
  const now = new Date('2026-11-25T12:00:00.000Z');

  it.each([
    ['1', 1000],
    ['0', 0],
    ['120', 120_000],
    [' 30 ', 30_000],
  ])('reads %j seconds', (header, ms) => {
    expect(retryAfterMs(header, now)).toBe(ms);
  });

  it('reads an HTTP date as the time left until it', () => {
    expect(retryAfterMs('Wed, 25 Nov 2026 12:00:30 GMT', now)).toBe(30_000);
    expect(retryAfterMs(new Date(now.getTime() + 90 * MINUTE).toUTCString(), now)).toBe(90 * MINUTE);
  });

  it('reads an HTTP date already past as no wait', () => {
    expect(retryAfterMs('Wed, 21 Oct 2015 07:28:00 GMT', now)).toBe(0);
  });

  it.each(['soon', 'later please', '1e3', '0x10', 'Infinity', 'NaN'])('ignores garbage %j', (header) => {
    expect(retryAfterMs(header, now)).toBeUndefined();
  });

  it.each([undefined, '', '   '])('ignores an absent header (%j)', (header) => {
    expect(retryAfterMs(header, now)).toBeUndefined();
  });

  it('is honoured at most for the longest scheduled wait', () => {
    expect(MAX_RETRY_AFTER_MS).toBe(24 * HOUR);
  });
});
