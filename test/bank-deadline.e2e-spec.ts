import { Reconciler } from '../src/payments/reconciler.service.js';
import { admin, createMerchant, paymentBody, type TestMerchant } from './support/fixtures.js';
import { MisbehavingAcquirer } from './support/misbehaving-acquirer.js';
import { useTestApp } from './support/test-app.js';

type Body = Record<string, unknown> & { id: string; status: string };

/**
 * Every call to a bank has a deadline, applied once, by the router: a bank that does not answer
 * in time gives an answer to the merchant all the same (the operation left in progress), and
 * the reconciler finishes it later by asking that bank again.
 */
describe('Bank deadlines (e2e)', () => {
  const t = useTestApp({ BANK_TIMEOUT_MS: '300' });
  let merchant: TestMerchant;

  beforeEach(async () => {
    merchant = await createMerchant(t());
  });
  afterEach(() => {
    t().bank.delayMs = 0;
  });

  const post = async (path: string, body: object, expected: number): Promise<Body> =>
    (await t().http().post(path).set(merchant.auth).send(body).expect(expected)).body as Body;
  const get = async (path: string): Promise<Body> => (await t().http().get(path).set(merchant.auth).expect(200)).body as Body;
  /** Lets the reconciler act now rather than at the retry time, and run once. */
  const reconcile = async () => {
    await t().dataSource.query(`UPDATE payments SET next_check_at = now() WHERE next_check_at IS NOT NULL`);
    await t().dataSource.query(`UPDATE refunds SET next_check_at = now() WHERE next_check_at IS NOT NULL`);
    await t().app.get(Reconciler).runOnce();
  };

  describe('the simulator, slower than BANK_TIMEOUT_MS', () => {
    it('leaves an authorisation pending, then settles it from the simulator', async () => {
      t().bank.delayMs = 1000;
      const payment = await post('/v1/payments', paymentBody(), 201);
      expect(payment.status).toBe('pending');
      t().bank.delayMs = 0;
      await reconcile();
      expect((await get(`/v1/payments/${payment.id}`)).status).toBe('captured');
      expect(t().bank.calls.filter((call) => call.paymentId === payment.id)).toHaveLength(1);
    });

    it.each([
      ['capture', { amount: 500 }, 'captured'],
      ['void', {}, 'voided'],
    ])('answers a %s it could not finish with the payment still authorised, then finishes it', async (action, body, settled) => {
      const payment = await post('/v1/payments', paymentBody({ capture: false }), 201);
      expect(payment.status).toBe('authorized');
      t().bank.delayMs = 1000;
      const answered = await post(`/v1/payments/${payment.id}/${action}`, body, 200);
      expect(answered.status).toBe('authorized');
      t().bank.delayMs = 0;
      await reconcile();
      expect((await get(`/v1/payments/${payment.id}`)).status).toBe(settled);
    });

    it('leaves a refund pending, then settles it', async () => {
      const payment = await post('/v1/payments', paymentBody(), 201);
      t().bank.delayMs = 1000;
      const refund = await post(`/v1/payments/${payment.id}/refunds`, { amount: 300 }, 201);
      expect(refund.status).toBe('pending');
      t().bank.delayMs = 0;
      await reconcile();
      const refunds = (await t().http().get(`/v1/payments/${payment.id}/refunds`).set(merchant.auth).expect(200)).body.data as Body[];
      expect(refunds.map((r) => r.status)).toEqual(['succeeded']);
    });

    it('turns a broken connection into an unknown outcome, not a 500', async () => {
      t().bank.unreachable = true;
      try {
        const payment = await post('/v1/payments', paymentBody(), 201);
        expect(payment.status).toBe('pending');
      } finally {
        t().bank.unreachable = false;
      }
    });
  });

  describe('an http acquirer, slower than its timeout_ms', () => {
    let acquirer: MisbehavingAcquirer;
    let second: MisbehavingAcquirer;

    beforeEach(async () => {
      acquirer = new MisbehavingAcquirer();
      second = new MisbehavingAcquirer();
      const add = async (name: string, url: string) =>
        (await t().http().post('/v1/admin/acquirers').set(admin).send({ name, kind: 'http', base_url: url, api_key: 'k', timeout_ms: 300 }).expect(201)).body
          .id as string;
      const suffix = merchant.id.slice(-8);
      const ids = [await add(`slow-${suffix}`, await acquirer.start()), await add(`next-${suffix}`, await second.start())];
      await t().http().put(`/v1/admin/merchants/${merchant.id}/routing`).set(admin).send({ rules: [], default: ids }).expect(200);
    });
    afterEach(async () => {
      await acquirer.stop();
      await second.stop();
    });

    it('leaves the authorisation pending, never tries the next acquirer, and records the timeout', async () => {
      acquirer.behave = (call) => (call.path === '/authorizations' ? { after: 1500, then: 'protocol' } : 'protocol');
      const payment = await post('/v1/payments', paymentBody(), 201);
      expect(payment.status).toBe('pending');
      expect(second.received).toEqual([]);
      const attempts = (await t().http().get(`/v1/payments/${payment.id}/attempts`).set(merchant.auth).expect(200)).body.data as Body[];
      expect(attempts).toEqual([expect.objectContaining({ outcome: 'unknown', error: expect.stringMatching(/timeout|time/i) })]);
    });

    it('answers a refund the acquirer is slow to make with the refund pending', async () => {
      const payment = await post('/v1/payments', paymentBody(), 201);
      expect(payment.status).toBe('captured');
      acquirer.behave = (call) => (call.path.endsWith('/refunds') ? 'hang' : 'protocol');
      const refund = await post(`/v1/payments/${payment.id}/refunds`, { amount: 300 }, 201);
      expect(refund.status).toBe('pending');
    });
  });
});
