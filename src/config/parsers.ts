import { parseDuration } from './duration.js';
import { InvalidValue, type Parser } from './schema.js';

/** An integer from min to max inclusive. */
export function int(min: number, max: number): Parser<number> {
  return (text) => {
    const value = Number(text);
    if (!/^-?\d+$/.test(text) || value < min || value > max) throw new InvalidValue(`must be an integer from ${min} to ${max}`);
    return value;
  };
}

/** A number in a range; `above` excludes its bound, `min` includes it. */
export function decimal(range: { min: number; max: number } | { above: number; max: number }): Parser<number> {
  const low = 'min' in range ? range.min : range.above;
  const inRange = (value: number) => ('min' in range ? value >= low : value > low) && value <= range.max;
  const problem = 'min' in range ? `must be a number from ${low} to ${range.max}` : `must be a number above ${low}, at most ${range.max}`;
  return (text) => {
    const value = Number(text);
    if (!Number.isFinite(value) || !inRange(value)) throw new InvalidValue(problem);
    return value;
  };
}

/** `true` or `1`, `false` or `0`. */
export const bool: Parser<boolean> = (text) => {
  if (text === 'true' || text === '1') return true;
  if (text === 'false' || text === '0') return false;
  throw new InvalidValue('must be "true" or "false"');
};

export function oneOf<const T extends string>(allowed: readonly T[]): Parser<T> {
  const isAllowed = (text: string): text is T => (allowed as readonly string[]).includes(text);
  return (text) => {
    if (!isAllowed(text)) throw new InvalidValue(`must be one of ${allowed.join(', ')}`);
    return text;
  };
}

/** A duration such as `7d`, `36h`, `90m`, `30s` or `500ms`, in ms, of at least minMs. */
export function duration(minMs: number): Parser<number> {
  return (text) => {
    const ms = parseDuration(text);
    if (ms === undefined || ms < minMs) throw new InvalidValue(`must be a duration of at least ${minMs} ms, such as 7d, 36h, 90m or 30s`);
    return ms;
  };
}

/** A URL with one of these schemes. */
export function url(...schemes: string[]): Parser<string> {
  const pattern = new RegExp(`^(${schemes.join('|')})://.+`);
  return (text) => {
    if (!pattern.test(text)) throw new InvalidValue(`must be a ${schemes.map((scheme) => `${scheme}://`).join(' or ')} URL`);
    return text;
  };
}

export function minLength(length: number): Parser<string> {
  return (text) => {
    if (text.length < length) throw new InvalidValue(`must be at least ${length} characters long`);
    return text;
  };
}

/** Comma-separated items, blanks dropped. */
export const list: Parser<string[]> = (text) =>
  text
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean);
