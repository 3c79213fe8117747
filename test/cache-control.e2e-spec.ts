import type { Response } from 'supertest';
import { admin, createMerchant, paymentBody, type TestMerchant } from './support/fixtures.js';
import { useTestApp } from './support/test-app.js';

/** No cache on the way (a proxy, the client's HTTP library) may keep a secret or a merchant's data. */
describe('Cache-Control (e2e)', () => {
  const t = useTestApp();
  let merchant: TestMerchant;

  beforeEach(async () => {
    merchant = await createMerchant(t());
  });

  const expectNoStore = (response: Response) => expect(response.headers['cache-control']).toBe('no-store');

  describe('responses that carry a secret', () => {
    it('a new API key (sk_…)', async () => {
      const issued = await t().http().post(`/v1/admin/merchants/${merchant.id}/api-keys`).set(admin).expect(201);
      expect(issued.body.key).toMatch(/^sk_/);
      expectNoStore(issued);
    });

    it("a new webhook endpoint's signing secret (whsec_…)", async () => {
      // Loopback, and no worker sends anything: the endpoint is only created.
      const created = await t()
        .http()
        .post('/v1/webhook-endpoints')
        .set(merchant.auth)
        .send({ url: 'http://127.0.0.1:9/hooks', events: ['*'] })
        .expect(201);
      expect(created.body.secret).toMatch(/^whsec_/);
      expectNoStore(created);
    });
  });

  it('every other API response too: data, lists, errors before and after authentication', async () => {
    const payment = await t().http().post('/v1/payments').set(merchant.auth).send(paymentBody()).expect(201);
    const responses = [
      payment,
      await t().http().get(`/v1/payments/${payment.body.id}`).set(merchant.auth).expect(200),
      await t().http().get('/v1/payments').set(merchant.auth).expect(200),
      await t().http().get('/v1/webhook-endpoints').set(merchant.auth).expect(200),
      await t().http().get('/v1/admin/merchants').set(admin).expect(200),
      await t().http().get('/v1/payments').expect(401),
      await t().http().get('/v1/nowhere').set(merchant.auth).expect(404),
      await t().http().post('/v1/payments').set(merchant.auth).set('Content-Type', 'application/json').send('{"amount":').expect(400),
    ];
    responses.forEach(expectNoStore);
  });
});
