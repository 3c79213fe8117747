import { createMerchant, paymentBody } from './support/fixtures.js';
import { startTestApp, type TestApp } from './support/test-app.js';

describe('smoke', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => {
    await t.close();
  });

  it('creates and reads back a payment', async () => {
    const merchant = await createMerchant(t);
    const created = await t.http().post('/v1/payments').set(merchant.auth).send(paymentBody()).expect(201);
    expect(created.body.status).toBe('captured');
    const read = await t.http().get(`/v1/payments/${created.body.id}`).set(merchant.auth).expect(200);
    expect(read.body).toEqual(created.body);
  });
});
