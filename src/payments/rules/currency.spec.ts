import { CURRENCIES, CURRENCY_EXPONENTS, isActiveCurrency } from './currency.js';

describe(isActiveCurrency.name, () => {
  it.each(['EUR', 'USD', 'JPY', 'GBP', 'KWD', 'CHF'])('%s is active', (code) => {
    expect(isActiveCurrency(code)).toBe(true);
  });

  it.each([
    ['lower case', 'eur'],
    ['unknown', 'ABC'],
    ['obsolete (Deutsche Mark)', 'DEM'],
    ['testing code', 'XTS'],
    ['precious metal (gold)', 'XAU'],
    ['empty', ''],
    ['an Object.prototype member', 'toString'],
    ['an Object.prototype member', '__proto__'],
  ])('%s %j is not active', (_label, code) => {
    expect(isActiveCurrency(code)).toBe(false);
  });
});

describe('CURRENCY_EXPONENTS', () => {
  it.each([
    ['JPY', 0],
    ['EUR', 2],
    ['USD', 2],
    ['KWD', 3],
  ])('%s has exponent %i', (code, exponent) => {
    expect(CURRENCY_EXPONENTS[code]).toBe(exponent);
  });

  it('cannot be modified', () => {
    expect(Object.isFrozen(CURRENCY_EXPONENTS)).toBe(true);
  });
});

describe('CURRENCIES', () => {
  it('lists every currency with an exponent, and only those', () => {
    expect([...CURRENCIES].sort()).toEqual(Object.keys(CURRENCY_EXPONENTS).sort());
    expect(CURRENCIES.length).toBeGreaterThan(100);
  });

  it('every code is 3 upper-case letters', () => {
    const malformed = CURRENCIES.filter((code) => !/^[A-Z]{3}$/.test(code));
    expect(malformed).toEqual([]);
  });

  it('every exponent is a small non-negative integer', () => {
    const odd = Object.entries(CURRENCY_EXPONENTS).filter(([, e]) => !Number.isInteger(e) || e < 0 || e > 4);
    expect(odd).toEqual([]);
  });
});
