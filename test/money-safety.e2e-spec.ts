import pg from 'pg';
import { ExpirySweeper } from '../src/payments/expiry-sweeper.service.js';
import { jest } from '@jest/globals';
import { PaymentsRepository } from '../src/payments/payments.repository.js';
import { Reconciler } from '../src/payments/reconciler.service.js';
import { admin, CARDS, createMerchant, paymentBody, type TestMerchant } from './support/fixtures.js';
import { startTestApp, useTestApp, type TestApp } from './support/test-app.js';
import { waitFor } from './support/wait-for.js';

type Body = Record<string, unknown>;

describe('Money safety (e2e)', () => {
  const t = useTestApp();
  let merchant: TestMerchant;
  beforeEach(async () => {
    merchant = await createMerchant(t());
    t().clock.set('2026-11-25T12:00:00.000Z');
  });

  const pay = async (overrides: Body = {}, card: Body = {}, app: TestApp = t()): Promise<Body & { id: string }> =>
    (await app.http().post('/v1/payments').set(merchant.auth).send(paymentBody(overrides, card)).expect(201)).body;
  const capture = (id: string, body: Body = {}, app: TestApp = t()) => app.http().post(`/v1/payments/${id}/capture`).set(merchant.auth).send(body);
  const voidPayment = (id: string) => t().http().post(`/v1/payments/${id}/void`).set(merchant.auth);
  const refund = (id: string, body: Body = {}, app: TestApp = t()) => app.http().post(`/v1/payments/${id}/refunds`).set(merchant.auth).send(body);
  const events = async (id: string) =>
    ((await t().http().get(`/v1/payments/${id}/events`).set(merchant.auth).expect(200)).body.data as { type: string }[]).map((e) => e.type);
  const row = async (id: string) =>
    ((await t().dataSource.query('SELECT * FROM payments WHERE id = $1', [id])) as Record<string, unknown>[])[0]!;
  const bankCalls = (kind: string, paymentId: string) =>
    t().bank.operations.filter((call) => call.kind === kind && 'paymentId' in call && call.paymentId === paymentId);

  describe('capture', () => {
    it('captures all of an authorisation', async () => {
      const payment = await pay({ capture: false });
      const captured = await capture(payment.id).expect(200);
      expect(captured.body).toMatchObject({ status: 'captured', amount: 1050, amount_captured: 1050, history_status: 'active' });
      expect(bankCalls('capture', payment.id)).toEqual([{ kind: 'capture', paymentId: payment.id, amount: 1050 }]);
      expect(await events(payment.id)).toEqual(['payment.created', 'payment.authorized', 'payment.captured']);
    });

    it('captures part of an authorisation, once', async () => {
      const payment = await pay({ capture: false });
      const captured = await capture(payment.id, { amount: 800 }).expect(200);
      expect(captured.body).toMatchObject({ status: 'captured', amount: 1050, amount_captured: 800 });
      const again = await capture(payment.id, { amount: 200 }).expect(409);
      expect(again.body.error).toMatchObject({ type: 'invalid_state_error' });
      expect(bankCalls('capture', payment.id)).toHaveLength(1);
    });

    it('refuses to capture more than was authorised, changing nothing', async () => {
      const payment = await pay({ capture: false });
      const response = await capture(payment.id, { amount: 1051 }).expect(400);
      expect(response.body.error).toMatchObject({ type: 'invalid_request_error', code: 'amount_too_large', param: 'amount' });
      expect(await row(payment.id)).toMatchObject({ status: 'authorized', amount_captured: 0, bank_operation: null });
      expect(bankCalls('capture', payment.id)).toHaveLength(0);
    });

    it.each([
      ['captured', {}, {}],
      ['declined', {}, { number: CARDS.declined }],
      ['failed', {}, { number: CARDS.processingError }],
    ])('refuses to capture a %s payment with 409', async (status, overrides, card) => {
      const payment = await pay(overrides, card);
      expect(payment.status).toBe(status);
      const response = await capture(payment.id).expect(409);
      expect(response.body.error).toMatchObject({ type: 'invalid_state_error', code: 'invalid_state' });
    });

    it('lets only one of two concurrent captures reach the bank', async () => {
      const payment = await pay({ capture: false });
      const answers = await Promise.all([capture(payment.id, { amount: 300 }), capture(payment.id, { amount: 400 })]);
      expect(answers.map((answer) => answer.status).sort()).toEqual([200, 409]);
      expect(bankCalls('capture', payment.id)).toHaveLength(1);
      const winner = answers.find((answer) => answer.status === 200)!;
      expect((await row(payment.id)).amount_captured).toBe(winner.body.amount_captured);
    });
  });

  describe('void', () => {
    it('voids an authorisation, after which it cannot be captured', async () => {
      const payment = await pay({ capture: false });
      const voided = await voidPayment(payment.id).expect(200);
      expect(voided.body).toMatchObject({ status: 'voided', history_status: 'finished', amount_captured: 0 });
      const response = await capture(payment.id).expect(409);
      expect(response.body.error.type).toBe('invalid_state_error');
      expect(await events(payment.id)).toEqual(['payment.created', 'payment.authorized', 'payment.voided']);
    });

    it('refuses to void a captured payment', async () => {
      const payment = await pay();
      await voidPayment(payment.id).expect(409);
      expect(bankCalls('void', payment.id)).toHaveLength(0);
    });

    it("answers 404 for another merchant's payment", async () => {
      const other = await createMerchant(t());
      const payment = await pay({ capture: false });
      await t().http().post(`/v1/payments/${payment.id}/void`).set(other.auth).expect(404);
      await t().http().post(`/v1/payments/${payment.id}/capture`).set(other.auth).send({}).expect(404);
      await t().http().post(`/v1/payments/${payment.id}/refunds`).set(other.auth).send({}).expect(404);
      await t().http().get(`/v1/payments/${payment.id}/events`).set(other.auth).expect(404);
      expect((await row(payment.id)).status).toBe('authorized');
    });
  });

  describe('refunds', () => {
    it('refunds in parts, then the rest, and refuses more', async () => {
      const payment = await pay({ amount: 1000 });
      const first = await refund(payment.id, { amount: 300, reason: 'damaged' }).expect(201);
      expect(first.body).toEqual({
        id: expect.stringMatching(/^re_[0-9A-Z]{26}$/),
        payment_id: payment.id,
        amount: 300,
        status: 'succeeded',
        reason: 'damaged',
        failure_reason: null,
        livemode: true,
        created_at: expect.any(String),
      });
      expect((await t().http().get(`/v1/payments/${payment.id}`).set(merchant.auth)).body).toMatchObject({
        status: 'partially_refunded',
        amount_refunded: 300,
        history_status: 'active',
      });

      const rest = await refund(payment.id).expect(201);
      expect(rest.body).toMatchObject({ amount: 700, status: 'succeeded', reason: null });
      const after = (await t().http().get(`/v1/payments/${payment.id}`).set(merchant.auth)).body;
      expect(after).toMatchObject({ status: 'refunded', amount_refunded: 1000, history_status: 'finished' });

      const more = await refund(payment.id, { amount: 1 }).expect(409);
      expect(more.body.error.type).toBe('invalid_state_error');

      const list = await t().http().get(`/v1/payments/${payment.id}/refunds`).set(merchant.auth).expect(200);
      expect(list.body.data.map((r: Body) => r.amount)).toEqual([300, 700]);
      expect(await events(payment.id)).toEqual(['payment.created', 'payment.captured', 'refund.succeeded', 'refund.succeeded']);
    });

    it('refuses a refund above what is left, with amount_too_large', async () => {
      const payment = await pay({ amount: 1000 });
      await refund(payment.id, { amount: 600 }).expect(201);
      const response = await refund(payment.id, { amount: 401 }).expect(400);
      expect(response.body.error).toMatchObject({ code: 'amount_too_large', param: 'amount' });
      expect(await row(payment.id)).toMatchObject({ amount_refunded: 600, amount_refund_pending: 0 });
    });

    it('refunds only what was captured of a partial capture', async () => {
      const payment = await pay({ capture: false, amount: 1000 });
      await capture(payment.id, { amount: 400 }).expect(200);
      await refund(payment.id, { amount: 401 }).expect(400);
      const all = await refund(payment.id).expect(201);
      expect(all.body.amount).toBe(400);
    });

    it.each([
      ['authorized', { capture: false }, {}],
      ['declined', {}, { number: CARDS.declined }],
    ])('refuses to refund a %s payment', async (_, overrides, card) => {
      const payment = await pay(overrides, card);
      const response = await refund(payment.id).expect(409);
      expect(response.body.error.type).toBe('invalid_state_error');
      expect(await t().dataSource.query('SELECT id FROM refunds WHERE payment_id = $1', [payment.id])).toEqual([]);
    });

    it('lets exactly 4 of 10 concurrent refunds of a quarter succeed', async () => {
      const payment = await pay({ amount: 1000 });
      const answers = await Promise.all(Array.from({ length: 10 }, () => refund(payment.id, { amount: 250 })));
      const statuses = answers.map((answer) => answer.status);
      expect(statuses.filter((status) => status === 201)).toHaveLength(4);
      for (const answer of answers.filter((a) => a.status !== 201)) {
        expect(answer.body.error.code).toMatch(/^(amount_too_large|invalid_state)$/);
      }
      expect(await row(payment.id)).toMatchObject({ status: 'refunded', amount_refunded: 1000, amount_refund_pending: 0 });
      const [{ total }] = (await t().dataSource.query(
        `SELECT coalesce(sum(amount), 0)::int AS total FROM refunds WHERE payment_id = $1 AND status = 'succeeded'`,
        [payment.id],
      )) as { total: number }[];
      expect(total).toBe(1000);
      expect(bankCalls('refund', payment.id)).toHaveLength(4);
    });
  });

  describe('bank faults', () => {
    it('leaves the timeout card pending, then settles it by asking the bank, without a second charge', async () => {
      const payment = await pay({}, { number: CARDS.timeout });
      expect(payment).toMatchObject({ status: 'pending', history_status: 'active' });

      // The reconciler waits for the retry time, then asks until the bank has an answer.
      await t().dataSource.query(`UPDATE payments SET next_check_at = now() WHERE id = $1`, [payment.id]);
      await t().app.get(Reconciler).runOnce();
      const settled = await waitFor(async () => {
        await t().dataSource.query(`UPDATE payments SET next_check_at = now() WHERE id = $1 AND next_check_at IS NOT NULL`, [payment.id]);
        await t().app.get(Reconciler).runOnce();
        const current = await row(payment.id);
        return current.status !== 'pending' && current;
      }, 'the reconciler to settle the payment');
      expect(settled).toMatchObject({ status: 'captured', amount_captured: 1050, next_check_at: null });
      expect(t().bank.calls.filter((call) => call.paymentId === payment.id)).toHaveLength(1);
      expect(await t().dataSource.query(`SELECT key FROM bank_simulator.operations WHERE key = $1`, [payment.id])).toHaveLength(1);
      expect(await events(payment.id)).toEqual(['payment.created', 'payment.captured']);
    });

    it('settles a pending authorisation after a restart, in another instance', async () => {
      const first = await startTestApp();
      const payment = await pay({ capture: false }, { number: CARDS.timeout }, first);
      await first.close();

      const second = await startTestApp();
      try {
        const settled = await waitFor(async () => {
          await second.dataSource.query(`UPDATE payments SET next_check_at = now() WHERE id = $1 AND next_check_at IS NOT NULL`, [payment.id]);
          await second.app.get(Reconciler).runOnce();
          const current = await row(payment.id);
          return current.status !== 'pending' && current;
        }, 'the second instance to settle the payment');
        expect(settled).toMatchObject({ status: 'authorized' });
        expect(second.bank.calls).toHaveLength(0);
      } finally {
        await second.close();
      }
    });

    it('fails a payment the bank never received, once its retry time has come', async () => {
      t().bank.unreachable = true;
      const payment = await pay().finally(() => (t().bank.unreachable = false));
      expect(payment.status).toBe('pending');
      await t().dataSource.query(`UPDATE payments SET next_check_at = now() WHERE id = $1`, [payment.id]);
      await t().app.get(Reconciler).runOnce();
      expect(await row(payment.id)).toMatchObject({ status: 'failed', failure_reason: 'bank_no_record', amount_captured: 0 });
    });

    it('answers the recorded pending payment, never a 5xx, when settling fails after the bank charged', async () => {
      const repository = t().app.get(PaymentsRepository);
      const spy = jest.spyOn(repository, 'settlePending').mockRejectedValueOnce(new Error('Connection terminated unexpectedly'));
      try {
        const send = () =>
          t().http().post('/v1/payments').set(merchant.auth).set('Idempotency-Key', `settle-fails-${merchant.id}`).send(paymentBody());
        const first = await send().expect(201);
        expect(first.body.status).toBe('pending');
        // The retry replays the recorded answer: the bank is not asked a second time.
        const retry = await send().expect(201);
        expect(retry.text).toBe(first.text);
        expect(t().bank.calls.filter((call) => call.paymentId === first.body.id)).toHaveLength(1);
        expect(await t().dataSource.query('SELECT id FROM payments WHERE merchant_id = $1', [merchant.id])).toHaveLength(1);

        // The simulator's answering try is written with the settlement, so it failed with it.
        const attempts = async () => (await t().http().get(`/v1/payments/${first.body.id}/attempts`).set(merchant.auth).expect(200)).body.data;
        expect(await attempts()).toEqual([]);

        await t().dataSource.query(`UPDATE payments SET next_check_at = now() WHERE id = $1`, [first.body.id]);
        await t().app.get(Reconciler).runOnce();
        expect(await row(first.body.id)).toMatchObject({ status: 'captured', amount_captured: 1050 });
        // The reconciler's answer came from the bank's ledger; its attempt is recorded with that settlement.
        expect(await attempts()).toEqual([expect.objectContaining({ acquirer_id: 'acq_00000000000000000000000000', outcome: 'approved' })]);
        expect(t().bank.calls.filter((call) => call.paymentId === first.body.id)).toHaveLength(1);
      } finally {
        spy.mockRestore();
      }
    });

    it('runs the reconciler in the background when workers are on', async () => {
      const app = await startTestApp({ WORKERS_ENABLED: 'true', RECONCILER_INTERVAL_MS: '100', RECONCILER_BACKOFF_BASE_MS: '100' });
      try {
        const payment = await pay({}, { number: CARDS.timeout }, app);
        const settled = await waitFor(async () => {
          const current = await row(payment.id);
          return current.status !== 'pending' && current;
        }, 'the background reconciler to settle the payment');
        expect(settled.status).toBe('captured');
      } finally {
        await app.close();
      }
    });
  });

  describe('database faults', () => {
    /**
     * The test holds the merchant's row locked, so that the creates' inserts (their foreign-key
     * check) wait inside PostgreSQL; then every connection of the app is terminated while
     * those statements run. Whatever each request answers, no payment may be charged without
     * a row, none answered 201 may be missing, and the app must go on working.
     */
    it('loses no payment and charges none without a row when every connection drops during concurrent creates', async () => {
      const locker = new pg.Client({ connectionString: process.env.DATABASE_URL, application_name: 'test-locker' });
      await locker.connect();
      try {
        const [{ now: startedAt }] = (await locker.query('SELECT now()')).rows as [{ now: Date }];
        const callsBefore = t().bank.calls.length;
        await locker.query('BEGIN');
        await locker.query('SELECT id FROM merchants WHERE id = $1 FOR UPDATE', [merchant.id]);
        const sends = Array.from({ length: 20 }, (_, i) =>
          t().http().post('/v1/payments').set(merchant.auth).send(paymentBody({ amount: 100 + i })).then((response) => response),
        );
        await waitFor(async () => {
          const { rows } = await locker.query(
            `SELECT count(*)::int AS n FROM pg_stat_activity WHERE application_name = 'payment-gateway' AND wait_event_type = 'Lock'`,
          );
          return (rows[0] as { n: number }).n > 0;
        }, 'a create waiting for the lock');
        const { rows: killed } = await locker.query(
          `SELECT pid, pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'payment-gateway'`,
        );
        expect(killed.length).toBeGreaterThan(0);
        await locker.query('ROLLBACK');
        const responses = await Promise.all(sends);
        // The pool hears of its idle connections' deaths when their sockets close, and drops
        // them: until it has dropped them all, the queries below could be handed a dead one.
        const pool = (t().dataSource.driver as unknown as { master: pg.Pool }).master;
        const dead = killed.map((backend: { pid: number }) => backend.pid);
        await waitFor(async () => {
          const { rows: live } = await locker.query(
            `SELECT count(*)::int AS n FROM pg_stat_activity WHERE application_name = 'payment-gateway' AND NOT (pid = ANY($1))`,
            [dead],
          );
          return pool.totalCount === (live[0] as { n: number }).n;
        }, () => `the pool to drop its dead connections (${pool.totalCount} held)`);
        expect(responses.filter((response) => response.status !== 201).length).toBeGreaterThan(0);

        for (const response of responses) {
          if (response.status === 201) {
            expect(await row(response.body.id)).toMatchObject({ status: response.body.status, amount: response.body.amount });
          } else {
            // A transient fault, said so: retry later (with the same Idempotency-Key, if any).
            expect(response.status).toBe(503);
            expect(response.headers['retry-after']).toBe('1');
            expect(response.body.error).toMatchObject({ type: 'api_error', code: 'service_unavailable', request_id: response.headers['x-request-id'] });
            expect(response.headers['x-request-id']).toMatch(/^req_/);
          }
        }
        const payments = (await t().dataSource.query('SELECT id, status, amount FROM payments WHERE merchant_id = $1', [merchant.id])) as {
          id: string;
          status: string;
          amount: number;
        }[];
        // One row at most per request: nothing was written twice by a retried statement.
        expect(new Set(payments.map((payment) => payment.amount)).size).toBe(payments.length);
        expect(payments.length).toBeLessThanOrEqual(20);
        const ids = new Set(payments.map((payment) => payment.id));
        // The bank heard only of payments that have their row.
        for (const call of t().bank.calls.slice(callsBefore)) expect(ids.has(call.paymentId)).toBe(true);
        const orphans = (await t().dataSource.query(
          `SELECT key FROM bank_simulator.operations b
            WHERE b.created_at >= $1 AND b.key LIKE 'pay\\_%' AND b.key NOT LIKE '%/%'
              AND NOT EXISTS (SELECT 1 FROM payments p WHERE p.id = b.key)`,
          [startedAt],
        )) as unknown[];
        expect(orphans).toEqual([]);
        // Every payment is settled with its event, or pending for the reconciler (never half-written).
        for (const payment of payments) {
          const types = await events(payment.id);
          expect(types[0]).toBe('payment.created');
          expect(types).toHaveLength(payment.status === 'pending' ? 1 : 2);
        }
        // And the app goes on: the pool reconnects.
        expect((await pay()).status).toBe('captured');
      } finally {
        await locker.end();
      }
    });
  });

  describe('expiry', () => {
    it('voids authorisations left uncaptured past AUTHORIZATION_TTL, once', async () => {
      // A time of its own, so that no other payment in the shared database is old enough.
      t().clock.set('2001-03-01T00:00:00.000Z');
      const old = await pay({ capture: false });
      t().clock.set('2001-03-07T00:00:00.000Z');
      const young = await pay({ capture: false });
      const captured = await pay();

      t().clock.set('2001-03-08T00:00:01.000Z');
      const sweeper = t().app.get(ExpirySweeper);
      expect(await sweeper.runOnce()).toBe(1);
      expect(await sweeper.runOnce()).toBe(0);

      expect(await row(old.id)).toMatchObject({ status: 'voided', payment_history_status: 'expired', bank_operation: null });
      expect(await row(young.id)).toMatchObject({ status: 'authorized', payment_history_status: 'active' });
      expect((await row(captured.id)).status).toBe('captured');
      expect(bankCalls('void', old.id)).toHaveLength(1);
      expect(await events(old.id)).toEqual(['payment.created', 'payment.authorized', 'payment.expired']);
      await capture(old.id).expect(409);
    });
  });

  describe('two instances', () => {
    it('race on refunds without refunding more than was captured', async () => {
      const second = await startTestApp();
      try {
        const payment = await pay({ amount: 900 });
        const answers = await Promise.all(
          Array.from({ length: 8 }, (_, i) => refund(payment.id, { amount: 300 }, i % 2 === 0 ? t() : second)),
        );
        expect(answers.filter((answer) => answer.status === 201)).toHaveLength(3);
        expect(await row(payment.id)).toMatchObject({ status: 'refunded', amount_refunded: 900, amount_refund_pending: 0 });
      } finally {
        await second.close();
      }
    });

    it('race on captures and voids: one wins', async () => {
      const second = await startTestApp();
      try {
        const payment = await pay({ capture: false });
        const answers = await Promise.all([
          capture(payment.id, {}, t()),
          second.http().post(`/v1/payments/${payment.id}/void`).set(merchant.auth),
        ]);
        expect(answers.map((answer) => answer.status).sort()).toEqual([200, 409]);
        const final = await row(payment.id);
        expect(['captured', 'voided']).toContain(final.status);
        expect(await events(payment.id)).toHaveLength(3);
      } finally {
        await second.close();
      }
    });
  });

  it('lets the admin act on any merchant’s payment', async () => {
    const payment = await pay({ capture: false });
    await t().http().post(`/v1/payments/${payment.id}/capture`).set(admin).send({ amount: 100 }).expect(200);
    await t().http().post(`/v1/payments/${payment.id}/refunds`).set(admin).send({ amount: 50 }).expect(201);
    const list = await t().http().get(`/v1/payments/${payment.id}/events`).set(admin).expect(200);
    expect(list.body.data.map((e: Body) => e.type)).toEqual(['payment.created', 'payment.authorized', 'payment.captured', 'refund.succeeded']);
    expect(list.body.data[0]).toEqual({ id: expect.stringMatching(/^evt_/), type: 'payment.created', created_at: expect.any(String), livemode: true, data: { object: expect.objectContaining({ id: payment.id, status: 'pending' }) } });
  });
});
