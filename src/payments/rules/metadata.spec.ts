import { METADATA_LIMITS, metadataProblem } from './metadata.js';

const withKeys = (count: number): Record<string, string> =>
  Object.fromEntries(Array.from({ length: count }, (_, i) => [`key${i}`, 'value']));

describe(metadataProblem.name, () => {
  it.each([
    ['an empty object', {}],
    ['string keys and values', { order_id: '6735', customer: 'Ada Lovelace' }],
    ['an empty string value', { note: '' }],
  ])('accepts %s', (_label, value) => {
    expect(metadataProblem(value)).toBeUndefined();
  });

  it.each([
    ['an array', ['a', 'b']],
    ['null', null],
    ['a string', 'order_id=6735'],
    ['a number', 42],
    ['undefined', undefined],
  ])('refuses %s', (_label, value) => {
    expect(metadataProblem(value)).toBe('metadata must be an object of string keys and string values');
  });

  it(`accepts ${METADATA_LIMITS.keys} keys and refuses ${METADATA_LIMITS.keys + 1}`, () => {
    expect(metadataProblem(withKeys(50))).toBeUndefined();
    expect(metadataProblem(withKeys(51))).toBe('metadata can have at most 50 keys');
  });

  describe('key length, in code points', () => {
    it('accepts 40 characters and refuses 41', () => {
      expect(metadataProblem({ ['k'.repeat(40)]: 'v' })).toBeUndefined();
      expect(metadataProblem({ ['k'.repeat(41)]: 'v' })).toMatch(/^metadata keys must be 1 to 40 characters/);
    });

    it('accepts a key of 40 emoji (80 UTF-16 code units) and refuses 41', () => {
      const emoji40 = '😀'.repeat(40);
      expect(emoji40.length).toBe(80);
      expect(metadataProblem({ [emoji40]: 'v' })).toBeUndefined();
      expect(metadataProblem({ ['😀'.repeat(41)]: 'v' })).toMatch(/^metadata keys must be 1 to 40 characters/);
    });

    it('refuses an empty key', () => {
      expect(metadataProblem({ '': 'v' })).toMatch(/^metadata keys must be 1 to 40 characters/);
    });
  });

  it.each(['items[0]', 'a]', '[b', '[]'])('refuses the key %j (square brackets)', (key) => {
    expect(metadataProblem({ [key]: 'v' })).toMatch(/without "\[" or "\]"/);
  });

  it.each([
    ['a number', 1],
    ['a boolean', true],
    ['null', null],
    ['an object', { nested: 'x' }],
    ['an array', ['x']],
  ])('refuses %s as a value', (_label, item) => {
    expect(metadataProblem({ order_id: item })).toBe('metadata.order_id must be a string');
  });

  it('accepts a value of 500 characters and refuses 501', () => {
    expect(metadataProblem({ note: 'x'.repeat(500) })).toBeUndefined();
    expect(metadataProblem({ note: 'x'.repeat(501) })).toBe('metadata.note must be at most 500 characters');
  });

  it('counts value length in code points', () => {
    expect(metadataProblem({ note: '😀'.repeat(500) })).toBeUndefined();
    expect(metadataProblem({ note: '😀'.repeat(501) })).toBe('metadata.note must be at most 500 characters');
  });

  describe('prototype-polluting keys', () => {
    const refusal = 'metadata keys __proto__, constructor and prototype are not allowed';

    it('refuses an own __proto__ key, as JSON.parse creates it', () => {
      const value: unknown = JSON.parse('{"__proto__": "x"}');
      expect(Object.keys(value as object)).toEqual(['__proto__']);
      expect(metadataProblem(value)).toBe(refusal);
    });

    it.each(['constructor', 'prototype'])('refuses %s', (key) => {
      expect(metadataProblem(JSON.parse(`{"ok": "1", "${key}": "x"}`))).toBe(refusal);
    });
  });
});
