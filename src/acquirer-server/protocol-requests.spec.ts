import { parseAuthorization, parseCapture, parseRefund, parseReversal } from './protocol-requests.js';

const authorization = (overrides: Record<string, unknown> = {}, card: Record<string, unknown> = {}) => ({
  reference: 'att_1',
  amount: 1000,
  currency: 'EUR',
  capture: true,
  card: { number: '4242 4242 4242 4242', expiry_month: 12, expiry_year: 2030, cvv: '123', holder_name: 'Ada', ...card },
  ...overrides,
});

describe(parseAuthorization.name, () => {
  it('keeps the digits, brand and last4', () => {
    expect(parseAuthorization(authorization())).toEqual({
      ok: true,
      value: { reference: 'att_1', amount: 1000, currency: 'EUR', capture: true, card: { number: '4242424242424242', brand: 'visa', last4: '4242' } },
    });
  });

  it.each<[string, Record<string, unknown>, Record<string, unknown>]>([
    ['body', [] as unknown as Record<string, unknown>, {}],
    ['reference', { reference: '' }, {}],
    ['amount', { amount: 0 }, {}],
    ['amount', { amount: 10.5 }, {}],
    ['amount', { amount: '1000' }, {}],
    ['currency', { currency: 'eur' }, {}],
    ['currency', { currency: 'XXX' }, {}],
    ['capture', { capture: 'yes' }, {}],
    ['card', { card: null }, {}],
    ['card.number', {}, { number: '4242424242424241' }],
    ['card.number', {}, { number: 4242424242424242 }],
    ['card.expiry_month', {}, { expiry_month: 13 }],
    ['card.expiry_year', {}, { expiry_year: 30 }],
    ['card.cvv', {}, { cvv: '12' }],
    ['card.holder_name', {}, { holder_name: 5 }],
  ])('refuses a bad %s', (param, overrides, card) => {
    const body = Array.isArray(overrides) ? overrides : authorization(overrides, card);
    expect(parseAuthorization(body)).toMatchObject({ ok: false, param });
  });

  it('never quotes the card number in a refusal', () => {
    const refused = parseAuthorization(authorization({}, { number: '4242424242424241' }));
    expect(JSON.stringify(refused)).not.toContain('424242424242');
  });
});

describe(parseCapture.name, () => {
  it('takes a positive integer amount', () => {
    expect(parseCapture({ amount: 5 })).toEqual({ ok: true, value: { amount: 5 } });
    expect(parseCapture({ amount: -5 })).toMatchObject({ ok: false, param: 'amount' });
    expect(parseCapture('5')).toMatchObject({ ok: false, param: 'body' });
  });
});

describe(parseRefund.name, () => {
  it('needs an amount and the gateway refund reference', () => {
    expect(parseRefund({ amount: 5, reference: 're_1' })).toEqual({ ok: true, value: { amount: 5, reference: 're_1' } });
    expect(parseRefund({ amount: 5 })).toMatchObject({ ok: false, param: 'reference' });
    expect(parseRefund({ reference: 're_1' })).toMatchObject({ ok: false, param: 'amount' });
  });
});

describe(parseReversal.name, () => {
  it('needs the reference', () => {
    expect(parseReversal({ reference: 'att_1' })).toEqual({ ok: true, value: { reference: 'att_1' } });
    expect(parseReversal({})).toMatchObject({ ok: false, param: 'reference' });
  });
});
