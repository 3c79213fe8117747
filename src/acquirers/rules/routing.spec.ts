import { acquirersFor, namedAcquirers, type Routing } from './routing.js';

const routing: Routing = {
  rules: [
    { currency: ['USD'], acquirers: ['acq_us'] },
    { brand: ['amex'], amount_gte: 10_000, acquirers: ['acq_amex_large', 'acq_backup'] },
    { amount_lt: 100, acquirers: ['acq_small'] },
  ],
  default: ['acq_main', 'acq_backup'],
};

describe(acquirersFor.name, () => {
  it.each([
    ['a currency rule', { currency: 'USD', brand: 'visa', amount: 5000 }, ['acq_us']],
    ['the first rule that holds, not a later one', { currency: 'USD', brand: 'amex', amount: 50_000 }, ['acq_us']],
    ['every condition of a rule', { currency: 'EUR', brand: 'amex', amount: 10_000 }, ['acq_amex_large', 'acq_backup']],
    ['amount_gte is inclusive', { currency: 'EUR', brand: 'amex', amount: 9999 }, ['acq_main', 'acq_backup']],
    ['amount_lt is exclusive', { currency: 'EUR', brand: 'visa', amount: 99 }, ['acq_small']],
    ['amount_lt excludes its bound', { currency: 'EUR', brand: 'visa', amount: 100 }, ['acq_main', 'acq_backup']],
    ['the default when no rule holds', { currency: 'GBP', brand: 'mastercard', amount: 2500 }, ['acq_main', 'acq_backup']],
  ])('%s', (_label, payment, expected) => {
    expect(acquirersFor(routing, payment)).toEqual(expected);
  });

  it('a rule without conditions always holds', () => {
    expect(acquirersFor({ rules: [{ acquirers: ['acq_all'] }], default: ['acq_main'] }, { currency: 'EUR', brand: 'visa', amount: 1 })).toEqual(['acq_all']);
  });
});

describe(namedAcquirers.name, () => {
  it('names every acquirer with its path in the routing', () => {
    expect(namedAcquirers({ rules: [{ acquirers: ['a', 'b'] }], default: ['c'] })).toEqual([
      { id: 'a', param: 'rules[0].acquirers[0]' },
      { id: 'b', param: 'rules[0].acquirers[1]' },
      { id: 'c', param: 'default[0]' },
    ]);
  });
});
