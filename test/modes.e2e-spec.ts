import { randomBytes } from 'node:crypto';
import { SIMULATOR_ACQUIRER_ID } from '../src/acquirers/acquirer.entity.js';
import { hashApiKey } from '../src/auth/api-key-hash.js';
import { newId } from '../src/common/ids.js';
import { Reconciler } from '../src/payments/reconciler.service.js';
import { WebhookDispatcher } from '../src/webhooks/webhook-dispatcher.js';
import { ACQUIRER_KEY, startAcquirer, type AcquirerProcess } from './support/acquirer-servers.js';
import { admin, bearer, CARDS, createMerchant, issueKey, paymentBody, type TestMerchant } from './support/fixtures.js';
import { kill } from './support/processes.js';
import { WebhookReceiver, type Received } from './support/receiver.js';
import { useTestApp } from './support/test-app.js';
import { waitFor } from './support/wait-for.js';

type Body = Record<string, unknown>;
type Payment = Body & { id: string; status: string; livemode: boolean; acquirer_id: string | null };

/**
 * Test and live modes: one merchant, routed to an `http` acquirer (the acquirer server, a
 * separate process on loopback), seen through a test key and a live key. A test key's payments
 * only ever reach the simulator; each key sees its own mode's objects only.
 */
describe('Test and live modes (e2e)', () => {
  const t = useTestApp({ WEBHOOK_RETRY_SCALE: '0.001', WEBHOOK_TIMEOUT_MS: '500' });
  let acquirer: AcquirerProcess;
  let acquirerId: string;
  let merchant: TestMerchant;
  let live: TestMerchant;
  let test: TestMerchant;

  beforeAll(async () => {
    acquirer = await startAcquirer();
    const created = await t()
      .http()
      .post('/v1/admin/acquirers')
      .set(admin)
      .send({ name: `modes-${process.pid}-${Date.now()}`, kind: 'http', base_url: acquirer.base, api_key: ACQUIRER_KEY, timeout_ms: 2000 })
      .expect(201);
    acquirerId = created.body.id as string;
  });
  afterAll(async () => {
    await kill(acquirer);
  });
  beforeEach(async () => {
    merchant = await createMerchant(t());
    await t().http().put(`/v1/admin/merchants/${merchant.id}/routing`).set(admin).send({ rules: [], default: [acquirerId] }).expect(200);
    live = await issueKey(t(), merchant, 'live');
    test = await issueKey(t(), merchant, 'test');
  });

  const pay = async (who: TestMerchant, overrides: Body = {}, card: Body = {}): Promise<Payment> =>
    (await t().http().post('/v1/payments').set(who.auth).send(paymentBody(overrides, card)).expect(201)).body as Payment;
  const authorizationsAtAcquirer = async () => (await acquirer.records()).authorizations.length;
  const apiKeyRows = async (merchantId: string) =>
    ((await t().dataSource.query(`SELECT count(*)::int AS n FROM api_keys WHERE merchant_id = $1`, [merchantId])) as { n: number }[])[0]!.n;
  const listIds = async (query: string, who: { Authorization: string }) =>
    ((await t().http().get(`/v1/payments${query}`).set(who).expect(200)).body.data as Payment[]).map((payment) => payment.id);

  describe('keys', () => {
    const issue = (body?: unknown) => {
      const request = t().http().post(`/v1/admin/merchants/${merchant.id}/api-keys`).set(admin);
      return body === undefined ? request : request.set('Content-Type', 'application/json').send(JSON.stringify(body));
    };

    it('issues sk_test_… for mode test and sk_live_… otherwise, with livemode and a prefix that shows the mode', async () => {
      const testKey = (await issue({ mode: 'test' }).expect(201)).body as Body & { key: string };
      expect(testKey).toEqual({
        id: expect.stringMatching(/^key_/),
        object: 'api_key',
        merchant_id: merchant.id,
        revoked_at: null,
        key: expect.stringMatching(/^sk_test_[A-Za-z0-9_-]{32}$/),
        prefix: testKey.key.slice(0, 16),
        livemode: false,
        created_at: expect.any(String),
      });
      expect(testKey.prefix).toMatch(/^sk_test_/);
      for (const body of [undefined, {}, { mode: 'live' }]) {
        const liveKey = (await issue(body).expect(201)).body as Body & { key: string };
        expect(liveKey).toMatchObject({ key: expect.stringMatching(/^sk_live_[A-Za-z0-9_-]{32}$/), prefix: liveKey.key.slice(0, 16), livemode: true });
      }
    });

    it.each([[{ mode: 'nope' }], [{ mode: 'TEST' }], [{ mode: null }], [{ mode: 1 }], [{ mode: ['test'] }]])(
      'refuses %j with a 400 naming mode, and issues nothing',
      async (body) => {
        const before = await apiKeyRows(merchant.id);
        const response = await issue(body).expect(400);
        expect(response.body.error).toMatchObject({ type: 'invalid_request_error', code: 'parameter_invalid', param: 'mode' });
        expect(await apiKeyRows(merchant.id)).toBe(before);
      },
    );

    it('refuses a field it does not take, and a body that is not an object', async () => {
      const before = await apiKeyRows(merchant.id);
      expect((await issue({ livemode: false }).expect(400)).body.error).toMatchObject({ code: 'parameter_unknown', param: 'livemode' });
      expect((await issue(['test']).expect(400)).body.error).toMatchObject({ code: 'parameter_invalid' });
      expect(await apiKeyRows(merchant.id)).toBe(before);
    });

    it('a key issued before modes (plain sk_…) is a live key and keeps working', async () => {
      const key = `sk_${randomBytes(24).toString('base64url')}`;
      // As the previous release wrote it: no livemode column named, so its default.
      await t().dataSource.query(
        `INSERT INTO api_keys (id, merchant_id, role, prefix, key_hash, created_at) VALUES ($1, $2, 'merchant', $3, $4, now())`,
        [newId('apiKey'), merchant.id, key.slice(0, 11), hashApiKey(key)],
      );
      const before = await authorizationsAtAcquirer();
      const payment = (await t().http().post('/v1/payments').set(bearer(key)).send(paymentBody()).expect(201)).body as Payment;
      expect(payment).toMatchObject({ status: 'captured', livemode: true, acquirer_id: acquirerId });
      expect(await authorizationsAtAcquirer()).toBe(before + 1);
      expect(await listIds('', bearer(key))).toEqual([payment.id]);
    });
  });

  describe('routing', () => {
    it("sends a test key's payment to the simulator whatever the routing; the live key's goes to the http acquirer", async () => {
      const before = await authorizationsAtAcquirer();
      const testPayment = await pay(test);
      expect(testPayment).toMatchObject({ status: 'captured', livemode: false, acquirer_id: SIMULATOR_ACQUIRER_ID });
      expect(await authorizationsAtAcquirer()).toBe(before);
      expect(t().bank.calls.find((call) => call.paymentId === testPayment.id)).toMatchObject({ livemode: false });

      const livePayment = await pay(live);
      expect(livePayment).toMatchObject({ status: 'captured', livemode: true, acquirer_id: acquirerId });
      expect(await authorizationsAtAcquirer()).toBe(before + 1);
      expect(t().bank.calls.some((call) => call.paymentId === livePayment.id)).toBe(false);
    });

    it("keeps a test payment's capture, void, refund and reconciliation on the simulator", async () => {
      const recordsBefore = await acquirer.records();
      const toCapture = await pay(test, { capture: false });
      const toVoid = await pay(test, { capture: false });
      const captured = (await t().http().post(`/v1/payments/${toCapture.id}/capture`).set(test.auth).send({ amount: 800 }).expect(200)).body as Payment;
      expect(captured).toMatchObject({ status: 'captured', amount_captured: 800, livemode: false, acquirer_id: SIMULATOR_ACQUIRER_ID });
      const refund = (await t().http().post(`/v1/payments/${toCapture.id}/refunds`).set(test.auth).send({ amount: 300 }).expect(201)).body as Body;
      expect(refund).toMatchObject({ status: 'succeeded', amount: 300, livemode: false });
      await t().http().post(`/v1/payments/${toVoid.id}/void`).set(test.auth).expect(200);

      // Outcome unknown at first (the simulator answers after BANK_TIMEOUT_MS): settled by asking again.
      const slow = await pay(test, {}, { number: CARDS.timeout });
      expect(slow).toMatchObject({ status: 'pending', livemode: false });
      const settled = await waitFor(async () => {
        await t().dataSource.query(`UPDATE payments SET next_check_at = now() WHERE id = $1 AND status = 'pending'`, [slow.id]);
        await t().app.get(Reconciler).runOnce();
        const payment = (await t().http().get(`/v1/payments/${slow.id}`).set(test.auth).expect(200)).body as Payment;
        return payment.status !== 'pending' && payment;
      }, 'the test payment settled');
      expect(settled).toMatchObject({ status: 'captured', livemode: false, acquirer_id: SIMULATOR_ACQUIRER_ID });

      const atSimulator = (id: string) =>
        t()
          .bank.operations.filter((operation) => (operation.kind === 'getStatus' ? 'paymentId' in operation.operation && operation.operation.paymentId === id : operation.paymentId === id))
          .map((operation) => operation.kind);
      expect(atSimulator(toCapture.id)).toEqual(['capture', 'refund']);
      expect(atSimulator(toVoid.id)).toEqual(['void']);
      expect(atSimulator(slow.id)).toContain('getStatus');
      expect(await acquirer.records()).toEqual(recordsBefore);
    });
  });

  describe('what each key sees', () => {
    let testPayment: Payment;
    let livePayment: Payment;
    beforeEach(async () => {
      testPayment = await pay(test, { capture: false });
      livePayment = await pay(live, { capture: false });
    });

    const routes = (id: string): [string, string, Body?][] => [
      ['get', `/v1/payments/${id}`],
      ['post', `/v1/payments/${id}/capture`, {}],
      ['post', `/v1/payments/${id}/void`],
      ['post', `/v1/payments/${id}/refunds`, {}],
      ['get', `/v1/payments/${id}/refunds`],
      ['get', `/v1/payments/${id}/events`],
      ['get', `/v1/payments/${id}/attempts`],
    ];

    it("answers 404 to a test key on every route of a live payment, and the other way round, changing nothing", async () => {
      const recordsBefore = await acquirer.records();
      for (const [payment, who] of [
        [livePayment, test],
        [testPayment, live],
      ] as const) {
        for (const [method, path, body] of routes(payment.id)) {
          const request = method === 'get' ? t().http().get(path) : t().http().post(path).send(body);
          const response = await request.set(who.auth);
          expect([method, path, response.status, response.body.error?.code]).toEqual([method, path, 404, 'resource_missing']);
        }
      }
      const owner = (payment: Payment) => (payment.livemode ? live : test);
      for (const payment of [testPayment, livePayment]) {
        expect((await t().http().get(`/v1/payments/${payment.id}`).set(owner(payment).auth).expect(200)).body).toMatchObject({ status: 'authorized' });
      }
      // The refused captures, voids and refunds never reached a bank.
      expect(t().bank.operations.filter((operation) => 'paymentId' in operation && operation.paymentId === testPayment.id)).toEqual([]);
      expect(await acquirer.records()).toEqual(recordsBefore);
    });

    it("lists each key's own mode only", async () => {
      expect(await listIds('', test.auth)).toEqual([testPayment.id]);
      expect(await listIds('', live.auth)).toEqual([livePayment.id]);
      expect(await listIds(`?reference=${testPayment.reference as string}`, test.auth)).toEqual([testPayment.id]);
      expect(await listIds('?status=authorized', live.auth)).toEqual([livePayment.id]);
    });

    it('lets the admin list one mode, or both by default, and see either payment', async () => {
      expect(await listIds(`?merchant_id=${merchant.id}&livemode=false`, admin)).toEqual([testPayment.id]);
      expect(await listIds(`?merchant_id=${merchant.id}&livemode=true`, admin)).toEqual([livePayment.id]);
      expect(await listIds(`?merchant_id=${merchant.id}`, admin)).toEqual([livePayment.id, testPayment.id]);
      // Both modes, one page at a time: the merge of the two walks pages like one.
      const first = (await t().http().get(`/v1/payments?merchant_id=${merchant.id}&limit=1`).set(admin).expect(200)).body as Body;
      expect(first).toMatchObject({ data: [{ id: livePayment.id }], has_more: true });
      const second = await listIds(`?merchant_id=${merchant.id}&limit=1&cursor=${first.next_cursor as string}`, admin);
      expect(second).toEqual([testPayment.id]);
      expect((await listIds('?livemode=false&limit=100', admin)).includes(livePayment.id)).toBe(false);
      await t().http().get(`/v1/payments/${testPayment.id}`).set(admin).expect(200);
    });

    it.each([['x'], [''], ['TRUE'], ['1']])('refuses livemode=%j from the admin', async (value) => {
      const response = await t().http().get(`/v1/payments?livemode=${value}`).set(admin).expect(400);
      expect(response.body.error).toMatchObject({ code: 'parameter_invalid', param: 'livemode' });
    });

    it('refuses livemode from a merchant key, as merchant_id, even naming its own mode', async () => {
      for (const [who, value] of [
        [test, 'false'],
        [live, 'true'],
        [test, 'x'],
      ] as const) {
        const response = await t().http().get(`/v1/payments?livemode=${value}`).set(who.auth).expect(400);
        expect(response.body.error).toMatchObject({ code: 'parameter_unknown', param: 'livemode' });
      }
    });

    it('makes an admin-created payment live', async () => {
      const payment = (await t().http().post('/v1/payments').set(admin).send(paymentBody({ merchant_id: merchant.id })).expect(201)).body as Payment;
      expect(payment).toMatchObject({ livemode: true, acquirer_id: acquirerId });
      await t().http().get(`/v1/payments/${payment.id}`).set(test.auth).expect(404);
      await t().http().get(`/v1/payments/${payment.id}`).set(live.auth).expect(200);
    });
  });

  it("gives refunds, events and attempts their payment's mode", async () => {
    for (const [who, livemode] of [
      [test, false],
      [live, true],
    ] as const) {
      const payment = await pay(who);
      expect(payment.livemode).toBe(livemode);
      const refund = (await t().http().post(`/v1/payments/${payment.id}/refunds`).set(who.auth).send({ amount: 100 }).expect(201)).body as Body;
      expect(refund.livemode).toBe(livemode);
      const refunds = (await t().http().get(`/v1/payments/${payment.id}/refunds`).set(who.auth).expect(200)).body.data as Body[];
      const events = (await t().http().get(`/v1/payments/${payment.id}/events`).set(who.auth).expect(200)).body.data as Body[];
      const attempts = (await t().http().get(`/v1/payments/${payment.id}/attempts`).set(who.auth).expect(200)).body.data as Body[];
      expect(events.map((event) => event.type)).toEqual(['payment.created', 'payment.captured', 'refund.succeeded']);
      for (const object of [...refunds, ...events, ...attempts]) expect(object.livemode).toBe(livemode);
      // The objects inside the events too.
      for (const event of events) expect((event.data as { object: Body }).object.livemode).toBe(livemode);
      expect(attempts.map((attempt) => attempt.acquirer_id)).toEqual([livemode ? acquirerId : SIMULATOR_ACQUIRER_ID]);
    }
  });

  it('never replays a test request for a live one with the same Idempotency-Key, nor the other way round', async () => {
    const key = `modes-${merchant.id}`;
    const send = (who: TestMerchant) => t().http().post('/v1/payments').set(who.auth).set('Idempotency-Key', key).send(paymentBody()).expect(201);
    const testFirst = await send(test);
    const liveFirst = await send(live);
    expect(testFirst.headers['idempotent-replayed']).toBeUndefined();
    expect(liveFirst.headers['idempotent-replayed']).toBeUndefined();
    expect(liveFirst.body.id).not.toBe(testFirst.body.id);
    expect([testFirst.body.livemode, liveFirst.body.livemode]).toEqual([false, true]);

    // Each mode replays its own.
    const testAgain = await send(test);
    const liveAgain = await send(live);
    expect([testAgain.headers['idempotent-replayed'], testAgain.body.id]).toEqual(['true', testFirst.body.id]);
    expect([liveAgain.headers['idempotent-replayed'], liveAgain.body.id]).toEqual(['true', liveFirst.body.id]);
    const rows = (await t().dataSource.query(`SELECT livemode FROM payments WHERE merchant_id = $1 ORDER BY livemode`, [merchant.id])) as Body[];
    expect(rows).toEqual([{ livemode: false }, { livemode: true }]);
  });

  describe('webhook endpoints', () => {
    let receiver: WebhookReceiver;
    let url: string;
    beforeEach(async () => {
      receiver = new WebhookReceiver();
      url = await receiver.start();
    });
    afterEach(async () => {
      await receiver.stop();
      // Tests share the database: what one test left pending must not be retried into the next.
      await t().dataSource.query(`UPDATE webhook_deliveries SET status = 'failed', next_attempt_at = NULL WHERE status = 'pending'`);
    });

    const register = async (who: TestMerchant, path: string) =>
      (await t().http().post('/v1/webhook-endpoints').set(who.auth).send({ url: `${url}/${path}`, events: ['*'] }).expect(201)).body as Body & { id: string };
    const payloads = (path: string) =>
      receiver.received.filter((request: Received) => request.path === `/hooks/${path}`).map((request) => JSON.parse(request.body) as Body & { data: { object: Body } });

    it('delivers test events to test endpoints only and live events to live endpoints only', async () => {
      const testEndpoint = await register(test, 'test');
      const liveEndpoint = await register(live, 'live');
      expect([testEndpoint.livemode, liveEndpoint.livemode]).toEqual([false, true]);
      const testPayment = await pay(test);
      const livePayment = await pay(live);
      await waitFor(async () => {
        await t().app.get(WebhookDispatcher).runOnce();
        return receiver.received.length >= 4;
      }, 'both payments delivered');

      // Sent concurrently: in no particular order.
      const byType = (a: Body, b: Body) => String(a.type).localeCompare(String(b.type));
      const toTest = payloads('test').sort(byType);
      const toLive = payloads('live').sort(byType);
      expect(toTest.map((payload) => [payload.type, payload.data.object.id, payload.livemode])).toEqual([
        ['payment.captured', testPayment.id, false],
        ['payment.created', testPayment.id, false],
      ]);
      expect(toLive.map((payload) => [payload.type, payload.data.object.id, payload.livemode])).toEqual([
        ['payment.captured', livePayment.id, true],
        ['payment.created', livePayment.id, true],
      ]);
      expect(Object.keys(toTest[0]!)).toEqual(['id', 'type', 'created_at', 'livemode', 'data']);

      const deliveries = (await t().http().get(`/v1/webhook-endpoints/${testEndpoint.id}/deliveries`).set(test.auth).expect(200)).body.data as Body[];
      expect(deliveries.map((delivery) => [delivery.status, delivery.livemode])).toEqual([
        ['succeeded', false],
        ['succeeded', false],
      ]);
    });

    it("hides another mode's endpoints from a key, and lets the admin list one mode", async () => {
      const testEndpoint = await register(test, 'test');
      const liveEndpoint = await register(live, 'live');
      await pay(live);
      const [delivery] = (await t().dataSource.query(`SELECT id FROM webhook_deliveries WHERE endpoint_id = $1 LIMIT 1`, [liveEndpoint.id])) as { id: string }[];

      const listed = async (who: { Authorization: string }, query = '') =>
        ((await t().http().get(`/v1/webhook-endpoints${query}`).set(who).expect(200)).body.data as Body[]).map((endpoint) => endpoint.id);
      expect(await listed(test.auth)).toEqual([testEndpoint.id]);
      expect(await listed(live.auth)).toEqual([liveEndpoint.id]);

      for (const [method, path] of [
        ['get', `/v1/webhook-endpoints/${liveEndpoint.id}/deliveries`],
        ['post', `/v1/webhook-endpoints/${liveEndpoint.id}/deliveries/${delivery!.id}/resend`],
        ['delete', `/v1/webhook-endpoints/${liveEndpoint.id}`],
      ] as const) {
        const response = await t().http()[method](path).set(test.auth);
        expect([method, path, response.status]).toEqual([method, path, 404]);
      }
      expect(await listed(live.auth)).toEqual([liveEndpoint.id]);

      const adminTest = await listed(admin, '?livemode=false');
      expect(adminTest).toContain(testEndpoint.id);
      expect(adminTest).not.toContain(liveEndpoint.id);
      expect(await listed(admin, '?livemode=true')).toContain(liveEndpoint.id);
      expect((await t().http().get('/v1/webhook-endpoints?livemode=maybe').set(admin).expect(400)).body.error).toMatchObject({
        code: 'parameter_invalid',
        param: 'livemode',
      });
      expect((await t().http().get('/v1/webhook-endpoints?livemode=false').set(test.auth).expect(400)).body.error).toMatchObject({
        code: 'parameter_unknown',
        param: 'livemode',
      });
    });
  });
});
