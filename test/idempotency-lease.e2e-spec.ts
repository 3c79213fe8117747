import { randomUUID } from 'node:crypto';
import type { Response } from 'supertest';
import { requestFingerprint } from '../src/idempotency/idempotency-key.js';
import { IdempotencyService } from '../src/idempotency/idempotency.service.js';
import type { CreatePaymentDto } from '../src/payments/dto/create-payment.dto.js';
import { PaymentsService } from '../src/payments/payments.service.js';
import { admin, CARDS, countPayments, createMerchant, paymentBody, type TestMerchant } from './support/fixtures.js';
import { useTestApp } from './support/test-app.js';

const LEASE_MS = 3000;

/**
 * A request that dies (kill -9, out of memory) or cannot store its response leaves its
 * Idempotency-Key in flight. The death is simulated at the two moments that matter: before
 * its effect (the key claimed exactly as the interceptor claims it, nothing else) and after
 * it (the request ran to the end, then its stored response is taken back, as if never
 * written). What a process killed at either moment leaves in the database is exactly that.
 */
describe('Idempotency-Key lease (e2e)', () => {
  const t = useTestApp({ IDEMPOTENCY_LEASE_MS: String(LEASE_MS), BANK_TIMEOUT_MS: '1000' });
  let merchant: TestMerchant;

  beforeEach(async () => {
    merchant = await createMerchant(t());
  });

  const post = (path: string, key: string, body: object) => t().http().post(path).set(merchant.auth).set('Idempotency-Key', key).send(body);

  /** The key taken by a request that then died before doing anything: the interceptor's own claim. */
  async function claimedByDeadRequest(path: string, key: string, body: object): Promise<void> {
    const fingerprint = requestFingerprint(t().config.cardFingerprintSecret, 'POST', path, Buffer.from(JSON.stringify(body)));
    const decision = await t().app.get(IdempotencyService).begin(merchant.id, key, fingerprint, t().config.idempotencyLeaseMs);
    expect(decision.kind).toBe('proceed');
  }

  /** The request ran, but its response never reached idempotency_keys. */
  async function responseNeverStored(key: string): Promise<void> {
    await t().dataSource.query(
      `UPDATE idempotency_keys SET status = 'in_flight', response_status = NULL, response_body = NULL WHERE scope = $1 AND key = $2`,
      [merchant.id, key],
    );
  }

  /** Moves the key's lease end relative to the database's clock: the lease is measured there. */
  async function leaseEndsIn(key: string, ms: number): Promise<void> {
    await t().dataSource.query(
      `UPDATE idempotency_keys SET lease_expires_at = now() + make_interval(secs => $3::double precision / 1000) WHERE scope = $1 AND key = $2`,
      [merchant.id, key, ms],
    );
  }

  async function keyRow(key: string): Promise<{ status: string; response_status: number | null }> {
    const [row] = (await t().dataSource.query('SELECT status, response_status FROM idempotency_keys WHERE scope = $1 AND key = $2', [
      merchant.id,
      key,
    ])) as { status: string; response_status: number | null }[];
    return row!;
  }

  const paymentIds = async () =>
    ((await t().dataSource.query('SELECT id FROM payments WHERE merchant_id = $1', [merchant.id])) as { id: string }[]).map((row) => row.id);
  const authorisations = (ids: string[]) => t().bank.calls.filter((call) => ids.includes(call.paymentId));

  function expectInUse(response: Response): void {
    expect(response.status).toBe(409);
    expect(response.body.error).toMatchObject({ type: 'idempotency_error', code: 'idempotency_key_in_use' });
  }

  it('keeps a key its dead request left with no effect in use until the lease ends, then runs the create once', async () => {
    const key = `dead-before-${randomUUID()}`;
    const body = paymentBody();
    await claimedByDeadRequest('/v1/payments', key, body);

    expectInUse(await post('/v1/payments', key, body));
    expect(await paymentIds()).toEqual([]);

    // Real time: the lease (IDEMPOTENCY_LEASE_MS) runs out on the database's clock.
    const started = Date.now();
    let retry = await post('/v1/payments', key, body);
    while (retry.status === 409 && Date.now() - started < LEASE_MS + 10_000) {
      expectInUse(retry);
      await new Promise((resolve) => setTimeout(resolve, 200));
      retry = await post('/v1/payments', key, body);
    }

    expect(retry.status).toBe(201);
    expect(retry.headers['idempotent-replayed']).toBeUndefined();
    expect(retry.body).toMatchObject({ merchant_id: merchant.id, status: 'captured', amount: 1050 });
    const ids = await paymentIds();
    expect(ids).toEqual([retry.body.id]);
    expect(authorisations(ids)).toHaveLength(1);
    expect(await keyRow(key)).toEqual({ status: 'completed', response_status: 201 });

    const replay = await post('/v1/payments', key, body).expect(201);
    expect(replay.headers['idempotent-replayed']).toBe('true');
    expect(replay.text).toBe(retry.text);
  }, LEASE_MS + 15_000);

  it('answers the payment its dead request created, as it is now, instead of charging again', async () => {
    const key = `dead-after-${randomUUID()}`;
    // The slow card: the first answer is `pending`; the payment is captured by the time of the retry.
    const body = paymentBody({}, { number: CARDS.timeout });
    const first = await post('/v1/payments', key, body).expect(201);
    expect(first.body.status).toBe('pending');
    await responseNeverStored(key);
    await leaseEndsIn(key, 60_000);

    expectInUse(await post('/v1/payments', key, body));

    // Settled meanwhile, as the reconciler settles it.
    await t().dataSource.query(`UPDATE payments SET status = 'captured', amount_captured = amount, next_check_at = NULL WHERE id = $1`, [
      first.body.id,
    ]);
    await leaseEndsIn(key, -1);
    const retry = await post('/v1/payments', key, body).expect(201);

    expect(retry.headers['idempotent-replayed']).toBeUndefined();
    expect(retry.body).toMatchObject({ id: first.body.id, status: 'captured', amount_captured: 1050 });
    expect(await paymentIds()).toEqual([first.body.id]);
    expect(authorisations([first.body.id])).toHaveLength(1);
    expect(await keyRow(key)).toEqual({ status: 'completed', response_status: 201 });

    const replay = await post('/v1/payments', key, body).expect(201);
    expect(replay.headers['idempotent-replayed']).toBe('true');
    expect(replay.text).toBe(retry.text);
  });

  it('answers the refund its dead request created instead of refunding again', async () => {
    const payment = await post('/v1/payments', `pay-${randomUUID()}`, paymentBody()).expect(201);
    const path = `/v1/payments/${payment.body.id}/refunds`;
    const key = `dead-refund-${randomUUID()}`;
    const first = await post(path, key, { amount: 300 }).expect(201);
    await responseNeverStored(key);
    await leaseEndsIn(key, -1);

    const retry = await post(path, key, { amount: 300 }).expect(201);

    expect(retry.body).toEqual(first.body);
    const refunds = (await t().dataSource.query('SELECT id FROM refunds WHERE payment_id = $1', [payment.body.id])) as { id: string }[];
    expect(refunds).toEqual([{ id: first.body.id }]);
    expect(t().bank.operations.filter((op) => op.kind === 'refund' && op.paymentId === payment.body.id)).toHaveLength(1);
    const after = await t().http().get(`/v1/payments/${payment.body.id}`).set(merchant.auth).expect(200);
    expect(after.body.amount_refunded).toBe(300);
  });

  it('lets exactly one of 10 concurrent retries take over an expired key; the others get 409', async () => {
    const key = `dead-race-${randomUUID()}`;
    // The slow card keeps the winner in flight (BANK_TIMEOUT_MS) while the others arrive.
    const body = paymentBody({}, { number: CARDS.timeout });
    await claimedByDeadRequest('/v1/payments', key, body);
    await leaseEndsIn(key, -1);

    const responses = await Promise.all(Array.from({ length: 10 }, () => post('/v1/payments', key, body)));

    const created = responses.filter((r) => r.status === 201);
    expect(created).toHaveLength(1);
    responses.filter((r) => r.status !== 201).forEach(expectInUse);
    const ids = await paymentIds();
    expect(ids).toEqual([created[0]!.body.id]);
    expect(authorisations(ids)).toHaveLength(1);
  });

  it('lets exactly one of 10 concurrent retries answer the payment of an expired key; nothing is charged again', async () => {
    const key = `dead-race-after-${randomUUID()}`;
    const body = paymentBody();
    const first = await post('/v1/payments', key, body).expect(201);
    await responseNeverStored(key);
    await leaseEndsIn(key, -1);

    const responses = await Promise.all(Array.from({ length: 10 }, () => post('/v1/payments', key, body)));

    // The one that took over answers at once, so a late retry may already see it stored: a replay.
    const answered = responses.filter((r) => r.status === 201 && r.headers['idempotent-replayed'] === undefined);
    expect(answered).toHaveLength(1);
    for (const response of responses) {
      if (response.status === 201) expect(response.body.id).toBe(first.body.id);
      else expectInUse(response);
    }
    expect(await countPayments(t(), merchant.id)).toBe(1);
    expect(authorisations([first.body.id])).toHaveLength(1);
  });

  it('answers the capture its dead request made instead of capturing again', async () => {
    const payment = await post('/v1/payments', `pay-${randomUUID()}`, paymentBody({ capture: false })).expect(201);
    const path = `/v1/payments/${payment.body.id}/capture`;
    const key = `dead-capture-${randomUUID()}`;
    const first = await post(path, key, { amount: 700 }).expect(200);
    expect(first.body).toMatchObject({ status: 'captured', amount_captured: 700 });
    await responseNeverStored(key);
    await leaseEndsIn(key, -1);

    const retry = await post(path, key, { amount: 700 }).expect(200);

    expect(retry.body).toEqual(first.body);
    expect(t().bank.operations.filter((op) => op.kind === 'capture' && op.paymentId === payment.body.id)).toHaveLength(1);
    expect(await keyRow(key)).toEqual({ status: 'completed', response_status: 200 });
  });

  it('voids once when the dead request of a void never got to claim the payment', async () => {
    const payment = await post('/v1/payments', `pay-${randomUUID()}`, paymentBody({ capture: false })).expect(201);
    const path = `/v1/payments/${payment.body.id}/void`;
    const key = `dead-void-${randomUUID()}`;
    await claimedByDeadRequest(path, key, {});
    expectInUse(await post(path, key, {}));
    await leaseEndsIn(key, -1);

    const retry = await post(path, key, {}).expect(200);

    expect(retry.body).toMatchObject({ id: payment.body.id, status: 'voided' });
    expect(t().bank.operations.filter((op) => op.kind === 'void' && op.paymentId === payment.body.id)).toHaveLength(1);
  });

  it('never takes over the key of a route whose effect it could not find: creating a merchant', async () => {
    const key = `dead-merchant-${randomUUID()}`;
    const name = `Lease test ${key}`;
    const createMerchantWithKey = () => t().http().post('/v1/admin/merchants').set(admin).set('Idempotency-Key', key).send({ name });
    await createMerchantWithKey().expect(201);
    // Its response never stored, and long ago: far past any lease.
    await t().dataSource.query(
      `UPDATE idempotency_keys SET status = 'in_flight', response_status = NULL, response_body = NULL, created_at = now() - interval '1 hour'
        WHERE scope = 'admin' AND key = $1`,
      [key],
    );

    expectInUse(await createMerchantWithKey());
    const merchants = (await t().dataSource.query('SELECT id FROM merchants WHERE name = $1', [name])) as unknown[];
    expect(merchants).toHaveLength(1);
  });

  it('lets a request that outlived its lease neither free nor fill the key another took over', async () => {
    const keys = t().app.get(IdempotencyService);
    const key = `outlived-${randomUUID()}`;
    const fingerprint = requestFingerprint(t().config.cardFingerprintSecret, 'POST', '/v1/payments', Buffer.from('{}'));
    const first = await keys.begin(merchant.id, key, fingerprint, LEASE_MS);
    await leaseEndsIn(key, -1);
    const second = await keys.begin(merchant.id, key, fingerprint, LEASE_MS);
    if (first.kind !== 'proceed' || second.kind !== 'proceed') throw new Error(`expected two holders, got ${first.kind}, ${second.kind}`);
    expect(second).toMatchObject({ reclaimed: true, token: first.token });

    // The first holder comes back: its failure must not free the key, its answer must not be stored.
    await keys.abandon(merchant.id, key, first.lease);
    await keys.complete(merchant.id, key, first.lease, 201, '{"from":"first"}');
    expect(await keyRow(key)).toEqual({ status: 'in_flight', response_status: null });

    await keys.complete(merchant.id, key, second.lease, 201, '{"from":"second"}');
    expect(await keys.begin(merchant.id, key, fingerprint, LEASE_MS)).toEqual({ kind: 'replay', status: 201, body: '{"from":"second"}' });
  });

  it('never records two payments under one token, even for a request that outlived its lease', async () => {
    const payments = t().app.get(PaymentsService);
    const principal = { role: 'merchant', keyId: merchant.keyId, merchantId: merchant.id, livemode: true } as const;
    const claim = { token: randomUUID(), reclaimed: false };
    const body = paymentBody() as unknown as CreatePaymentDto;
    const callsBefore = t().bank.calls.length;

    const first = await payments.create(principal, body, claim);
    await expect(payments.create(principal, body, claim)).rejects.toThrow(/payments_idempotency_token_idx/);

    expect(await paymentIds()).toEqual([first.id]);
    expect(t().bank.calls.slice(callsBefore).map((call) => call.paymentId)).toEqual([first.id]);
  });
});
