import { WebhookDispatcher } from '../src/webhooks/webhook-dispatcher.js';
import { createMerchant, paymentBody, type TestMerchant } from './support/fixtures.js';
import { WebhookReceiver } from './support/receiver.js';
import { useTestApp, type TestApp } from './support/test-app.js';

interface Delivery {
  id: string;
  status: 'pending' | 'succeeded' | 'failed';
  response_status: number | null;
  error: string | null;
  attempts: { attempt: number; response_status: number | null; error: string | null }[];
}

const ENV = { WEBHOOK_RETRY_SCALE: '0.001', WEBHOOK_TIMEOUT_MS: '500' };
/** NODE_ENV=production: https only, no non-public targets (WEBHOOKS_ALLOW_* default to false). */
const PRODUCTION_ENV = { ...ENV, NODE_ENV: 'production', CARD_FINGERPRINT_SECRET: 'x'.repeat(32), METRICS_TOKEN: 'metrics-token' };
const LOOPBACK_REFUSED = /^localhost resolves only to non-public addresses \(127\.0\.0\.1: 127\.0\.0\.0\/8 Loopback \(RFC 1122\)/;

// All traffic stays on loopback: every URL here names this machine, in one spelling or another.
describe('Outbound URL policy in production (e2e)', () => {
  const production = useTestApp(PRODUCTION_ENV);
  // A development instance on the same database: it may store, and send to, loopback URLs.
  const dev = useTestApp(ENV);
  let merchant: TestMerchant;
  let receiver: WebhookReceiver;
  let url: string;

  beforeEach(async () => {
    merchant = await createMerchant(production());
    receiver = new WebhookReceiver();
    url = (await receiver.start()).replace('127.0.0.1', 'localhost');
  });
  afterEach(async () => {
    await receiver.stop();
    // Tests share the database: what one test left pending must not be retried into the next.
    await production().dataSource.query(`UPDATE webhook_deliveries SET status = 'failed', next_attempt_at = NULL WHERE status = 'pending'`);
  });

  const countEndpoints = async () =>
    ((await production().dataSource.query(`SELECT count(*)::int AS n FROM webhook_endpoints WHERE merchant_id = $1`, [merchant.id])) as { n: number }[])[0]!.n;
  const registerOnDev = async (target: string): Promise<string> =>
    (await dev().http().post('/v1/webhook-endpoints').set(merchant.auth).send({ url: target, events: ['payment.captured'] }).expect(201)).body.id as string;
  const pay = async (app: TestApp) => {
    const payment = (await app.http().post('/v1/payments').set(merchant.auth).send(paymentBody()).expect(201)).body as { status: string };
    expect(payment.status).toBe('captured');
  };
  const dispatch = (app: TestApp) => app.app.get(WebhookDispatcher).runOnce();
  const deliveries = async (endpointId: string): Promise<Delivery[]> =>
    (await production().http().get(`/v1/webhook-endpoints/${endpointId}/deliveries`).set(merchant.auth).expect(200)).body.data as Delivery[];

  it.each([
    ['https://[::ffff:127.0.0.1]/', /\(::ffff:7f00:1: IPv4-mapped, 127\.0\.0\.0\/8 Loopback/],
    ['https://[::127.0.0.1]/', /\(::7f00:1: ::\/96 IPv4-compatible/],
    ['https://[::ffff:0:127.0.0.1]/', /\(::ffff:0:7f00:1: ::ffff:0:0:0\/96 IPv4-translated/],
  ])('refuses to register %s: 400 parameter_invalid on url, nothing stored', async (target, detail) => {
    const response = await production().http().post('/v1/webhook-endpoints').set(merchant.auth).send({ url: target, events: ['*'] }).expect(400);
    expect(response.body.error).toMatchObject({ type: 'invalid_request_error', code: 'parameter_invalid', param: 'url' });
    expect(response.body.error.message).toMatch(/^url must not point to a loopback, private or link-local address /);
    expect(response.body.error.message).toMatch(detail);
    expect(await countEndpoints()).toBe(0);
  });

  it('does not deliver to a host that resolves to loopback at send time, and records why', async () => {
    const endpointId = await registerOnDev(url);
    await pay(production());

    expect(await dispatch(production())).toBe(1);
    expect(receiver.received).toHaveLength(0);
    const [delivery] = await deliveries(endpointId);
    expect(delivery).toMatchObject({ status: 'pending', response_status: null, error: expect.stringMatching(LOOPBACK_REFUSED) });
    expect(delivery!.attempts).toEqual([expect.objectContaining({ attempt: 1, response_status: null, error: expect.stringMatching(LOOPBACK_REFUSED) })]);
  });

  it('checks again on a connection another policy left open to the same host', async () => {
    const endpointId = await registerOnDev(url);
    await pay(dev());
    await dispatch(dev());
    // The development instance delivered, and its kept-alive connection to localhost is idle.
    expect(receiver.received).toHaveLength(1);

    await pay(production());
    expect(await dispatch(production())).toBe(1);

    expect(receiver.received).toHaveLength(1);
    const list = await deliveries(endpointId);
    expect(list.map((delivery) => delivery.status).sort()).toEqual(['pending', 'succeeded']);
    expect(list.find((delivery) => delivery.status === 'pending')).toMatchObject({ response_status: null, error: expect.stringMatching(LOOPBACK_REFUSED) });
  });
});
