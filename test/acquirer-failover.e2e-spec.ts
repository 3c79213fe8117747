import { jest } from '@jest/globals';
import { BankGateway } from '../src/bank/bank-gateway.js';
import { Reconciler } from '../src/payments/reconciler.service.js';
import { admin, CARDS, createMerchant, paymentBody, type TestMerchant } from './support/fixtures.js';
import { MisbehavingAcquirer, refusingAcquirerUrl, type AcquirerCall, type Behaviour } from './support/misbehaving-acquirer.js';
import { useTestApp } from './support/test-app.js';
import { waitFor } from './support/wait-for.js';

type Body = Record<string, unknown>;

const SOFT_DECLINE_CARD = '4000000000000101';

/** An approval whatever the card: the second acquirer of a soft-decline test. */
const approveEverything = (call: AcquirerCall): Behaviour =>
  call.method === 'POST' && call.path === '/authorizations'
    ? {
        status: 201,
        body: { id: `auth_${call.headers['idempotency-key']}`, reference: JSON.parse(call.body).reference, status: 'approved', decline_code: null, captured: true },
      }
    : 'protocol';

/**
 * Two acquirers over loopback HTTP, routed in order, misbehaving on purpose: the gateway fails
 * over only when the first certainly did not process the payment, and never charges twice.
 */
describe('Acquirers: routing and failover (e2e)', () => {
  const t = useTestApp({ BANK_TIMEOUT_MS: '1000', ACQUIRER_FAILURE_THRESHOLD: '5', ACQUIRER_COOLDOWN: '1s' });
  let first: MisbehavingAcquirer;
  let second: MisbehavingAcquirer;
  let merchant: TestMerchant;
  let acquirerIds: { first: string; second: string };

  const createAcquirer = async (name: string, baseUrl: string, timeoutMs = 500): Promise<string> =>
    (
      await t()
        .http()
        .post('/v1/admin/acquirers')
        .set(admin)
        .send({ name, kind: 'http', base_url: baseUrl, api_key: `key-${name}`, timeout_ms: timeoutMs })
        .expect(201)
    ).body.id as string;

  const route = (merchantId: string, order: string[]) =>
    t().http().put(`/v1/admin/merchants/${merchantId}/routing`).set(admin).send({ rules: [], default: order }).expect(200);

  const pay = async (overrides: Body = {}, card: Body = {}) =>
    (await t().http().post('/v1/payments').set(merchant.auth).send(paymentBody(overrides, card)).expect(201)).body as Body & { id: string };

  const attempts = async (id: string) =>
    (await t().http().get(`/v1/payments/${id}/attempts`).set(merchant.auth).expect(200)).body.data as Body[];

  const authorizationsAt = (acquirer: MisbehavingAcquirer) => acquirer.received.filter((call) => call.method === 'POST' && call.path === '/authorizations');

  beforeEach(async () => {
    first = new MisbehavingAcquirer();
    second = new MisbehavingAcquirer();
    const [firstUrl, secondUrl] = [await first.start(), await second.start()];
    merchant = await createMerchant(t());
    const suffix = merchant.id.slice(-8);
    acquirerIds = { first: await createAcquirer(`first-${suffix}`, firstUrl), second: await createAcquirer(`second-${suffix}`, secondUrl) };
    await route(merchant.id, [acquirerIds.first, acquirerIds.second]);
  });
  afterEach(async () => {
    await Promise.all([first.stop(), second.stop()]);
  });

  it('fails over when the first acquirer refuses connections: captured by the second, two attempts', async () => {
    const refusing = await createAcquirer(`refusing-${merchant.id.slice(-8)}`, await refusingAcquirerUrl());
    await route(merchant.id, [refusing, acquirerIds.second]);
    const payment = await pay();
    expect(payment).toMatchObject({ status: 'captured', acquirer_id: acquirerIds.second });
    expect((await attempts(payment.id)).map((attempt) => [attempt.acquirer_id, attempt.outcome])).toEqual([
      [refusing, 'not_processed'],
      [acquirerIds.second, 'approved'],
    ]);
    expect(authorizationsAt(second)).toHaveLength(1);
  });

  it('fails over when the first answers 503', async () => {
    first.behave = () => ({ status: 503, body: { error: 'maintenance' } });
    const payment = await pay();
    expect(payment).toMatchObject({ status: 'captured', acquirer_id: acquirerIds.second });
    const [tried, approved] = await attempts(payment.id);
    expect(tried).toMatchObject({ acquirer_id: acquirerIds.first, outcome: 'not_processed', http_status: 503 });
    expect(approved).toMatchObject({ acquirer_id: acquirerIds.second, outcome: 'approved' });
  });

  it('tries the second after a soft decline, but never after a hard one', async () => {
    second.behave = approveEverything;
    const soft = await pay({}, { number: SOFT_DECLINE_CARD });
    expect(soft).toMatchObject({ status: 'captured', acquirer_id: acquirerIds.second });
    expect((await attempts(soft.id)).map((attempt) => [attempt.outcome, attempt.decline_code])).toEqual([
      ['declined', 'issuer_unavailable'],
      ['approved', null],
    ]);

    const hard = await pay({}, { number: CARDS.declined });
    expect(hard).toMatchObject({ status: 'declined', decline_code: 'card_declined', acquirer_id: null });
    expect((await attempts(hard.id)).map((attempt) => attempt.outcome)).toEqual(['declined']);
    expect(authorizationsAt(second)).toHaveLength(1);
  });

  it('leaves a payment pending when the first may have charged (reset after reading), never sends it to the second, and settles it by lookup', async () => {
    // The first records the authorisation, but its answer comes after the gateway stopped waiting.
    first.behave = (call) => (call.method === 'POST' && call.path === '/authorizations' ? { after: 1500, then: 'protocol' } : 'protocol');
    const payment = await pay();
    expect(payment).toMatchObject({ status: 'pending', acquirer_id: null });
    expect(authorizationsAt(second)).toHaveLength(0);
    expect((await attempts(payment.id)).map((attempt) => attempt.outcome)).toEqual(['unknown']);

    await waitFor(() => first.authorizations.size === 1, 'the first acquirer recorded the authorisation');
    const settled = await settle(payment.id);
    expect(settled).toMatchObject({ status: 'captured', acquirer_id: acquirerIds.first });
    expect(authorizationsAt(second)).toHaveLength(0);
    expect((await attempts(payment.id)).map((attempt) => attempt.outcome)).toEqual(['approved']);
  });

  it('has the try recorded, and committed with the pending payment, before the card reaches the acquirer', async () => {
    // What the reconciler finds, should the process die while the acquirer answers. The first
    // try is written by the pending payment's own statement: the same transaction as its
    // payment.created event, not a commit of its own.
    const seen: Body[][] = [];
    first.behave = (call) => {
      if (call.method !== 'POST' || call.path !== '/authorizations') return 'protocol';
      const reference = JSON.parse(call.body).reference as string;
      const rows = t().dataSource.query(
        `SELECT t.id, t.outcome, t.acquirer_id, p.status, t.xmin = e.xmin AS with_payment
           FROM payment_attempts t JOIN payments p ON p.id = t.payment_id
           JOIN payment_events e ON e.payment_id = p.id AND e.type = 'payment.created'
          WHERE t.id = $1`,
        [reference],
      );
      void rows.then((found: Body[]) => seen.push(found));
      return { after: 300, then: 'protocol' };
    };
    const [one, two] = await Promise.all([pay(), pay()]);
    expect([one.status, two.status]).toEqual(['captured', 'captured']);
    expect(seen).toHaveLength(2);
    for (const rows of seen) {
      expect(rows).toEqual([{ id: expect.any(String), outcome: null, acquirer_id: acquirerIds.first, status: 'pending', with_payment: true }]);
    }
    for (const payment of [one, two]) expect((await attempts(payment.id)).map((attempt) => attempt.outcome)).toEqual(['approved']);
  });

  it('records a planned first try as skipped, and sends nothing there, when the route changed before the card was sent', async () => {
    // The route changes between the try planned (and written with the pending payment) and the card sent.
    const router = t().app.get<BankGateway>(BankGateway);
    const plan = router.planTries!.bind(router);
    const planTries = jest.spyOn(router, 'planTries').mockImplementationOnce(async (request) => {
      const planned = await plan(request);
      await route(merchant.id, [acquirerIds.second]);
      return planned;
    });
    second.behave = approveEverything;
    try {
      const payment = await pay();
      expect(payment).toMatchObject({ status: 'captured', acquirer_id: acquirerIds.second });
      expect((await attempts(payment.id)).map((attempt) => [attempt.acquirer_id, attempt.outcome, attempt.error])).toEqual([
        [acquirerIds.first, 'skipped', 'not sent: the route changed'],
        [acquirerIds.second, 'approved', null],
      ]);
      expect(authorizationsAt(first)).toHaveLength(0);
      expect(authorizationsAt(second)).toHaveLength(1);
    } finally {
      planTries.mockRestore();
    }
  });

  it('resolves a payment whose process died between its pending row, with the planned try, and the card: reversed at that acquirer, failed, nothing charged', async () => {
    // As the database is after such a death: the pending payment and its started try committed, no card sent.
    const router = t().app.get<BankGateway>(BankGateway);
    const died = jest.spyOn(router, 'authorize').mockResolvedValueOnce({ kind: 'unknown', reason: 'the process died (simulated)' });
    let payment: Body & { id: string };
    try {
      payment = await pay();
    } finally {
      died.mockRestore();
    }
    expect(payment).toMatchObject({ status: 'pending' });
    const [planned] = await attempts(payment.id);
    expect(planned).toMatchObject({ acquirer_id: acquirerIds.first, outcome: 'unknown' });
    expect(first.received).toEqual([]);

    const settled = await settle(payment.id);
    expect(settled).toMatchObject({ status: 'failed', failure_reason: 'bank_unavailable', acquirer_id: null });
    const reversals = first.received.filter((call) => call.path === '/authorizations/reversals');
    expect(reversals.map((call) => JSON.parse(call.body))).toEqual([{ reference: planned!.id }]);
    expect([...authorizationsAt(first), ...authorizationsAt(second)]).toEqual([]);
  });

  it('reverses, then fails, a payment the first acquirer never recorded (lost connection)', async () => {
    first.behave = (call) => (call.method === 'POST' && call.path === '/authorizations' ? 'reset' : 'protocol');
    const payment = await pay();
    expect(payment).toMatchObject({ status: 'pending' });
    expect(authorizationsAt(second)).toHaveLength(0);

    const settled = await settle(payment.id);
    expect(settled).toMatchObject({ status: 'failed', failure_reason: 'bank_unavailable', acquirer_id: null });
    const reversals = first.received.filter((call) => call.path === '/authorizations/reversals');
    expect(reversals).toHaveLength(1);
    expect(JSON.parse(reversals[0]!.body)).toEqual({ reference: (await attempts(payment.id))[0]!.id });
    expect(authorizationsAt(second)).toHaveLength(0);
  });

  it('waits for the whole route, however long its tries take together: a late approval is never lost', async () => {
    // Each within its acquirer's timeout; together past BANK_TIMEOUT_MS (1 s).
    for (const id of [acquirerIds.first, acquirerIds.second]) {
      await t().http().patch(`/v1/admin/acquirers/${id}`).set(admin).send({ timeout_ms: 900 }).expect(200);
    }
    first.behave = () => ({ after: 700, then: { status: 503 } });
    second.behave = (call) => ({ after: 700, then: approveEverything(call) });
    const payment = await pay();
    expect(payment).toMatchObject({ status: 'captured', acquirer_id: acquirerIds.second });
    expect((await attempts(payment.id)).map((attempt) => attempt.outcome)).toEqual(['not_processed', 'approved']);
  });

  it('settles from its attempt a payment whose process died after the acquirer approved, asking nobody', async () => {
    const payment = await pay();
    // As it was between the acquirer's approval and the settlement.
    await t().dataSource.query(
      `UPDATE payments SET status = 'pending', payment_history_status = 'active', amount_captured = 0, acquirer_id = NULL, bank_reference = NULL WHERE id = $1`,
      [payment.id],
    );
    await t().dataSource.query(`DELETE FROM payment_events WHERE payment_id = $1 AND type <> 'payment.created'`, [payment.id]);
    const calls = first.received.length;
    const settled = await settle(payment.id);
    expect(settled).toMatchObject({ status: 'captured', acquirer_id: acquirerIds.first, amount_captured: 1050 });
    expect(first.received).toHaveLength(calls);
    expect(authorizationsAt(second)).toHaveLength(0);
  });

  it('sends captures and refunds to the acquirer holding the authorisation, even after the routing changed', async () => {
    const payment = await pay({ capture: false });
    expect(payment).toMatchObject({ status: 'authorized', acquirer_id: acquirerIds.first });
    await route(merchant.id, [acquirerIds.second]);

    await t().http().post(`/v1/payments/${payment.id}/capture`).set(merchant.auth).send({}).expect(200);
    await t().http().post(`/v1/payments/${payment.id}/refunds`).set(merchant.auth).send({ amount: 100 }).expect(201);
    const authorization = [...first.authorizations.values()][0]!;
    expect(first.received.map((call) => `${call.method} ${call.path}`)).toEqual([
      'POST /authorizations',
      `POST /authorizations/${authorization.id as string}/captures`,
      `POST /authorizations/${authorization.id as string}/refunds`,
    ]);
    expect(second.received).toEqual([]);
  });

  it('takes an acquirer down after five failures in a row, skips it, and probes it after the cool-down', async () => {
    first.behave = () => ({ status: 503 });
    for (let i = 0; i < 5; i++) await pay();
    const skipped = await pay();
    expect((await attempts(skipped.id)).map((attempt) => attempt.outcome)).toEqual(['skipped', 'approved']);
    // The skip was planned with the first try and written by the pending payment's own statement.
    const [skip] = (await t().dataSource.query(
      `SELECT t.acquirer_id, t.error, t.xmin = e.xmin AS with_payment
         FROM payment_attempts t JOIN payment_events e ON e.payment_id = t.payment_id AND e.type = 'payment.created'
        WHERE t.payment_id = $1 AND t.outcome = 'skipped'`,
      [skipped.id],
    )) as Body[];
    expect(skip).toEqual({ acquirer_id: acquirerIds.first, error: 'acquirer down', with_payment: true });
    expect(authorizationsAt(first)).toHaveLength(5);
    const listed = await t().http().get(`/v1/admin/acquirers/${acquirerIds.first}`).set(admin).expect(200);
    expect(listed.body.health).toMatchObject({ state: 'down', consecutive_failures: 5 });
    const metrics = (await t().http().get('/metrics').expect(200)).text;
    expect(metrics).toContain(`gateway_acquirer_up{acquirer="${listed.body.name as string}"} 0`);
    expect(metrics).toMatch(new RegExp(`gateway_acquirer_request_duration_seconds_count\\{acquirer="${listed.body.name as string}",operation="authorize",outcome="not_processed"\\} 5`));
    expect(metrics).toMatch(new RegExp(`gateway_acquirer_request_duration_seconds_count\\{acquirer="${listed.body.name as string}",operation="authorize",outcome="skipped"\\} 1`));

    first.behave = () => 'protocol';
    const probed = await waitFor(async () => {
      const payment = await pay();
      return payment.acquirer_id === acquirerIds.first && payment;
    }, 'a payment probes the first acquirer after the cool-down');
    expect(probed).toMatchObject({ status: 'captured' });
    const healthy = await t().http().get(`/v1/admin/acquirers/${acquirerIds.first}`).set(admin).expect(200);
    expect(healthy.body.health).toMatchObject({ state: 'up', consecutive_failures: 0 });
  });

  it('charges once for the same Idempotency-Key sent twice', async () => {
    const send = () => t().http().post('/v1/payments').set(merchant.auth).set('Idempotency-Key', `k-${merchant.id}`).send(paymentBody());
    const [one, two] = [await send(), await send()];
    expect(two.body).toEqual(one.body);
    expect(first.authorizations.size).toBe(1);
    expect(authorizationsAt(second)).toHaveLength(0);
  });

  it('loses no payment and charges none twice while the first acquirer flaps under 20 concurrent creates', async () => {
    first.behave = (call, index) => {
      if (call.method !== 'POST' || call.path !== '/authorizations') return 'protocol';
      return (['protocol', { status: 503 }, 'reset', { status: 500 }] as const)[index % 4]!;
    };
    const answers = await Promise.all(Array.from({ length: 20 }, () => t().http().post('/v1/payments').set(merchant.auth).send(paymentBody())));
    expect(answers.map((answer) => answer.status)).toEqual(Array(20).fill(201));
    for (const answer of answers) await settle(answer.body.id as string);
    const payments = await Promise.all(answers.map(async (answer) => (await t().http().get(`/v1/payments/${answer.body.id}`).set(merchant.auth)).body as Body));
    // Each captured payment is charged at exactly one acquirer; nothing else is charged.
    const charged = new Map<string, number>();
    for (const acquirer of [first, second]) {
      for (const authorization of acquirer.authorizations.values()) {
        if (authorization.status !== 'approved') continue;
        const attempt = await t().dataSource.query('SELECT payment_id FROM payment_attempts WHERE id = $1', [authorization.reference]);
        const paymentId = (attempt as { payment_id: string }[])[0]!.payment_id;
        charged.set(paymentId, (charged.get(paymentId) ?? 0) + 1);
      }
    }
    for (const payment of payments) {
      expect(['captured', 'failed']).toContain(payment.status);
      expect(charged.get(payment.id as string) ?? 0).toBe(payment.status === 'captured' ? 1 : 0);
    }
    expect([...charged.values()].every((count) => count === 1)).toBe(true);
    expect(charged.size).toBe(payments.filter((payment) => payment.status === 'captured').length);
  });

  it('sends the card number and CVV to the acquirer and nowhere else', async () => {
    const payment = await pay({}, { number: CARDS.mastercard, cvv: '987' });
    expect(authorizationsAt(first)[0]!.body).toContain(CARDS.mastercard);
    const everything = JSON.stringify([
      await t().dataSource.query('SELECT * FROM payment_attempts WHERE payment_id = $1', [payment.id]),
      await t().dataSource.query('SELECT * FROM payments WHERE id = $1', [payment.id]),
      await attempts(payment.id),
      t().logger.lines,
    ]);
    expect(everything).not.toContain(CARDS.mastercard);
    expect(everything).not.toContain('"987"');
  });

  /** Runs the reconciler until the payment is no longer pending; returns it as the API shows it. */
  async function settle(id: string): Promise<Body> {
    return waitFor(async () => {
      await t().dataSource.query(`UPDATE payments SET next_check_at = now() WHERE id = $1 AND status = 'pending'`, [id]);
      await t().app.get(Reconciler).runOnce();
      const payment = (await t().http().get(`/v1/payments/${id}`).set(merchant.auth)).body as Body;
      return payment.status !== 'pending' && payment;
    }, `payment ${id} settled`);
  }
});
