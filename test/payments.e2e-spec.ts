import { SIMULATOR_ACQUIRER_ID } from '../src/acquirers/acquirer.entity.js';
import { admin, CARDS, countPayments, createMerchant, paymentBody, type TestMerchant } from './support/fixtures.js';
import { useTestApp } from './support/test-app.js';

const ISO_MS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

describe('Payments (e2e)', () => {
  const t = useTestApp();
  let merchant: TestMerchant;
  beforeEach(async () => {
    merchant = await createMerchant(t());
  });

  const create = (body: object, auth: Record<string, string> = merchant.auth) => t().http().post('/v1/payments').set(auth).send(body);

  it('captures an approved card and answers with the whole payment object', async () => {
    const response = await create(paymentBody()).expect(201);

    expect(response.body).toEqual({
      id: expect.stringMatching(/^pay_[0-9A-Z]{26}$/),
      merchant_id: merchant.id,
      status: 'captured',
      amount: 1050,
      currency: 'EUR',
      amount_captured: 1050,
      amount_refunded: 0,
      card: {
        brand: 'visa',
        last4: '4242',
        bin: '424242',
        expiry_month: 12,
        expiry_year: 2030,
        holder_name: 'Ada Lovelace',
        fingerprint: expect.stringMatching(/^fp_/),
      },
      bank_reference: expect.stringMatching(/^bnk_/),
      acquirer_id: SIMULATOR_ACQUIRER_ID,
      livemode: true,
      decline_code: null,
      failure_reason: null,
      reference: 'order-1234',
      description: '2 books',
      metadata: { cart: 'c_81' },
      history_status: 'active',
      created_at: expect.stringMatching(ISO_MS),
      updated_at: expect.stringMatching(ISO_MS),
    });
    expect(t().bank.calls.filter((call) => call.paymentId === response.body.id)).toHaveLength(1);
  });

  it('fills every optional field with null when it is not given', async () => {
    const body = { amount: 500, currency: 'JPY', card: { number: CARDS.visa, expiry_month: 1, expiry_year: 2031, cvv: '999' } };
    const response = await create(body).expect(201);
    expect(response.body).toMatchObject({
      reference: null,
      description: null,
      metadata: {},
      card: expect.objectContaining({ holder_name: null }),
    });
  });

  it.each([
    ['visa', CARDS.visa, '123'],
    ['mastercard', CARDS.mastercard, '123'],
    ['amex', CARDS.amex, '1234'],
  ])('approves the %s test card', async (brand, number, cvv) => {
    const response = await create(paymentBody({}, { number, cvv })).expect(201);
    expect(response.body).toMatchObject({ status: 'captured', card: { brand, last4: number.slice(-4) } });
  });

  it.each([
    [CARDS.declined, 'card_declined'],
    [CARDS.insufficientFunds, 'insufficient_funds'],
    [CARDS.expiredCard, 'expired_card'],
    [CARDS.incorrectCvc, 'incorrect_cvc'],
    [CARDS.softDecline, 'issuer_unavailable'],
  ])('records card %s as declined with %s', async (number, declineCode) => {
    const response = await create(paymentBody({}, { number })).expect(201);
    expect(response.body).toMatchObject({
      status: 'declined',
      decline_code: declineCode,
      failure_reason: null,
      amount_captured: 0,
      history_status: 'finished',
    });
  });

  it('records a bank error as failed with processing_error', async () => {
    const response = await create(paymentBody({}, { number: CARDS.processingError })).expect(201);
    expect(response.body).toMatchObject({
      status: 'failed',
      failure_reason: 'processing_error',
      decline_code: null,
      bank_reference: null,
      amount_captured: 0,
      history_status: 'finished',
    });
  });

  it('only authorises with capture: false', async () => {
    const response = await create(paymentBody({ capture: false })).expect(201);
    expect(response.body).toMatchObject({ status: 'authorized', amount_captured: 0, history_status: 'active' });
    expect(t().bank.calls.find((call) => call.paymentId === response.body.id)?.capture).toBe(false);
  });

  it('leaves the payment pending when the bank does not answer in time', async () => {
    const response = await create(paymentBody({}, { number: CARDS.timeout })).expect(201);
    expect(response.body).toMatchObject({ status: 'pending', history_status: 'active', bank_reference: null });
  });

  it('writes the payment and its events in the database', async () => {
    const response = await create(paymentBody()).expect(201);
    const events = (await t().dataSource.query(
      'SELECT type, data FROM payment_events WHERE payment_id = $1 ORDER BY created_at, id',
      [response.body.id],
    )) as { type: string; data: { object: { status: string } } }[];
    expect(events.map((event) => [event.type, event.data.object.status])).toEqual([
      ['payment.created', 'pending'],
      ['payment.captured', 'captured'],
    ]);
    const [row] = (await t().dataSource.query('SELECT status, payment_history_status, amount FROM payments WHERE id = $1', [
      response.body.id,
    ])) as object[];
    expect(row).toEqual({ status: 'captured', payment_history_status: 'active', amount: 1050 });
  });

  describe('many at once (concurrent writes share one statement and commit)', () => {
    const cases = [
      { number: CARDS.visa, capture: true, status: 'captured', history: 'active', events: ['payment.created', 'payment.captured'] },
      { number: CARDS.visa, capture: false, status: 'authorized', history: 'active', events: ['payment.created', 'payment.authorized'] },
      { number: CARDS.declined, capture: true, status: 'declined', history: 'finished', events: ['payment.created', 'payment.declined'] },
      { number: CARDS.processingError, capture: true, status: 'failed', history: 'finished', events: ['payment.created', 'payment.failed'] },
    ];

    it('gives each of 40 concurrent payments its own outcome, row, events and bank record', async () => {
      const sent = Array.from({ length: 40 }, (_, i) => ({ ...cases[i % cases.length]!, amount: 100 + i }));
      const responses = await Promise.all(
        sent.map((c) => create(paymentBody({ amount: c.amount, capture: c.capture, reference: `batch-${c.amount}` }, { number: c.number }))),
      );
      for (const [i, response] of responses.entries()) {
        expect(response.status).toBe(201);
        expect(response.body).toMatchObject({ status: sent[i]!.status, amount: sent[i]!.amount, reference: `batch-${sent[i]!.amount}` });
      }
      const ids = responses.map((response) => response.body.id as string);
      const rows = (await t().dataSource.query(
        `SELECT id, status, payment_history_status AS history, amount, next_check_at, card_last4 FROM payments WHERE id = ANY($1)`,
        [ids],
      )) as { id: string; status: string; history: string; amount: number; next_check_at: Date | null; card_last4: string }[];
      const byId = new Map(rows.map((row) => [row.id, row]));
      const events = (await t().dataSource.query(
        `SELECT payment_id, type FROM payment_events WHERE payment_id = ANY($1) ORDER BY payment_id, seq`,
        [ids],
      )) as { payment_id: string; type: string }[];
      const ledger = (await t().dataSource.query(`SELECT key, amount FROM bank_simulator.operations WHERE key = ANY($1)`, [
        ids,
      ])) as { key: string; amount: number }[];
      for (const [i, id] of ids.entries()) {
        expect(byId.get(id)).toEqual({
          id,
          status: sent[i]!.status,
          history: sent[i]!.history,
          amount: sent[i]!.amount,
          next_check_at: null,
          card_last4: sent[i]!.number.slice(-4),
        });
        expect(events.filter((event) => event.payment_id === id).map((event) => event.type)).toEqual(sent[i]!.events);
        expect(ledger.filter((entry) => entry.key === id)).toEqual([{ key: id, amount: sent[i]!.amount }]);
      }
    });
  });

  it('reads a payment back by id', async () => {
    const created = await create(paymentBody()).expect(201);
    const read = await t().http().get(`/v1/payments/${created.body.id}`).set(merchant.auth).expect(200);
    expect(read.body).toEqual(created.body);
  });

  describe('merchant isolation', () => {
    it("answers 404 for another merchant's payment and leaves it out of lists", async () => {
      const other = await createMerchant(t(), 'Other merchant');
      const theirs = await create(paymentBody({ reference: 'theirs' }), other.auth).expect(201);

      const read = await t().http().get(`/v1/payments/${theirs.body.id}`).set(merchant.auth).expect(404);
      expect(read.body.error).toMatchObject({ type: 'not_found_error', param: 'id' });

      const list = await t().http().get('/v1/payments').query({ limit: 100 }).set(merchant.auth).expect(200);
      expect(list.body.data.map((p: { id: string }) => p.id)).not.toContain(theirs.body.id);
      const byReference = await t().http().get('/v1/payments').query({ reference: 'theirs' }).set(merchant.auth).expect(200);
      expect(byReference.body.data).toEqual([]);
    });

    it('lets the admin read and list across merchants', async () => {
      const other = await createMerchant(t(), 'Other merchant');
      const mine = await create(paymentBody()).expect(201);
      const theirs = await create(paymentBody(), other.auth).expect(201);

      await t().http().get(`/v1/payments/${theirs.body.id}`).set(admin).expect(200);
      const all = await t().http().get('/v1/payments').query({ limit: 100 }).set(admin).expect(200);
      const ids = all.body.data.map((p: { id: string }) => p.id);
      expect(ids).toEqual(expect.arrayContaining([mine.body.id, theirs.body.id]));

      const onlyOther = await t().http().get('/v1/payments').query({ merchant_id: other.id }).set(admin).expect(200);
      expect(onlyOther.body.data.map((p: { id: string }) => p.id)).toEqual([theirs.body.id]);
    });
  });

  describe('authentication', () => {
    it('refuses a request without a key, or with an unknown key', async () => {
      const missing = await t().http().get('/v1/payments').expect(401);
      expect(missing.body.error).toMatchObject({ type: 'authentication_error', code: 'api_key_missing' });
      const unknown = await t().http().get('/v1/payments').set('Authorization', 'Bearer sk_nope').expect(401);
      expect(unknown.body.error).toMatchObject({ type: 'authentication_error', code: 'api_key_invalid' });
    });

    it('refuses a revoked key at once, and stores nothing it sends', async () => {
      await t().http().get('/v1/payments').set(merchant.auth).expect(200);
      await t().http().delete(`/v1/admin/api-keys/${merchant.keyId}`).set(admin).expect(204);

      const response = await create(paymentBody()).expect(401);
      expect(response.body.error.type).toBe('authentication_error');
      expect(await countPayments(t(), merchant.id)).toBe(0);
    });

    it('refuses a merchant key on admin routes with 403', async () => {
      const response = await t().http().get('/v1/admin/merchants').set(merchant.auth).expect(403);
      expect(response.body.error).toMatchObject({ type: 'permission_error', code: 'permission_denied' });
    });
  });

  describe('lists', () => {
    /** Creates payments one second apart (some sharing a second), oldest first. */
    async function seed(count: number, body: (i: number) => object = () => paymentBody()): Promise<string[]> {
      const ids: string[] = [];
      for (let i = 0; i < count; i++) {
        t().clock.set(new Date(Date.UTC(2026, 10, 25, 12, 0, Math.floor(i / 2))));
        ids.push((await create(body(i)).expect(201)).body.id);
      }
      return ids;
    }

    it('visits every payment exactly once, newest first, page by page', async () => {
      const created = await seed(25);
      const seen: string[] = [];
      let cursor: string | undefined;
      let pages = 0;
      do {
        const page = await t().http().get('/v1/payments').query({ limit: 7, ...(cursor && { cursor }) }).set(merchant.auth).expect(200);
        seen.push(...page.body.data.map((p: { id: string }) => p.id));
        expect(page.body.has_more).toBe(page.body.next_cursor !== null);
        cursor = page.body.next_cursor ?? undefined;
        pages++;
      } while (cursor);
      expect(pages).toBe(4);
      expect(seen).toEqual([...created].reverse());
    });

    it('filters by status, reference and creation time', async () => {
      const ids = await seed(6, (i) =>
        paymentBody({ reference: `ref-${i % 2}` }, i === 5 ? { number: CARDS.declined } : {}),
      );
      const list = (query: object) =>
        t().http().get('/v1/payments').query(query).set(merchant.auth).expect(200)
          .then((response) => response.body.data.map((p: { id: string }) => p.id));

      expect(await list({ status: 'declined' })).toEqual([ids[5]]);
      expect(await list({ reference: 'ref-0' })).toEqual([ids[4], ids[2], ids[0]]);
      expect(await list({ created_gte: '2026-11-25T12:00:01.000Z', created_lt: '2026-11-25T12:00:02.000Z' })).toEqual([
        ids[3],
        ids[2],
      ]);
      expect(await list({ history_status: 'finished' })).toEqual([ids[5]]);
    });
  });
});
