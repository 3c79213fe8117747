import type { Response } from 'supertest';
import { admin, CARDS, countPayments, createMerchant, paymentBody, type TestMerchant } from './support/fixtures.js';
import { useTestApp } from './support/test-app.js';

/**
 * The validation rules of /v1/payments (API.md: "Errors", "Precise rules", "Payments").
 * Every refusal is checked for its status, type, code and param, for `request_id` equal to
 * `X-Request-Id`, and for its side effects: no payment row and no bank call.
 * The app's clock is fixed at 2026-11-25T12:00:00Z.
 */

type Who = 'merchant' | 'admin';

interface Refusal {
  status: number;
  type: string;
  code: string;
  param: string | null;
}

const invalid = (param: string | null): Refusal => ({ status: 400, type: 'invalid_request_error', code: 'parameter_invalid', param });
const missing = (param: string): Refusal => ({ status: 400, type: 'invalid_request_error', code: 'parameter_missing', param });
const unknown = (param: string): Refusal => ({ status: 400, type: 'invalid_request_error', code: 'parameter_unknown', param });
const cardNumberInvalid: Refusal = { status: 400, type: 'invalid_request_error', code: 'card_number_invalid', param: 'card.number' };

/** The default body without one of its fields (a dotted path for a card field). */
function without(field: string): Record<string, unknown> {
  const body = paymentBody() as Record<string, unknown>;
  const [head, tail] = field.split('.');
  if (tail === undefined) {
    delete body[head!];
  } else {
    delete (body[head!] as Record<string, unknown>)[tail];
  }
  return body;
}

/** A raw JSON text of the default body with `extra` spliced in as its last members, so keys like `__proto__` really go on the wire. */
function rawBody(topLevelExtra: string): string {
  const text = JSON.stringify(paymentBody({ metadata: undefined }));
  return `${text.slice(0, -1)},${topLevelExtra}}`;
}

const metadataOf = (count: number): Record<string, string> =>
  Object.fromEntries(Array.from({ length: count }, (_, i) => [`key_${i}`, `value_${i}`]));

describe('payments validation', () => {
  const t = useTestApp();
  let merchant: TestMerchant;

  beforeAll(async () => {
    merchant = await createMerchant(t(), 'Validation merchant');
  });

  const auth = (who: Who) => (who === 'admin' ? admin : merchant.auth);

  /**
   * Runs one request and checks that it was refused as expected and left nothing behind:
   * no payment row for the merchant, no call to the bank.
   */
  async function expectRefused(send: () => PromiseLike<Response>, expected: Refusal): Promise<Response> {
    const rowsBefore = await countPayments(t(), merchant.id);
    const callsBefore = t().bank.calls.length;
    const res = await send();
    expect({ status: res.status, type: res.body?.error?.type, code: res.body?.error?.code, param: res.body?.error?.param }).toEqual(expected);
    expect(typeof res.body.error.message).toBe('string');
    expect(res.headers['x-request-id']).toMatch(/^req_[0-9A-Z]{26}$/);
    expect(res.body.error.request_id).toBe(res.headers['x-request-id']);
    expect(await countPayments(t(), merchant.id)).toBe(rowsBefore);
    expect(t().bank.calls.length).toBe(callsBefore);
    return res;
  }

  /** Runs one request that must be accepted: 201, exactly one new row, exactly one bank call. */
  async function expectCreated(send: () => PromiseLike<Response>, merchantId = merchant.id): Promise<Response> {
    const rowsBefore = await countPayments(t(), merchantId);
    const callsBefore = t().bank.calls.length;
    const res = await send();
    expect({ status: res.status, error: res.body?.error }).toEqual({ status: 201, error: undefined });
    expect(res.body.id).toMatch(/^pay_[0-9A-Z]{26}$/);
    expect(res.body.merchant_id).toBe(merchantId);
    expect(await countPayments(t(), merchantId)).toBe(rowsBefore + 1);
    expect(t().bank.calls.length).toBe(callsBefore + 1);
    return res;
  }

  const post = (body: unknown, who: Who = 'merchant') => () => t().http().post('/v1/payments').set(auth(who)).send(body as object);
  const postRaw = (text: string, who: Who = 'merchant') => () =>
    t().http().post('/v1/payments').set(auth(who)).set('Content-Type', 'application/json').send(text);
  const list = (query: string) => () => t().http().get(`/v1/payments?${query}`).set(merchant.auth);

  describe('POST /v1/payments refuses', () => {
    const cases: [string, () => unknown, Who, Refusal][] = [
      // card.number: 12–19 digits after stripping spaces and dashes, Luhn-valid.
      ['a card number failing the Luhn check', () => paymentBody({}, { number: '4242424242424241' }), 'merchant', cardNumberInvalid],
      ['a card number of 11 digits', () => paymentBody({}, { number: '42424242428' }), 'merchant', cardNumberInvalid],
      ['a card number of 20 digits', () => paymentBody({}, { number: '42424242424242424242' }), 'merchant', cardNumberInvalid],
      ['a card number with letters', () => paymentBody({}, { number: '4242abcd42424242' }), 'merchant', cardNumberInvalid],
      ['an empty card number', () => paymentBody({}, { number: '' }), 'merchant', cardNumberInvalid],
      ['a card number of spaces and dashes only', () => paymentBody({}, { number: '---- ----' }), 'merchant', cardNumberInvalid],
      // "length, digits or Luhn" is card_number_invalid at any length, not a generic parameter_invalid.
      ['a card number of 41 digits', () => paymentBody({}, { number: '4'.repeat(41) }), 'merchant', cardNumberInvalid],
      ['a card number of 1 000 characters', () => paymentBody({}, { number: '4242-'.repeat(200) }), 'merchant', cardNumberInvalid],
      ['a card number sent as a JSON number', () => paymentBody({}, { number: 4242424242424242 }), 'merchant', invalid('card.number')],

      // Expiry: a card whose expiry month has ended (UTC) is card_expired; month 1–12, year four digits.
      [
        'a card that expired last month (10/2026, today is 25 Nov 2026)',
        () => paymentBody({}, { expiry_month: 10, expiry_year: 2026 }),
        'merchant',
        { status: 400, type: 'invalid_request_error', code: 'card_expired', param: 'card.expiry_month' },
      ],
      [
        'a card that expired years ago (12/2020)',
        () => paymentBody({}, { expiry_month: 12, expiry_year: 2020 }),
        'merchant',
        { status: 400, type: 'invalid_request_error', code: 'card_expired', param: 'card.expiry_month' },
      ],
      ['expiry_month 0', () => paymentBody({}, { expiry_month: 0 }), 'merchant', invalid('card.expiry_month')],
      ['expiry_month 13', () => paymentBody({}, { expiry_month: 13 }), 'merchant', invalid('card.expiry_month')],
      ['expiry_month as a string', () => paymentBody({}, { expiry_month: '12' }), 'merchant', invalid('card.expiry_month')],
      ['a two-digit expiry_year (30)', () => paymentBody({}, { expiry_year: 30 }), 'merchant', invalid('card.expiry_year')],
      ['a five-digit expiry_year', () => paymentBody({}, { expiry_year: 20300 }), 'merchant', invalid('card.expiry_year')],

      // cvv: 3 digits, 4 for American Express, a string.
      ['a 2-digit cvv', () => paymentBody({}, { cvv: '12' }), 'merchant', invalid('card.cvv')],
      ['a 5-digit cvv', () => paymentBody({}, { cvv: '12345' }), 'merchant', invalid('card.cvv')],
      ['a cvv with letters', () => paymentBody({}, { cvv: '12a' }), 'merchant', invalid('card.cvv')],
      ['an Amex card with a 3-digit cvv', () => paymentBody({}, { number: CARDS.amex, cvv: '123' }), 'merchant', invalid('card.cvv')],
      ['a Visa card with a 4-digit cvv', () => paymentBody({}, { cvv: '1234' }), 'merchant', invalid('card.cvv')],
      ['a Mastercard with a 4-digit cvv', () => paymentBody({}, { number: CARDS.mastercard, cvv: '1234' }), 'merchant', invalid('card.cvv')],
      ['a cvv sent as a number', () => paymentBody({}, { cvv: 123 }), 'merchant', invalid('card.cvv')],

      // holder_name ≤ 100 code points.
      ['a holder_name of 101 characters', () => paymentBody({}, { holder_name: 'a'.repeat(101) }), 'merchant', invalid('card.holder_name')],

      // amount: integer 1 … 99 999 999.
      ['amount 0', () => paymentBody({ amount: 0 }), 'merchant', invalid('amount')],
      ['a negative amount', () => paymentBody({ amount: -5 }), 'merchant', invalid('amount')],
      ['a fractional amount', () => paymentBody({ amount: 1.5 }), 'merchant', invalid('amount')],
      ['an amount sent as a string', () => paymentBody({ amount: '1050' }), 'merchant', invalid('amount')],
      ['an amount above 99 999 999', () => paymentBody({ amount: 100_000_000 }), 'merchant', invalid('amount')],
      ['amount null', () => paymentBody({ amount: null }), 'merchant', invalid('amount')],
      ['a missing amount', () => without('amount'), 'merchant', missing('amount')],

      // currency: upper-case ISO 4217 code in active use.
      ['a lower-case currency', () => paymentBody({ currency: 'eur' }), 'merchant', invalid('currency')],
      ['an unknown currency', () => paymentBody({ currency: 'ABC' }), 'merchant', invalid('currency')],
      ['an obsolete currency (DEM)', () => paymentBody({ currency: 'DEM' }), 'merchant', invalid('currency')],
      ['a currency sent as a number', () => paymentBody({ currency: 12 }), 'merchant', invalid('currency')],
      ['the "no currency" code XXX', () => paymentBody({ currency: 'XXX' }), 'merchant', invalid('currency')],
      ['a currency with surrounding spaces', () => paymentBody({ currency: ' EUR ' }), 'merchant', invalid('currency')],
      ['a missing currency', () => without('currency'), 'merchant', missing('currency')],

      // Missing card or card fields.
      ['a missing card', () => without('card'), 'merchant', missing('card')],
      ['a missing card.number', () => without('card.number'), 'merchant', missing('card.number')],
      ['a missing card.cvv', () => without('card.cvv'), 'merchant', missing('card.cvv')],
      ['a missing card.expiry_year', () => without('card.expiry_year'), 'merchant', missing('card.expiry_year')],
      ['a card that is a string', () => paymentBody({ card: '4242424242424242' }), 'merchant', invalid('card')],

      // Unknown fields, top level and nested.
      ['an unknown top-level field', () => paymentBody({ foo: 'bar' }), 'merchant', unknown('foo')],
      ['an unknown card field', () => paymentBody({}, { foo: 'bar' }), 'merchant', unknown('card.foo')],

      // merchant_id: merchant keys may not send it, admin keys must, and it must exist.
      ['merchant_id sent with a merchant key', () => paymentBody({ merchant_id: merchant.id }), 'merchant', unknown('merchant_id')],
      ['an admin key without merchant_id', () => paymentBody(), 'admin', missing('merchant_id')],
      [
        'an admin key naming a well-formed merchant id that does not exist',
        () => paymentBody({ merchant_id: 'mer_01JDQ3R6X8M2K9V4T7B5N1C0AZ' }),
        'admin',
        invalid('merchant_id'),
      ],
      ['an admin key naming a malformed merchant id', () => paymentBody({ merchant_id: 'mer_123' }), 'admin', invalid('merchant_id')],

      // reference ≤ 128, description ≤ 500 code points.
      ['a reference of 129 characters', () => paymentBody({ reference: 'r'.repeat(129) }), 'merchant', invalid('reference')],
      ['a reference of 129 emoji', () => paymentBody({ reference: '😀'.repeat(129) }), 'merchant', invalid('reference')],
      ['a description of 501 characters', () => paymentBody({ description: 'd'.repeat(501) }), 'merchant', invalid('description')],
      ['a reference sent as a number', () => paymentBody({ reference: 1234 }), 'merchant', invalid('reference')],

      // metadata: ≤ 50 string keys (≤ 40 chars, no "[" or "]") with string values (≤ 500 chars).
      ['metadata with 51 keys', () => paymentBody({ metadata: metadataOf(51) }), 'merchant', invalid('metadata')],
      ['a metadata key of 41 characters', () => paymentBody({ metadata: { ['k'.repeat(41)]: 'v' } }), 'merchant', invalid('metadata')],
      ['a metadata key with "["', () => paymentBody({ metadata: { 'a[b': 'v' } }), 'merchant', invalid('metadata')],
      ['a metadata key with "]"', () => paymentBody({ metadata: { 'a]b': 'v' } }), 'merchant', invalid('metadata')],
      ['an empty metadata key', () => paymentBody({ metadata: { '': 'v' } }), 'merchant', invalid('metadata')],
      ['a metadata value that is a number', () => paymentBody({ metadata: { count: 3 } }), 'merchant', invalid('metadata')],
      ['a metadata value that is an object', () => paymentBody({ metadata: { nested: { a: 'b' } } }), 'merchant', invalid('metadata')],
      ['a metadata value of 501 characters', () => paymentBody({ metadata: { note: 'v'.repeat(501) } }), 'merchant', invalid('metadata')],
      ['metadata that is an array', () => paymentBody({ metadata: ['a'] }), 'merchant', invalid('metadata')],
      ['metadata that is a string', () => paymentBody({ metadata: 'cart=c_81' }), 'merchant', invalid('metadata')],
      ['a metadata key "constructor"', () => paymentBody({ metadata: { constructor: 'x' } }), 'merchant', invalid('metadata')],
      ['a metadata key "prototype"', () => paymentBody({ metadata: { prototype: 'x' } }), 'merchant', invalid('metadata')],

      // capture: a boolean.
      ['capture "yes"', () => paymentBody({ capture: 'yes' }), 'merchant', invalid('capture')],
      ['capture 1', () => paymentBody({ capture: 1 }), 'merchant', invalid('capture')],
    ];

    it.each(cases)('%s', async (_name, body, who, expected) => {
      await expectRefused(post(body(), who), expected);
    });

    it('a "__proto__" metadata key, sent raw so that it is really on the wire', async () => {
      const text = rawBody('"metadata":{"__proto__":"x"}');
      expect(text).toContain('"metadata":{"__proto__":"x"}');
      await expectRefused(postRaw(text), invalid('metadata'));
    });

    it('a "__proto__" metadata key holding an object (prototype pollution attempt)', async () => {
      await expectRefused(postRaw(rawBody('"metadata":{"__proto__":{"polluted":"yes"}}')), invalid('metadata'));
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    });

    it('a "__proto__" metadata key next to valid keys', async () => {
      await expectRefused(postRaw(rawBody('"metadata":{"cart":"c_81","__proto__":"x"}')), invalid('metadata'));
    });

    it('"constructor" and "prototype" metadata keys, sent raw', async () => {
      await expectRefused(postRaw(rawBody('"metadata":{"constructor":"x"}')), invalid('metadata'));
      await expectRefused(postRaw(rawBody('"metadata":{"cart":"c_81","prototype":"x"}')), invalid('metadata'));
    });

    it.each([
      ['a top-level "constructor" key', '"constructor":"x"', 'constructor'],
      ['a top-level "prototype" key', '"prototype":{"amount":1}', 'prototype'],
    ])('%s is refused, not silently dropped', async (_name, extra, param) => {
      await expectRefused(postRaw(rawBody(extra)), invalid(param));
    });

    it('a "constructor" key inside card is refused, named by its parent', async () => {
      const text = JSON.stringify(paymentBody()).replace('"number":', '"constructor":"x","number":');
      await expectRefused(postRaw(text), invalid('card'));
    });

    // PostgreSQL stores neither NUL characters nor lone surrogates (valid in JSON): a 400, not a 500.
    it.each([
      ['a NUL in the description', rawBody('"description":"a\\u0000b"'), 'description'],
      ['a NUL in the reference', rawBody('"reference":"\\u0000"'), 'reference'],
      ['a NUL in a metadata value', rawBody('"metadata":{"cart":"c\\u0000"}'), 'metadata.cart'],
      ['a NUL in a metadata key', rawBody('"metadata":{"c\\u0000":"x"}'), 'metadata'],
      ['a lone surrogate in the description', rawBody('"description":"\\ud83d"'), 'description'],
      ['a NUL in the holder name', JSON.stringify(paymentBody({}, { holder_name: 'Ada\u0000' })), 'card.holder_name'],
    ])('text the database cannot store: %s', async (_name, text, param) => {
      await expectRefused(postRaw(text), invalid(param));
    });

    it('an emoji (a surrogate pair) in the description is stored and read back', async () => {
      const res = await expectCreated(post(paymentBody({ description: 'books 📚' })));
      expect(res.body.description).toBe('books 📚');
    });

    it('a "__proto__" key at the top level of the body', async () => {
      // The contract names metadata only; at the top level `__proto__` is refused with its own name as param.
      const res = await expectRefused(postRaw(rawBody('"__proto__":{"amount":1}')), invalid('__proto__'));
      expect(res.body.error.param).toBe('__proto__');
    });
  });

  describe('POST /v1/payments refuses bodies that are not a JSON object', () => {
    it('malformed JSON → invalid_json, param null', async () => {
      await expectRefused(postRaw('{"amount": 10,'), {
        status: 400,
        type: 'invalid_request_error',
        code: 'invalid_json',
        param: null,
      });
    });

    it('a 2 MB body (valid JSON) → 413 body_too_large', async () => {
      const body = paymentBody({ description: 'd'.repeat(2_000_000) });
      await expectRefused(post(body), { status: 413, type: 'invalid_request_error', code: 'body_too_large', param: null });
    });

    it('a body just over 100 kB → 413 body_too_large', async () => {
      const body = paymentBody({ description: 'd'.repeat(100 * 1024) });
      await expectRefused(post(body), { status: 413, type: 'invalid_request_error', code: 'body_too_large', param: null });
    });

    it.each([
      ['an empty JSON array', '[]'],
      ['a JSON array of a valid body', JSON.stringify([paymentBody()])],
      ['a JSON string', '"hello"'],
      ['a JSON number', '42'],
      ['JSON true', 'true'],
    ])('%s → 400 parameter_invalid, param null', async (_name, text) => {
      await expectRefused(postRaw(text), invalid(null));
    });

    it('refuses JSON null like any body that is not an object', async () => {
      await expectRefused(postRaw('null'), { status: 400, type: 'invalid_request_error', code: 'parameter_invalid', param: null });
    });

    it('an empty JSON object → the first missing field', async () => {
      await expectRefused(postRaw('{}'), missing('amount'));
    });
  });

  describe('POST /v1/payments accepts', () => {
    it('a card number with spaces and dashes; stores only its digits', async () => {
      const res = await expectCreated(post(paymentBody({}, { number: '4242 4242-4242 4242' })));
      expect(res.body.card).toMatchObject({ brand: 'visa', last4: '4242', bin: '424242' });
      expect(t().bank.calls.at(-1)!.card.number).toBe(CARDS.visa);
    });

    it('a card expiring this month (11/2026)', async () => {
      const res = await expectCreated(post(paymentBody({}, { expiry_month: 11, expiry_year: 2026 })));
      expect(res.body.card).toMatchObject({ expiry_month: 11, expiry_year: 2026 });
      expect(res.body.status).toBe('captured');
    });

    it('a card of 11/2026 until the last millisecond of November in UTC, not in local time', async () => {
      const body = paymentBody({}, { expiry_month: 11, expiry_year: 2026 });
      try {
        // 00:30 on 1 December in UTC+1 is still November in UTC: the card is valid.
        t().clock.set('2026-12-01T00:30:00.000+01:00');
        await expectCreated(post(body));
        t().clock.set('2026-11-30T23:59:59.999Z');
        await expectCreated(post(body));
        // The first instant of December in UTC: the card has expired.
        t().clock.set('2026-12-01T00:00:00.000Z');
        await expectRefused(post(body), { status: 400, type: 'invalid_request_error', code: 'card_expired', param: 'card.expiry_month' });
      } finally {
        t().clock.set('2026-11-25T12:00:00.000Z');
      }
    });

    it('an Amex card with a 4-digit cvv', async () => {
      const res = await expectCreated(post(paymentBody({}, { number: CARDS.amex, cvv: '1234' })));
      expect(res.body.card.brand).toBe('amex');
    });

    it('the largest amount, 99 999 999', async () => {
      const res = await expectCreated(post(paymentBody({ amount: 99_999_999 })));
      expect(res.body.amount).toBe(99_999_999);
    });

    it('a reference of 128 emoji (lengths are code points, not UTF-16 units)', async () => {
      const reference = '😀'.repeat(128);
      expect(reference.length).toBe(256);
      const res = await expectCreated(post(paymentBody({ reference })));
      expect(res.body.reference).toBe(reference);
      const read = await t().http().get(`/v1/payments/${res.body.id}`).set(merchant.auth).expect(200);
      expect(read.body.reference).toBe(reference);
    });

    it('limits exactly at the maximum: reference 128, description 500, holder_name 100 characters', async () => {
      const res = await expectCreated(
        post(paymentBody({ reference: 'r'.repeat(128), description: 'd'.repeat(500) }, { holder_name: 'h'.repeat(100) })),
      );
      expect(res.body.reference).toHaveLength(128);
      expect(res.body.description).toHaveLength(500);
      expect(res.body.card.holder_name).toHaveLength(100);
    });

    it('metadata with 50 keys of 40 characters and values of 500 characters', async () => {
      const metadata = Object.fromEntries(
        Array.from({ length: 50 }, (_, i) => [`${String(i).padStart(2, '0')}${'k'.repeat(38)}`, 'v'.repeat(500)]),
      );
      const res = await expectCreated(post(paymentBody({ metadata })));
      expect(res.body.metadata).toEqual(metadata);
    });

    it('metadata keys of 40 emoji and values of 500 emoji (code points)', async () => {
      const metadata = { ['😀'.repeat(40)]: '🎉'.repeat(500) };
      const res = await expectCreated(post(paymentBody({ metadata })));
      expect(res.body.metadata).toEqual(metadata);
    });

    it('the optional fields as null or absent', async () => {
      const res = await expectCreated(post({ amount: 100, currency: 'JPY', card: { number: CARDS.mastercard, expiry_month: 1, expiry_year: 2027, cvv: '999' }, reference: null, description: null, metadata: null }));
      expect(res.body).toMatchObject({ reference: null, description: null, metadata: {}, card: { holder_name: null } });
    });

    it('an admin key naming the real merchant: the payment belongs to that merchant', async () => {
      const res = await expectCreated(post(paymentBody({ merchant_id: merchant.id }), 'admin'));
      expect(res.body.merchant_id).toBe(merchant.id);
      // The merchant's own key sees it.
      await t().http().get(`/v1/payments/${res.body.id}`).set(merchant.auth).expect(200);
    });
  });

  describe('GET /v1/payments refuses', () => {
    const cases: [string, string, Refusal][] = [
      ['limit=0', 'limit=0', invalid('limit')],
      ['limit=101', 'limit=101', invalid('limit')],
      ['limit=abc', 'limit=abc', invalid('limit')],
      ['limit=1.5', 'limit=1.5', invalid('limit')],
      ['an empty limit', 'limit=', invalid('limit')],
      ['an unknown query parameter', 'foo=1', unknown('foo')],
      ['merchant_id with a merchant key', `merchant_id=${'mer_01JDQ3R6X8M2K9V4T7B5N1C0AZ'}`, unknown('merchant_id')],
      ['a garbage cursor', 'cursor=garbage', invalid('cursor')],
      ['a cursor that is base64 of something else', `cursor=${Buffer.from('hello|world').toString('base64url')}`, invalid('cursor')],
      ['status=bogus', 'status=bogus', invalid('status')],
      ['history_status=bogus', 'history_status=bogus', invalid('history_status')],
      ['created_gte=yesterday', 'created_gte=yesterday', invalid('created_gte')],
      ['created_lt=2026-13-01', 'created_lt=2026-13-01', invalid('created_lt')],
      ['a repeated limit (limit=10&limit=20)', 'limit=10&limit=20', invalid('limit')],
      ['a repeated status', 'status=captured&status=declined', invalid('status')],
      ['a reference of 129 characters', `reference=${'r'.repeat(129)}`, invalid('reference')],
    ];

    it.each(cases)('%s', async (_name, query, expected) => {
      await expectRefused(list(query), expected);
    });

    it('merchant_id with a merchant key naming the merchant itself', async () => {
      await expectRefused(list(`merchant_id=${merchant.id}`), unknown('merchant_id'));
    });

    it('limit=1 and limit=100 are accepted', async () => {
      await t().http().get('/v1/payments?limit=1').set(merchant.auth).expect(200);
      await t().http().get('/v1/payments?limit=100').set(merchant.auth).expect(200);
    });
  });

  describe('GET /v1/payments/{id} with a malformed id', () => {
    it.each(['pay_123', 'abc', 'pay_01jdq3r6x8m2k9v4t7b5n1c0az', 'mer_01JDQ3R6X8M2K9V4T7B5N1C0AZ'])('%s → 404 not_found_error', async (id) => {
      const res = await expectRefused(() => t().http().get(`/v1/payments/${id}`).set(merchant.auth), {
        status: 404,
        type: 'not_found_error',
        code: 'resource_missing',
        param: 'id',
      });
      expect(res.body.error.message).not.toContain(id);
    });

    it('a well-formed id that does not exist → 404 not_found_error', async () => {
      await expectRefused(() => t().http().get('/v1/payments/pay_01JDQ3R6X8M2K9V4T7B5N1C0AZ').set(merchant.auth), {
        status: 404,
        type: 'not_found_error',
        code: 'resource_missing',
        param: 'id',
      });
    });
  });
});
