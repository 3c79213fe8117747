import { parseDuration } from './duration.js';

describe(parseDuration.name, () => {
  it.each([
    ['500ms', 500],
    ['30s', 30_000],
    ['90m', 5_400_000],
    ['36h', 129_600_000],
    ['7d', 604_800_000],
    ['0s', 0],
    [' 7d ', 604_800_000],
  ])('%j is %i ms', (text, ms) => {
    expect(parseDuration(text)).toBe(ms);
  });

  it.each(['', '7', 'd', '7x', '7 d', '-1d', '1.5h', '7D', '7days', '1h30m', 'ms'])('%j is malformed', (text) => {
    expect(parseDuration(text)).toBeUndefined();
  });
});
