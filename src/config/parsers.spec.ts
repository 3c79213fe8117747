import { bool, decimal, duration, int, list, minLength, oneOf, url } from './parsers.js';
import { InvalidValue, type Parser } from './schema.js';

/** The problem parse reports for text; fails the test when it accepts it. */
function problemOf(parse: Parser<unknown>, text: string): string {
  try {
    parse(text);
  } catch (error) {
    if (error instanceof InvalidValue) return error.message;
    throw error;
  }
  throw new Error(`accepted "${text}"`);
}

describe(int.name, () => {
  const parse = int(-5, 10);
  it.each([
    ['-5', -5],
    ['0', 0],
    ['10', 10],
  ])('reads %s', (text, value) => expect(parse(text)).toBe(value));
  it.each(['-6', '11', '1.5', '1e1', '0x10', 'abc', '5 5'])('refuses %s', (text) => {
    expect(problemOf(parse, text)).toBe('must be an integer from -5 to 10');
  });
});

describe(decimal.name, () => {
  it('includes a min bound', () => {
    const parse = decimal({ min: 0, max: 1 });
    expect([parse('0'), parse('0.5'), parse('1')]).toEqual([0, 0.5, 1]);
    expect(problemOf(parse, '1.5')).toBe('must be a number from 0 to 1');
    expect(problemOf(parse, 'half')).toBe('must be a number from 0 to 1');
  });
  it('excludes an above bound', () => {
    const parse = decimal({ above: 0, max: 1 });
    expect([parse('0.001'), parse('1')]).toEqual([0.001, 1]);
    expect(problemOf(parse, '0')).toBe('must be a number above 0, at most 1');
    expect(problemOf(parse, 'Infinity')).toBe('must be a number above 0, at most 1');
  });
});

describe('bool', () => {
  it.each([
    ['true', true],
    ['1', true],
    ['false', false],
    ['0', false],
  ])('reads %s as %s', (text, value) => expect(bool(text)).toBe(value));
  it('refuses anything else', () => expect(problemOf(bool, 'yes')).toBe('must be "true" or "false"'));
});

describe(oneOf.name, () => {
  const parse = oneOf(['json', 'text']);
  it('reads an allowed value', () => expect(parse('json')).toBe('json'));
  it('lists the allowed values', () => expect(problemOf(parse, 'xml')).toBe('must be one of json, text'));
});

describe(duration.name, () => {
  const parse = duration(1000);
  it('reads a duration in ms', () => expect([parse('1s'), parse('90m'), parse('7d')]).toEqual([1000, 5_400_000, 604_800_000]));
  it.each(['999ms', '7x', '10'])('refuses %s', (text) => {
    expect(problemOf(parse, text)).toBe('must be a duration of at least 1000 ms, such as 7d, 36h, 90m or 30s');
  });
});

describe(url.name, () => {
  const parse = url('redis', 'rediss');
  it('reads a URL with one of the schemes', () => expect(parse('rediss://h:6379')).toBe('rediss://h:6379'));
  it.each(['localhost:6379', 'http://h', 'redis://'])('refuses %s', (text) => {
    expect(problemOf(parse, text)).toBe('must be a redis:// or rediss:// URL');
  });
});

describe(minLength.name, () => {
  it('reads a long enough text and refuses a shorter one', () => {
    expect(minLength(3)('abc')).toBe('abc');
    expect(problemOf(minLength(3), 'ab')).toBe('must be at least 3 characters long');
  });
});

describe('list', () => {
  it('splits on commas, trims, and drops blanks', () => expect(list(' a, b ,,c ')).toEqual(['a', 'b', 'c']));
});
