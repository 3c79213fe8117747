import { nestsDeeperThan } from './json-depth.js';

const deeper = (text: string, max: number) => nestsDeeperThan(Buffer.from(text, 'utf8'), max);

describe(nestsDeeperThan.name, () => {
  it.each([
    ['a scalar', '42', 0],
    ['an empty object', '{}', 1],
    ['a flat payment body', '{"amount":1050,"card":{"number":"4242"},"metadata":{"a":"b"}}', 2],
    ['arrays and objects mixed', '[{"a":[{"b":[]}]}]', 5],
    ['siblings do not add up', '[[1],[2],[3],{"a":{}}]', 3],
  ])('%s: %s nests exactly %i deep', (_name, text, depth) => {
    expect(deeper(text, depth)).toBe(false);
    if (depth > 0) expect(deeper(text, depth - 1)).toBe(true);
  });

  it('counts 3,000 nested objects without recursion', () => {
    const text = '{"a":'.repeat(3000) + '1' + '}'.repeat(3000);
    expect(deeper(text, 32)).toBe(true);
    expect(deeper(text, 3000)).toBe(false);
  });

  it('counts 100,000 nested arrays', () => {
    expect(deeper('['.repeat(100_000) + ']'.repeat(100_000), 32)).toBe(true);
  });

  it.each([
    ['brackets in a string', '{"a":"[[[[{{{{"}'],
    ['an escaped quote before brackets', '{"a":"\\"[[[[{{{{"}'],
    ['an escaped backslash, then the string ends', '{"a":"\\\\","b":"[[[["}'],
    ['brackets in a key', '{"[[[[":1}'],
    ['a \\u escape', '{"a":"\\u005b[[[["}'],
    ['multi-byte UTF-8 text', '{"a":"€[[[[😀"}'],
  ])('ignores %s', (_name, text) => {
    expect(deeper(text, 1)).toBe(false);
  });

  it('sees brackets again after an escaped backslash closes the string', () => {
    expect(deeper('{"a":"\\\\","b":[[[]]]}', 3)).toBe(true);
  });
});
