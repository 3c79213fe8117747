import { Webhook } from 'standardwebhooks';
import { WebhookDispatcher } from '../src/webhooks/webhook-dispatcher.js';
import { createMerchant, paymentBody, type TestMerchant } from './support/fixtures.js';
import { WebhookReceiver } from './support/receiver.js';
import { startTestApp, type TestApp } from './support/test-app.js';

describe('Webhooks (e2e)', () => {
  let t: TestApp;
  let merchant: TestMerchant;
  let receiver: WebhookReceiver;
  let url: string;

  beforeAll(async () => {
    t = await startTestApp({ WEBHOOK_RETRY_SCALE: '0.001', WEBHOOK_TIMEOUT_MS: '500' });
  });
  afterAll(async () => {
    await t.close();
  });
  beforeEach(async () => {
    merchant = await createMerchant(t);
    receiver = new WebhookReceiver();
    url = await receiver.start();
  });
  afterEach(async () => {
    await receiver.stop();
  });

  const register = async (events: string[] = ['*']) =>
    (await t.http().post('/v1/webhook-endpoints').set(merchant.auth).send({ url, events }).expect(201)).body;
  const dispatch = () => t.app.get(WebhookDispatcher).runOnce();

  it('delivers a captured payment signed so that the standardwebhooks verifier accepts it', async () => {
    const endpoint = await register(['payment.captured']);
    expect(endpoint.secret).toMatch(/^whsec_/);
    const payment = (await t.http().post('/v1/payments').set(merchant.auth).send(paymentBody()).expect(201)).body;

    await dispatch();
    expect(receiver.received).toHaveLength(1);
    const [delivery] = receiver.received;
    const verified = new Webhook(endpoint.secret).verify(delivery!.body, delivery!.headers as Record<string, string>) as Record<string, any>;
    expect(verified).toMatchObject({
      type: 'payment.captured',
      id: expect.stringMatching(/^evt_/),
      data: { object: { id: payment.id, status: 'captured' }, payment_status: 'captured' },
    });
    expect(delivery!.headers['webhook-id']).toBe(verified.id);

    const deliveries = await t.http().get(`/v1/webhook-endpoints/${endpoint.id}/deliveries`).set(merchant.auth).expect(200);
    expect(deliveries.body.data).toEqual([
      expect.objectContaining({ event_type: 'payment.captured', attempt: 1, status: 'succeeded', response_status: 200, error: null }),
    ]);
  });
});
