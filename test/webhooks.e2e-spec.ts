import { Webhook } from 'standardwebhooks';
import { WebhookDispatcher } from '../src/webhooks/webhook-dispatcher.js';
import { admin, CARDS, createMerchant, paymentBody, type TestMerchant } from './support/fixtures.js';
import { WebhookReceiver, type Received } from './support/receiver.js';
import { startTestApp, useTestApp, type TestApp } from './support/test-app.js';
import { waitFor } from './support/wait-for.js';

type Json = Record<string, unknown>;

interface Endpoint {
  id: string;
  merchant_id: string;
  url: string;
  events: string[];
  status: string;
  livemode: boolean;
  created_at: string;
}

interface CreatedEndpoint extends Endpoint {
  secret: string;
}

interface Attempt {
  attempt: number;
  response_status: number | null;
  duration_ms: number;
  error: string | null;
  response_body: string | null;
  created_at: string;
}

interface Delivery {
  id: string;
  event_id: string;
  event_type: string;
  attempt: number;
  status: 'pending' | 'succeeded' | 'failed';
  response_status: number | null;
  duration_ms: number | null;
  error: string | null;
  next_attempt_at: string | null;
  attempts: Attempt[];
  livemode: boolean;
  created_at: string;
}

/** What a receiver gets: the Standard Webhooks payload. */
interface WebhookPayload {
  id: string;
  type: string;
  created_at: string;
  livemode: boolean;
  data: { object: Json & { id: string }; payment_status: string };
}

const ENV = { WEBHOOK_RETRY_SCALE: '0.001', WEBHOOK_TIMEOUT_MS: '500' };
/** NODE_ENV=production: https only, no loopback/private targets (WEBHOOKS_ALLOW_* default to false). */
const PRODUCTION_ENV = { ...ENV, NODE_ENV: 'production', CARD_FINGERPRINT_SECRET: 'x'.repeat(32), METRICS_TOKEN: 'metrics-token' };
const ISO_MS = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;

const verify = (secret: string, request: Received): WebhookPayload =>
  new Webhook(secret).verify(request.body, request.headers as Record<string, string>) as WebhookPayload;

const payload = (request: Received): WebhookPayload => JSON.parse(request.body) as WebhookPayload;

describe('Webhooks (e2e)', () => {
  const t = useTestApp(ENV);
  let merchant: TestMerchant;
  let receiver: WebhookReceiver;
  let url: string;
  beforeEach(async () => {
    merchant = await createMerchant(t());
    receiver = new WebhookReceiver();
    url = await receiver.start();
  });
  afterEach(async () => {
    await receiver.stop();
    // Tests share the database: what one test left pending must not be retried into the next.
    await t().dataSource.query(`UPDATE webhook_deliveries SET status = 'failed', next_attempt_at = NULL WHERE status = 'pending'`);
  });

  const register = async (events: string[] = ['*'], target = url, who: TestMerchant = merchant): Promise<CreatedEndpoint> =>
    (await t().http().post('/v1/webhook-endpoints').set(who.auth).send({ url: target, events }).expect(201)).body as CreatedEndpoint;
  const pay = async (overrides: Json = {}, card: Json = {}, app: TestApp = t()): Promise<Json & { id: string; status: string }> =>
    (await app.http().post('/v1/payments').set(merchant.auth).send(paymentBody(overrides, card)).expect(201)).body;
  const dispatch = (app: TestApp = t()) => app.app.get(WebhookDispatcher).runOnce();
  /** Runs the dispatcher until `probe` holds (retries are due only after their backoff). */
  const dispatchUntil = (probe: () => Promise<boolean> | boolean, what: string, app: TestApp = t()) =>
    waitFor(async () => {
      await dispatch(app);
      return probe();
    }, what);
  const listEndpoints = async (who: TestMerchant = merchant): Promise<Endpoint[]> =>
    (await t().http().get('/v1/webhook-endpoints').set(who.auth).expect(200)).body.data as Endpoint[];
  const deliveries = async (endpointId: string): Promise<Delivery[]> =>
    (await t().http().get(`/v1/webhook-endpoints/${endpointId}/deliveries`).set(merchant.auth).expect(200)).body.data as Delivery[];
  const deliveryRows = async (endpointId: string) =>
    (await t().dataSource.query(`SELECT id, event_id, status, attempts, next_attempt_at FROM webhook_deliveries WHERE endpoint_id = $1`, [
      endpointId,
    ])) as { id: string; event_id: string; status: string; attempts: number; next_attempt_at: Date | null }[];
  const countEndpoints = async (merchantId: string) =>
    ((await t().dataSource.query(`SELECT count(*)::int AS n FROM webhook_endpoints WHERE merchant_id = $1`, [merchantId])) as { n: number }[])[0]!.n;
  const eventIds = async (paymentId: string, app: TestApp = t()): Promise<string[]> =>
    ((await app.http().get(`/v1/payments/${paymentId}/events`).set(merchant.auth).expect(200)).body.data as { id: string }[]).map((e) => e.id);
  const types = (requests: Received[]) => requests.map((request) => payload(request).type);

  it('delivers a captured payment signed so that the standardwebhooks verifier accepts it', async () => {
    const endpoint = await register(['payment.captured']);
    expect(endpoint.secret).toMatch(/^whsec_/);
    const payment = await pay();

    await dispatch();
    expect(receiver.received).toHaveLength(1);
    const [delivery] = receiver.received;
    const verified = verify(endpoint.secret, delivery!);
    expect(verified).toMatchObject({
      type: 'payment.captured',
      id: expect.stringMatching(/^evt_/),
      created_at: expect.stringMatching(ISO_MS),
      data: { object: { id: payment.id, status: 'captured' }, payment_status: 'captured' },
    });
    expect(delivery!.headers['webhook-id']).toBe(verified.id);
    expect(delivery!.headers['content-type']).toBe('application/json');
    expect(delivery!.path).toBe('/hooks');

    expect(await deliveries(endpoint.id)).toEqual([
      expect.objectContaining({ event_type: 'payment.captured', attempt: 1, status: 'succeeded', response_status: 200, error: null }),
    ]);
  });

  it('signs with the secret given at creation only: another secret fails verification', async () => {
    const endpoint = await register(['payment.captured']);
    await pay();
    await dispatch();
    expect(receiver.received).toHaveLength(1);
    const other = `whsec_${Buffer.alloc(32, 7).toString('base64')}`;
    expect(() => verify(other, receiver.received[0]!)).toThrow();
    expect(() => verify(endpoint.secret, { ...receiver.received[0]!, body: receiver.received[0]!.body.replace('captured', 'refunded') })).toThrow();
  });

  describe('endpoint management', () => {
    it('returns the secret once, at creation; the list has no secret', async () => {
      const created = await t().http().post('/v1/webhook-endpoints').set(merchant.auth).send({ url, events: ['payment.captured'] }).expect(201);
      const endpoint = created.body as CreatedEndpoint;
      expect(endpoint).toEqual({
        id: expect.stringMatching(/^we_[0-9A-Z]{26}$/),
        merchant_id: merchant.id,
        url,
        events: ['payment.captured'],
        status: 'enabled',
        livemode: true,
        secret: expect.stringMatching(/^whsec_[A-Za-z0-9+/]+=*$/),
        created_at: expect.stringMatching(ISO_MS),
      });
      expect(Buffer.from(endpoint.secret.slice('whsec_'.length), 'base64')).toHaveLength(32);

      const list = await t().http().get('/v1/webhook-endpoints').set(merchant.auth).expect(200);
      const { secret, ...withoutSecret } = endpoint;
      expect(list.body.data).toEqual([withoutSecret]);
      expect(list.body.data[0]).not.toHaveProperty('secret');
      expect(JSON.stringify(list.body)).not.toContain(secret.slice('whsec_'.length));

      // A second endpoint gets its own secret.
      const second = await register(['*']);
      expect(second.secret).not.toBe(secret);
      expect((await listEndpoints()).map((e) => e.id)).toEqual([endpoint.id, second.id]);
    });

    it('deletes an endpoint: 204, then 404 on its deliveries, gone from the list, and its pending deliveries stop', async () => {
      const endpoint = await register(['payment.captured']);
      const kept = await register(['payment.captured'], `${url}/kept`);
      await pay();
      expect(await deliveryRows(endpoint.id)).toEqual([expect.objectContaining({ status: 'pending' })]);

      await t().http().delete(`/v1/webhook-endpoints/${endpoint.id}`).set(merchant.auth).expect(204);

      const response = await t().http().get(`/v1/webhook-endpoints/${endpoint.id}/deliveries`).set(merchant.auth).expect(404);
      expect(response.body.error).toMatchObject({ type: 'not_found_error', code: 'resource_missing' });
      expect((await listEndpoints()).map((e) => e.id)).toEqual([kept.id]);
      await t().http().delete(`/v1/webhook-endpoints/${endpoint.id}`).set(merchant.auth).expect(404);
      await t().http().post(`/v1/webhook-endpoints/${endpoint.id}/deliveries/${(await deliveryRows(endpoint.id))[0]!.id}/resend`).set(merchant.auth).expect(404);

      // The delivery pending at deletion is not sent; later events make none for it.
      await pay();
      await dispatch();
      expect(receiver.received.map((request) => request.path)).toEqual(['/hooks/kept', '/hooks/kept']);
      expect(await deliveryRows(endpoint.id)).toEqual([expect.objectContaining({ status: 'failed' })]);
    });

    it("answers 404 for another merchant's endpoint, and lists only the merchant's own", async () => {
      const endpoint = await register(['*']);
      const other = await createMerchant(t(), 'Other merchant');
      const path = `/v1/webhook-endpoints/${endpoint.id}`;

      for (const response of [
        await t().http().get(`${path}/deliveries`).set(other.auth),
        await t().http().delete(path).set(other.auth),
        await t().http().post(`${path}/deliveries/whd_0123456789ABCDEFGHJKMNPQRS/resend`).set(other.auth),
      ]) {
        expect(response.status).toBe(404);
        expect(response.body.error).toMatchObject({ type: 'not_found_error', code: 'resource_missing' });
      }
      expect(await listEndpoints(other)).toEqual([]);
      // Still there for its owner.
      expect((await listEndpoints()).map((e) => e.id)).toEqual([endpoint.id]);
      await t().http().get(`${path}/deliveries`).set(merchant.auth).expect(200);
    });

    it('answers 404 for ids of the wrong shape', async () => {
      await t().http().get('/v1/webhook-endpoints/nope/deliveries').set(merchant.auth).expect(404);
      await t().http().delete('/v1/webhook-endpoints/we_0123').set(merchant.auth).expect(404);
      await t().http().get('/v1/webhook-endpoints/we_0123456789ABCDEFGHJKMNPQRS/deliveries').set(merchant.auth).expect(404);
    });

    it('needs a key', async () => {
      await t().http().get('/v1/webhook-endpoints').expect(401);
      await t().http().post('/v1/webhook-endpoints').send({ url, events: ['*'] }).expect(401);
    });

    it.each<[string, Json, string, string]>([
      ['a missing url', { events: ['*'] }, 'url', 'parameter_missing'],
      ['a url that is not a string', { url: 42, events: ['*'] }, 'url', 'parameter_invalid'],
      ['a url that is not a URL', { url: 'not a url', events: ['*'] }, 'url', 'parameter_invalid'],
      ['a url of another scheme', { url: 'ftp://example.com/hooks', events: ['*'] }, 'url', 'parameter_invalid'],
      ['a url with credentials', { url: 'http://user:pass@127.0.0.1/hooks', events: ['*'] }, 'url', 'parameter_invalid'],
      ['a url over 2048 characters', { url: `http://127.0.0.1/${'a'.repeat(2048)}`, events: ['*'] }, 'url', 'parameter_invalid'],
      ['missing events', { url: 'http://127.0.0.1/hooks' }, 'events', 'parameter_missing'],
      ['events []', { url: 'http://127.0.0.1/hooks', events: [] }, 'events', 'parameter_invalid'],
      ['an unknown event type', { url: 'http://127.0.0.1/hooks', events: ['payment.captured', 'payment.exploded'] }, 'events', 'parameter_invalid'],
      ['events as a string', { url: 'http://127.0.0.1/hooks', events: 'payment.captured' }, 'events', 'parameter_invalid'],
      ['an unknown field', { url: 'http://127.0.0.1/hooks', events: ['*'], colour: 'blue' }, 'colour', 'parameter_unknown'],
    ])('refuses %s with 400, storing nothing', async (_, body, param, code) => {
      const response = await t().http().post('/v1/webhook-endpoints').set(merchant.auth).send(body).expect(400);
      expect(response.body.error).toMatchObject({ type: 'invalid_request_error', code, param });
      expect(await countEndpoints(merchant.id)).toBe(0);
    });

    it('accepts ["*"] and every event type, and keeps each type once', async () => {
      expect((await register(['*'])).events).toEqual(['*']);
      const all = ['payment.created', 'payment.authorized', 'payment.captured', 'payment.declined', 'payment.failed', 'payment.voided'];
      expect((await register(all)).events).toEqual(all);
      expect((await register(['refund.succeeded', 'refund.failed', 'refund.succeeded'])).events).toEqual(['refund.succeeded', 'refund.failed']);
    });

    it('refuses merchant_id from a merchant key with 400 parameter_unknown', async () => {
      const response = await t().http().post('/v1/webhook-endpoints').set(merchant.auth).send({ url, events: ['*'], merchant_id: merchant.id }).expect(400);
      expect(response.body.error).toMatchObject({ type: 'invalid_request_error', code: 'parameter_unknown', param: 'merchant_id' });
      expect(await countEndpoints(merchant.id)).toBe(0);
    });

    it('makes the admin key name merchant_id', async () => {
      const missing = await t().http().post('/v1/webhook-endpoints').set(admin).send({ url, events: ['*'] }).expect(400);
      expect(missing.body.error).toMatchObject({ type: 'invalid_request_error', code: 'parameter_missing', param: 'merchant_id' });
      const unknown = await t().http().post('/v1/webhook-endpoints').set(admin).send({ url, events: ['*'], merchant_id: 'mer_0123456789ABCDEFGHJKMNPQRS' }).expect(400);
      expect(unknown.body.error).toMatchObject({ type: 'invalid_request_error', param: 'merchant_id' });
      expect(await countEndpoints(merchant.id)).toBe(0);

      const created = await t().http().post('/v1/webhook-endpoints').set(admin).send({ url, events: ['*'], merchant_id: merchant.id }).expect(201);
      expect(created.body).toMatchObject({ merchant_id: merchant.id, secret: expect.stringMatching(/^whsec_/) });
      expect((await listEndpoints()).map((e) => e.id)).toEqual([created.body.id]);
      // The admin sees it too, and its deliveries.
      const adminList = await t().http().get('/v1/webhook-endpoints').set(admin).expect(200);
      expect((adminList.body.data as Endpoint[]).map((e) => e.id)).toContain(created.body.id);
      await t().http().get(`/v1/webhook-endpoints/${created.body.id}/deliveries`).set(admin).expect(200);
    });
  });

  describe('URL policy in production', () => {
    const production = useTestApp(PRODUCTION_ENV);

    it.each([
      ['http://example.com/x', /https/],
      ['https://127.0.0.1/x', /loopback, private or link-local/],
      ['https://10.0.0.1/x', /loopback, private or link-local/],
      ['https://172.16.5.4/x', /loopback, private or link-local/],
      ['https://192.168.1.1/x', /loopback, private or link-local/],
      ['https://169.254.169.254/x', /loopback, private or link-local/],
      ['https://100.64.0.1/x', /loopback, private or link-local/],
      ['https://0.0.0.0/x', /loopback, private or link-local/],
      ['https://[::1]/x', /loopback, private or link-local/],
      ['https://[fe80::1]/x', /loopback, private or link-local/],
      ['https://[::ffff:127.0.0.1]/x', /loopback, private or link-local/],
      ['https://localhost/x', /loopback, private or link-local/],
      ['https://api.localhost/x', /loopback, private or link-local/],
      ['https://2130706433/x', /loopback, private or link-local/],
    ])('refuses %s with 400 param url, storing nothing', async (target, message) => {
      const response = await production().http().post('/v1/webhook-endpoints').set(merchant.auth).send({ url: target, events: ['*'] }).expect(400);
      expect(response.body.error).toMatchObject({ type: 'invalid_request_error', code: 'parameter_invalid', param: 'url', message: expect.stringMatching(message) });
      expect(await countEndpoints(merchant.id)).toBe(0);
    });

    it.each([
      ['an IP literal', (receiverUrl: string) => receiverUrl],
      ['a name resolving to loopback', (receiverUrl: string) => receiverUrl.replace('127.0.0.1', 'localhost')],
    ])('refuses at delivery time an endpoint stored with %s, sending nothing', async (_, target) => {
      // Stored while private targets were allowed (a dev instance on the same database).
      const endpoint = await register(['payment.captured'], target(url));
      await pay({}, {}, production());

      expect(await dispatch(production())).toBeGreaterThanOrEqual(1);
      expect(receiver.received).toHaveLength(0);
      const [delivery] = await deliveries(endpoint.id);
      expect(delivery).toMatchObject({ attempt: 1, status: 'pending', response_status: null, error: expect.stringMatching(/non-public address/) });
      expect(delivery!.attempts).toEqual([expect.objectContaining({ attempt: 1, response_status: null, error: expect.stringMatching(/non-public address/) })]);
    });
  });

  describe('event filters', () => {
    it('sends an endpoint only the types it subscribed to; "*" gets every event', async () => {
      const captured = await register(['payment.captured'], `${url}/captured`);
      const all = await register(['*'], `${url}/all`);
      const payment = await pay();
      const [createdId, capturedId] = await eventIds(payment.id);

      await dispatch();
      const at = (path: string) => receiver.received.filter((request) => request.path === path);
      expect(at('/hooks/captured').map((request) => verify(captured.secret, request))).toEqual([
        expect.objectContaining({ id: capturedId, type: 'payment.captured' }),
      ]);
      expect(
        at('/hooks/all')
          .map((request) => verify(all.secret, request))
          .map(({ id, type }) => ({ id, type }))
          .sort((a, b) => a.id.localeCompare(b.id)),
      ).toEqual([
        { id: createdId, type: 'payment.created' },
        { id: capturedId, type: 'payment.captured' },
      ]);
      expect(receiver.received).toHaveLength(3);
    });

    it('sends payment.declined only to endpoints that match it', async () => {
      const declined = await register(['payment.declined'], `${url}/declined`);
      const captured = await register(['payment.captured', 'refund.succeeded'], `${url}/captured`);
      await register(['*'], `${url}/all`);
      const payment = await pay({}, { number: CARDS.declined });
      expect(payment.status).toBe('declined');

      await dispatch();
      const at = (path: string) => types(receiver.received.filter((request) => request.path === path));
      expect(at('/hooks/declined')).toEqual(['payment.declined']);
      expect(at('/hooks/captured')).toEqual([]);
      expect(at('/hooks/all').sort()).toEqual(['payment.created', 'payment.declined']);
      expect(await deliveryRows(captured.id)).toEqual([]);
      const [sent] = receiver.received.filter((request) => request.path === '/hooks/declined');
      expect(verify(declined.secret, sent!)).toMatchObject({
        data: { object: { id: payment.id, status: 'declined', decline_code: 'card_declined' }, payment_status: 'declined' },
      });
    });

    it('sends refund.succeeded with the refund as data.object', async () => {
      const endpoint = await register(['refund.succeeded']);
      const payment = await pay();
      const refund = (await t().http().post(`/v1/payments/${payment.id}/refunds`).set(merchant.auth).send({ amount: 300, reason: 'broken' }).expect(201)).body;

      await dispatch();
      expect(receiver.received).toHaveLength(1);
      expect(verify(endpoint.secret, receiver.received[0]!)).toEqual({
        id: expect.stringMatching(/^evt_/),
        type: 'refund.succeeded',
        created_at: expect.stringMatching(ISO_MS),
        livemode: true,
        data: { object: refund, payment_status: 'partially_refunded' },
      });
      expect(refund).toMatchObject({ id: expect.stringMatching(/^re_/), payment_id: payment.id, amount: 300, status: 'succeeded' });
    });

    it("never sends one merchant's events to another merchant's endpoint", async () => {
      const other = await createMerchant(t(), 'Other merchant');
      await register(['*'], `${url}/other`, other);
      await pay();
      await dispatch();
      expect(receiver.received).toHaveLength(0);
    });
  });

  describe('retries', () => {
    it('retries a receiver that fails twice: 3 requests, the same webhook-id, attempts 500, 500, 200', async () => {
      const endpoint = await register(['payment.captured']);
      receiver.respond = (_, index) => ({ status: index < 2 ? 500 : 200 });
      await pay();

      await dispatchUntil(async () => (await deliveryRows(endpoint.id))[0]!.status !== 'pending', 'the delivery settles');
      await dispatch();
      expect(receiver.received).toHaveLength(3);
      const ids = receiver.received.map((request) => verify(endpoint.secret, request).id);
      expect(new Set(ids).size).toBe(1);
      expect(receiver.received.map((request) => request.headers['webhook-id'])).toEqual(ids);

      const [delivery] = await deliveries(endpoint.id);
      expect(delivery).toMatchObject({ event_id: ids[0], attempt: 3, status: 'succeeded', response_status: 200, error: null, next_attempt_at: null });
      expect(delivery!.attempts.map(({ attempt, response_status }) => ({ attempt, response_status }))).toEqual([
        { attempt: 1, response_status: 500 },
        { attempt: 2, response_status: 500 },
        { attempt: 3, response_status: 200 },
      ]);
      expect(delivery!.attempts[0]).toMatchObject({ error: null, response_body: 'ok', created_at: expect.stringMatching(ISO_MS) });
    });

    it('cuts a hanging receiver at the timeout and keeps the delivery pending for a retry', async () => {
      const endpoint = await register(['payment.captured']);
      receiver.respond = () => 'hang';
      await pay();

      await dispatch();
      expect(receiver.received).toHaveLength(1);
      const [delivery] = await deliveries(endpoint.id);
      expect(delivery).toMatchObject({ attempt: 1, status: 'pending', response_status: null, error: expect.stringContaining('timeout') });
      expect(delivery!.next_attempt_at).toMatch(ISO_MS);
      expect(delivery!.attempts).toEqual([expect.objectContaining({ attempt: 1, response_status: null, error: expect.stringContaining('timeout') })]);

      // The retry reaches a receiver that answers now.
      receiver.respond = () => ({ status: 204 });
      await dispatchUntil(async () => (await deliveryRows(endpoint.id))[0]!.status === 'succeeded', 'the retry succeeds');
      expect(receiver.received).toHaveLength(2);
    });

    it('records a refused connection as an error and retries', async () => {
      const endpoint = await register(['payment.captured'], 'http://127.0.0.1:1/hooks');
      await pay();
      await dispatch();
      const [delivery] = await deliveries(endpoint.id);
      expect(delivery).toMatchObject({ attempt: 1, status: 'pending', response_status: null, error: expect.stringMatching(/ECONNREFUSED/) });
    });

    it('disables the endpoint on 410 Gone, fails the delivery and sends nothing more', async () => {
      const endpoint = await register(['payment.captured']);
      receiver.respond = () => ({ status: 410 });
      await pay();

      await dispatch();
      expect(receiver.received).toHaveLength(1);
      expect(await deliveries(endpoint.id)).toEqual([expect.objectContaining({ attempt: 1, status: 'failed', response_status: 410, next_attempt_at: null })]);
      expect(await listEndpoints()).toEqual([expect.objectContaining({ id: endpoint.id, status: 'disabled' })]);

      receiver.respond = () => ({ status: 200 });
      await pay();
      await dispatch();
      expect(receiver.received).toHaveLength(1);
      expect(await deliveryRows(endpoint.id)).toHaveLength(1);
    });

    it.each([429, 503])('honours Retry-After: 1 on %i', async (status) => {
      const endpoint = await register(['payment.captured']);
      receiver.respond = (_, index) => (index === 0 ? { status, headers: { 'Retry-After': '1' } } : { status: 200 });
      await pay();

      await dispatch();
      expect(receiver.received).toHaveLength(1);
      // The attempt's record and the next due time are written in one transaction: now() is the same.
      const [row] = (await t().dataSource.query(
        `SELECT d.status,
                extract(epoch FROM d.next_attempt_at - a.created_at) * 1000 AS after_attempt_ms,
                d.next_attempt_at > now() AS in_future
           FROM webhook_deliveries d JOIN webhook_attempts a ON a.delivery_id = d.id
          WHERE d.endpoint_id = $1`,
        [endpoint.id],
      )) as { status: string; after_attempt_ms: string; in_future: boolean }[];
      expect(row!.status).toBe('pending');
      expect(Number(row!.after_attempt_ms)).toBeGreaterThanOrEqual(990);

      await dispatchUntil(async () => (await deliveryRows(endpoint.id))[0]!.status === 'succeeded', 'the retry after Retry-After');
      expect(receiver.received).toHaveLength(2);
    });

    it.each(['99999999999999', 'Fri, 31 Dec 9999 23:59:59 GMT'])('records a 429 with Retry-After: %s, waiting at most 24 hours', async (retryAfter) => {
      const endpoint = await register(['payment.captured']);
      receiver.respond = () => ({ status: 429, headers: { 'Retry-After': retryAfter } });
      await pay();

      await dispatch();
      expect(receiver.received).toHaveLength(1);
      const [row] = (await t().dataSource.query(
        `SELECT d.status, extract(epoch FROM d.next_attempt_at - a.created_at) * 1000 AS after_attempt_ms, a.response_status
           FROM webhook_deliveries d JOIN webhook_attempts a ON a.delivery_id = d.id
          WHERE d.endpoint_id = $1`,
        [endpoint.id],
      )) as { status: string; after_attempt_ms: string; response_status: number }[];
      expect(row).toMatchObject({ status: 'pending', response_status: 429 });
      expect(Number(row!.after_attempt_ms)).toBeLessThanOrEqual(24 * 3_600_000);
      expect(Number(row!.after_attempt_ms)).toBeGreaterThan(23 * 3_600_000);
    });

    it.each([
      [200, 'succeeded'],
      [500, 'pending'],
    ])('records an answer %i whose body holds a NUL byte, once', async (status, outcome) => {
      const endpoint = await register(['payment.captured']);
      receiver.respond = () => ({ status, body: 'nul\u0000here' });
      await pay();

      await dispatch();
      expect(receiver.received).toHaveLength(1);
      const [delivery] = await deliveries(endpoint.id);
      expect(delivery).toMatchObject({ attempt: 1, status: outcome, response_status: status });
      expect(delivery!.attempts).toEqual([expect.objectContaining({ response_status: status, response_body: 'nul\uFFFDhere' })]);
    });

    it('retries a 500 on the scaled schedule, not after a second', async () => {
      const endpoint = await register(['payment.captured']);
      receiver.respond = () => ({ status: 500, headers: { 'Retry-After': '3600' } });
      await pay();
      await dispatch();
      const [row] = (await t().dataSource.query(
        `SELECT extract(epoch FROM d.next_attempt_at - a.created_at) * 1000 AS after_attempt_ms
           FROM webhook_deliveries d JOIN webhook_attempts a ON a.delivery_id = d.id
          WHERE d.endpoint_id = $1`,
        [endpoint.id],
      )) as { after_attempt_ms: string }[];
      // 5 s × 0.001 ± 10 %: Retry-After is honoured only on 429 and 503.
      expect(Number(row!.after_attempt_ms)).toBeLessThan(1000);
    });

    it('fails a delivery after its last attempt; resend makes it pending and the next dispatch delivers it', async () => {
      const endpoint = await register(['payment.captured']);
      receiver.respond = () => ({ status: 500 });
      await pay();
      await t().dataSource.query(`UPDATE webhook_deliveries SET attempts = 9 WHERE endpoint_id = $1`, [endpoint.id]);

      await dispatch();
      const [failed] = await deliveries(endpoint.id);
      expect(failed).toMatchObject({ attempt: 10, status: 'failed', response_status: 500, next_attempt_at: null });
      await dispatch();
      expect(receiver.received).toHaveLength(1);

      receiver.respond = () => ({ status: 200 });
      await t().http().post(`/v1/webhook-endpoints/${endpoint.id}/deliveries/${failed!.id}/resend`).set(merchant.auth).expect(202);
      expect(await deliveryRows(endpoint.id)).toEqual([expect.objectContaining({ status: 'pending' })]);

      await dispatch();
      expect(receiver.received).toHaveLength(2);
      expect(receiver.received[1]!.headers['webhook-id']).toBe(failed!.event_id);
      const [resent] = await deliveries(endpoint.id);
      expect(resent).toMatchObject({ id: failed!.id, status: 'succeeded', response_status: 200, error: null });
      expect(resent!.attempts.map((attempt) => attempt.response_status)).toEqual([500, 200]);
    });

    it('answers 404 to a resend of an unknown delivery', async () => {
      const endpoint = await register(['payment.captured']);
      const other = await register(['payment.captured'], `${url}/other`);
      await pay();
      const [delivery] = await deliveryRows(other.id);
      const resend = (deliveryId: string) => t().http().post(`/v1/webhook-endpoints/${endpoint.id}/deliveries/${deliveryId}/resend`).set(merchant.auth);

      const unknown = await resend('whd_0123456789ABCDEFGHJKMNPQRS').expect(404);
      expect(unknown.body.error).toMatchObject({ type: 'not_found_error', code: 'resource_missing', param: 'delivery_id' });
      await resend('nope').expect(404);
      // Another endpoint's delivery is not this endpoint's.
      await resend(delivery!.id).expect(404);
    });
  });

  describe('durability', () => {
    it('delivers after a restart what was recorded before it', async () => {
      const first = await startTestApp(ENV);
      let endpoint: CreatedEndpoint;
      let payment: { id: string };
      try {
        endpoint = (await first.http().post('/v1/webhook-endpoints').set(merchant.auth).send({ url, events: ['*'] }).expect(201)).body as CreatedEndpoint;
        payment = await pay({}, {}, first);
      } finally {
        await first.close();
      }
      expect(receiver.received).toHaveLength(0);

      const second = await startTestApp(ENV);
      try {
        await dispatch(second);
        const events = await eventIds(payment.id, second);
        expect(receiver.received.map((request) => verify(endpoint.secret, request).id).sort()).toEqual([...events].sort());
        expect((await deliveryRows(endpoint.id)).map((row) => row.status)).toEqual(['succeeded', 'succeeded']);
      } finally {
        await second.close();
      }
    });

    it('delivers each event exactly once with two instances dispatching at the same time', async () => {
      const second = await startTestApp(ENV);
      try {
        const endpoint = await register(['*']);
        const payments = await Promise.all(Array.from({ length: 10 }, () => pay()));
        const expected = (await Promise.all(payments.map((payment) => eventIds(payment.id)))).flat();
        expect(expected).toHaveLength(20);

        await waitFor(async () => {
          await Promise.all([dispatch(t()), dispatch(second)]);
          return (await deliveryRows(endpoint.id)).every((row) => row.status !== 'pending');
        }, 'nothing pending');

        const received = receiver.received.map((request) => verify(endpoint.secret, request).id);
        expect([...received].sort()).toEqual([...expected].sort());
        expect(new Set(received).size).toBe(received.length);
        expect((await deliveryRows(endpoint.id)).map((row) => [row.status, row.attempts])).toEqual(Array(20).fill(['succeeded', 1]));
      } finally {
        await second.close();
      }
    });
  });

  describe('deliveries list', () => {
    it('lists deliveries newest first, with every field', async () => {
      const endpoint = await register(['*']);
      const first = await pay();
      const second = await pay({}, { number: CARDS.declined });
      const events = [...(await eventIds(first.id)), ...(await eventIds(second.id))];
      expect(events).toHaveLength(4);

      const pending = await deliveries(endpoint.id);
      expect(pending.map((delivery) => delivery.event_id)).toEqual([...events].reverse());
      for (const delivery of pending) {
        expect(delivery).toEqual({
          id: expect.stringMatching(/^whd_[0-9A-Z]{26}$/),
          endpoint_id: endpoint.id,
          event_id: expect.stringMatching(/^evt_/),
          event_type: expect.stringMatching(/^payment\./),
          attempt: 0,
          status: 'pending',
          response_status: null,
          duration_ms: null,
          error: null,
          next_attempt_at: expect.stringMatching(ISO_MS),
          attempts: [],
          livemode: true,
          created_at: expect.stringMatching(ISO_MS),
        });
      }

      receiver.respond = (request) => ({ status: payload(request).type === 'payment.declined' ? 400 : 200 });
      await dispatch();
      const listed = await deliveries(endpoint.id);
      expect(listed.map(({ event_id, event_type }) => ({ event_id, event_type }))).toEqual([
        { event_id: events[3], event_type: 'payment.declined' },
        { event_id: events[2], event_type: 'payment.created' },
        { event_id: events[1], event_type: 'payment.captured' },
        { event_id: events[0], event_type: 'payment.created' },
      ]);
      expect(listed[0]).toMatchObject({ attempt: 1, status: 'pending', response_status: 400, error: null });
      for (const delivery of listed.slice(1)) {
        expect(delivery).toMatchObject({ attempt: 1, status: 'succeeded', response_status: 200, error: null, next_attempt_at: null });
      }
      for (const delivery of listed) {
        expect(delivery.duration_ms).toEqual(expect.any(Number));
        expect(delivery.created_at).toMatch(ISO_MS);
        expect(delivery.attempts).toEqual([
          {
            attempt: 1,
            response_status: delivery.response_status,
            duration_ms: delivery.duration_ms,
            error: null,
            response_body: 'ok',
            created_at: expect.stringMatching(ISO_MS),
          },
        ]);
      }
    });
  });
});
