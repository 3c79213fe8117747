import { ADMIN_KEY, type TestApp } from './test-app.js';

export const admin = { Authorization: `Bearer ${ADMIN_KEY}` };

export const bearer = (key: string) => ({ Authorization: `Bearer ${key}` });

export interface TestMerchant {
  id: string;
  keyId: string;
  key: string;
  auth: { Authorization: string };
}

/** A fresh merchant with a live key, made through the admin API: tests never share merchants. */
export async function createMerchant(t: TestApp, name = 'Test merchant'): Promise<TestMerchant> {
  const merchant = await t.http().post('/v1/admin/merchants').set(admin).send({ name }).expect(201);
  const key = await t.http().post(`/v1/admin/merchants/${merchant.body.id}/api-keys`).set(admin).expect(201);
  return { id: merchant.body.id, keyId: key.body.id, key: key.body.key, auth: bearer(key.body.key) };
}

/** Another key for the merchant, of the mode given: the same merchant seen through that key. */
export async function issueKey(t: TestApp, merchant: TestMerchant, mode: 'test' | 'live'): Promise<TestMerchant> {
  const key = await t.http().post(`/v1/admin/merchants/${merchant.id}/api-keys`).set(admin).send({ mode }).expect(201);
  return { id: merchant.id, keyId: key.body.id, key: key.body.key, auth: bearer(key.body.key) };
}

export const CARDS = {
  visa: '4242424242424242',
  mastercard: '5555555555554444',
  amex: '378282246310005',
  declined: '4000000000000002',
  insufficientFunds: '4000000000009995',
  expiredCard: '4000000000000069',
  incorrectCvc: '4000000000000127',
  processingError: '4000000000000119',
  timeout: '4000000000000259',
  softDecline: '4000000000000101',
} as const;

export function paymentBody(overrides: Record<string, unknown> = {}, card: Record<string, unknown> = {}) {
  return {
    amount: 1050,
    currency: 'EUR',
    card: { number: CARDS.visa, expiry_month: 12, expiry_year: 2030, cvv: '123', holder_name: 'Ada Lovelace', ...card },
    reference: 'order-1234',
    description: '2 books',
    metadata: { cart: 'c_81' },
    ...overrides,
  };
}

/** Counts a merchant's rows: "nothing was stored" is checked in the database itself. */
export async function countPayments(t: TestApp, merchantId: string): Promise<number> {
  const [row] = (await t.dataSource.query('SELECT count(*)::int AS n FROM payments WHERE merchant_id = $1', [merchantId])) as {
    n: number;
  }[];
  return row!.n;
}
