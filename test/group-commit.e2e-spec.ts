import pg from 'pg';
import { SIMULATOR_ACQUIRER_ID } from '../src/acquirers/acquirer.entity.js';
import type { TryPlan } from '../src/bank/bank-gateway.js';
import { newId } from '../src/common/ids.js';
import { paymentEvent } from '../src/payments/payment-events.js';
import type { Payment } from '../src/payments/payment.entity.js';
import { PaymentsRepository } from '../src/payments/payments.repository.js';
import { ATTEMPT_RECORD, EVENT_RECORD, PAYMENT_RECORD, SETTLEMENT_RECORD } from '../src/payments/queries/payments.queries.js';
import { createMerchant, issueKey, type TestMerchant } from './support/fixtures.js';
import { useTestApp } from './support/test-app.js';

/**
 * The create path's writes go out in groups when they arrive together (GroupCommit). These run
 * the repository's batched statements on the real database with more concurrent calls than
 * batches on the wire, so that most calls share a statement, and one of them is bad.
 */
describe('Batched writes of the create path (e2e, repository)', () => {
  const t = useTestApp();
  let merchant: TestMerchant;
  let payments: PaymentsRepository;

  beforeAll(() => {
    payments = t().app.get(PaymentsRepository);
  });
  beforeEach(async () => {
    merchant = await createMerchant(t());
  });

  const pending = (overrides: Partial<Payment> = {}): Payment => {
    const now = new Date();
    return {
      id: newId('payment'),
      merchantId: merchant.id,
      livemode: true,
      status: 'pending',
      historyStatus: 'active',
      amount: 700,
      currency: 'EUR',
      captureRequested: true,
      amountCaptured: 0,
      amountRefunded: 0,
      amountRefundPending: 0,
      bankOperation: null,
      bankOperationAmount: null,
      nextCheckAt: null,
      checkAttempts: 0,
      cardBrand: 'visa',
      cardBin: '424242',
      cardLast4: '4242',
      cardExpiryMonth: 12,
      cardExpiryYear: 2030,
      cardHolderName: 'Ada Lovelace',
      cardFingerprint: 'fp_test',
      bankReference: null,
      acquirerId: null,
      declineCode: null,
      failureReason: null,
      reference: null,
      description: null,
      metadata: { order: 'o-1', note: 'quotes " and \\ kept' },
      idempotencyToken: null,
      operationIdempotencyToken: null,
      createdAt: now,
      updatedAt: now,
      ...overrides,
    };
  };

  const insert = (payment: Payment) => payments.insertPending(payment, paymentEvent('payment.created', payment), 60_000);

  const eventTypes = async (id: string) =>
    ((await t().dataSource.query('SELECT type FROM payment_events WHERE payment_id = $1 ORDER BY seq', [id])) as { type: string }[]).map(
      (row) => row.type,
    );

  it('reads each batch item with the types of the table it is written to', async () => {
    const typesOf = async (table: string) =>
      new Map(
        (
          (await t().dataSource.query(
            `SELECT attname, format_type(atttypid, atttypmod) AS type FROM pg_attribute WHERE attrelid = $1::regclass AND attnum > 0 AND NOT attisdropped`,
            [table],
          )) as { attname: string; type: string }[]
        ).map((column) => [column.attname, column.type]),
      );
    // A column definition list is read like a table's: as a temporary table, its types are spelt as the table's.
    for (const [record, table] of [
      [PAYMENT_RECORD, 'payments'],
      [SETTLEMENT_RECORD, 'payments'],
      [EVENT_RECORD, 'payment_events'],
      [ATTEMPT_RECORD, 'payment_attempts'],
    ] as const) {
      const columns = await typesOf(table);
      const runner = t().dataSource.createQueryRunner();
      try {
        await runner.query(`CREATE TEMPORARY TABLE record_types (${record})`);
        const types = (await runner.query(
          `SELECT attname, format_type(atttypid, atttypmod) AS type FROM pg_attribute WHERE attrelid = 'pg_temp.record_types'::regclass AND attnum > 0`,
        )) as { attname: string; type: string }[];
        expect(types.length).toBeGreaterThan(0);
        for (const { attname, type } of types) expect(`${attname} ${type}`).toBe(`${attname} ${columns.get(attname)}`);
      } finally {
        await runner.query('DROP TABLE IF EXISTS pg_temp.record_types');
        await runner.release();
      }
    }
  });

  it('stores every payment of a group with its event; the one that breaks a constraint fails alone', async () => {
    const good = Array.from({ length: 7 }, (_, i) => pending({ amount: 100 + i }));
    const bad = pending({ cardBin: 'abcdef' });
    const results = await Promise.allSettled([...good.slice(0, 4), bad, ...good.slice(4)].map(insert));

    expect(results.map((result) => result.status)).toEqual(['fulfilled', 'fulfilled', 'fulfilled', 'fulfilled', 'rejected', 'fulfilled', 'fulfilled', 'fulfilled']);
    const error = (results[4] as PromiseRejectedResult).reason as pg.DatabaseError;
    expect(error).toBeInstanceOf(pg.DatabaseError);
    expect(error.constraint).toBe('payments_card_bin_check');

    for (const payment of good) {
      const stored = await payments.findById(payment.id);
      // next_check_at is the database's clock plus the 60 s given: the reconciler's schedule.
      expect(stored).toEqual({ ...payment, nextCheckAt: expect.any(Date) });
      expect(stored!.nextCheckAt!.getTime() - Date.now()).toBeGreaterThan(50_000);
      expect(await eventTypes(payment.id)).toEqual(['payment.created']);
    }
    expect(await payments.findById(bad.id)).toBeNull();
    expect(await eventTypes(bad.id)).toEqual([]);
  });

  it("writes the planned tries of a group's payments that carry them, with their payments, and none for the others", async () => {
    const withTries = (payment: Payment, tries?: TryPlan) =>
      payments.insertPending(payment, paymentEvent('payment.created', payment), 60_000, tries).then(
        () => 'stored',
        () => 'refused',
      );
    const plan = (payment: Payment, skips: number): TryPlan => ({
      skipped: Array.from({ length: skips }, () => ({
        id: newId('attempt'),
        paymentId: payment.id,
        acquirerId: SIMULATOR_ACQUIRER_ID,
        outcome: 'skipped' as const,
        declineCode: null,
        error: 'acquirer down',
        httpStatus: null,
        durationMs: 0,
        acquirerReference: null,
      })),
      first: { id: newId('attempt'), acquirerId: SIMULATOR_ACQUIRER_ID },
    });
    // Alternated (one in two with a skip before its first try), so that the calls queued behind
    // the first two go out as one mixed statement.
    const group = Array.from({ length: 8 }, (_, i) => {
      const payment = pending({ amount: 200 + i });
      return { payment, tries: i % 2 === 0 ? plan(payment, i % 4 === 0 ? 1 : 0) : undefined };
    });
    expect(await Promise.all(group.map(({ payment, tries }) => withTries(payment, tries)))).toEqual(Array(8).fill('stored'));
    // A payment the database refuses takes its tries with it.
    const badPayment = pending({ cardBin: 'abcdef' });
    const bad = { payment: badPayment, tries: plan(badPayment, 1) };
    expect(await withTries(bad.payment, bad.tries)).toBe('refused');

    const rows = (await t().dataSource.query(
      `SELECT t.id, t.payment_id, t.outcome, t.error, t.xmin = e.xmin AS with_payment
         FROM payment_attempts t LEFT JOIN payment_events e ON e.payment_id = t.payment_id AND e.type = 'payment.created'
        WHERE t.payment_id = ANY($1) ORDER BY t.id COLLATE "C"`,
      [[...group, bad].map(({ payment }) => payment.id)],
    )) as Record<string, unknown>[];
    const expected = group
      .flatMap(({ payment, tries }) =>
        tries
          ? [
              ...tries.skipped.map((skip) => ({ id: skip.id, payment_id: payment.id, outcome: 'skipped', error: 'acquirer down', with_payment: true })),
              { id: tries.first.id, payment_id: payment.id, outcome: null, error: null, with_payment: true },
            ]
          : [],
      )
      .sort((a, b) => (a.id < b.id ? -1 : 1));
    expect(expected).toHaveLength(6);
    expect(rows).toEqual(expected);
  });

  it("fans a group's events out to the endpoints of each event's merchant and mode, and no others", async () => {
    const other = await createMerchant(t());
    // Loopback, never listening here: only the deliveries' rows are looked at.
    const register = async (who: TestMerchant, events: string[]) =>
      ((await t().http().post('/v1/webhook-endpoints').set(who.auth).send({ url: 'http://127.0.0.1:9/hook', events }).expect(201)).body as { id: string }).id;
    const everything = await register(merchant, ['*']);
    const createdOnly = await register(merchant, ['payment.created']);
    await register(merchant, ['payment.captured']); // not a created event's
    const testMode = await register(await issueKey(t(), merchant, 'test'), ['*']);

    const live = Array.from({ length: 3 }, () => pending());
    const test = pending({ livemode: false });
    const elsewhere = pending({ merchantId: other.id });
    await Promise.all([...live, test, elsewhere].map(insert));

    const deliveries = async (payment: Payment) =>
      (
        (await t().dataSource.query(
          `SELECT d.endpoint_id FROM webhook_deliveries d JOIN payment_events e ON e.id = d.event_id WHERE e.payment_id = $1 ORDER BY d.endpoint_id`,
          [payment.id],
        )) as { endpoint_id: string }[]
      ).map((row) => row.endpoint_id);
    for (const payment of live) expect(await deliveries(payment)).toEqual([everything, createdOnly].sort());
    expect(await deliveries(test)).toEqual([testMode]);
    expect(await deliveries(elsewhere)).toEqual([]);
  });

  it('settles every pending payment of a group, and leaves alone the one that was no longer pending', async () => {
    const group = Array.from({ length: 8 }, (_, i) => pending({ amount: 200 + i }));
    for (const payment of group) await insert(payment);
    const settledElsewhere = group[5]!;
    await t().dataSource.query(`UPDATE payments SET status = 'failed', next_check_at = NULL WHERE id = $1`, [settledElsewhere.id]);

    const updatedAt = new Date();
    const results = await Promise.all(
      group.map((payment, i) =>
        payments.settlePending(
          payment,
          {
            status: 'captured',
            historyStatus: 'active',
            amountCaptured: payment.amount,
            bankReference: `bnk_${i}`,
            acquirerId: null,
            declineCode: null,
            failureReason: null,
            nextCheckAt: null,
            checkAttempts: 0,
            updatedAt,
          },
          (after) => paymentEvent('payment.captured', after),
        ),
      ),
    );

    for (const [i, payment] of group.entries()) {
      if (payment === settledElsewhere) {
        expect(results[i]).toBeUndefined();
        expect(await payments.findById(payment.id)).toMatchObject({ status: 'failed', bankReference: null });
        expect(await eventTypes(payment.id)).toEqual(['payment.created']);
        continue;
      }
      const expected = { ...payment, status: 'captured', amountCaptured: payment.amount, bankReference: `bnk_${i}`, nextCheckAt: null, updatedAt };
      expect(results[i]).toEqual(expected);
      expect(await payments.findById(payment.id)).toEqual(expected);
      expect(await eventTypes(payment.id)).toEqual(['payment.created', 'payment.captured']);
    }
  });
});
