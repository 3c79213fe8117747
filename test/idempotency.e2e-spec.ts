import { randomUUID } from 'node:crypto';
import type { Response } from 'supertest';
import { IdempotencyService } from '../src/idempotency/idempotency.service.js';
import { admin, CARDS, countPayments, createMerchant, paymentBody, type TestMerchant } from './support/fixtures.js';
import { startTestApp, useTestApp, type TestApp } from './support/test-app.js';

type Auth = Record<string, string>;

interface KeyRow {
  scope: string;
  key: string;
  status: string;
  response_status: number | null;
}

/** A key no other run or file can have used: the admin scope is shared by the whole database. */
const uniqueKey = (label: string) => `${label}-${randomUUID()}`;

describe('Idempotency-Key (e2e)', () => {
  const t = useTestApp();
  let merchant: TestMerchant;
  beforeEach(async () => {
    merchant = await createMerchant(t());
  });

  const post = (app: TestApp, path: string, key: string | null, body: object | undefined, auth: Auth) => {
    const request = app.http().post(path).set(auth);
    if (key !== null) request.set('Idempotency-Key', key);
    return body === undefined ? request : request.send(body);
  };
  const create = (key: string | null, body: object = paymentBody(), auth: Auth = merchant.auth, app: TestApp = t()) =>
    post(app, '/v1/payments', key, body, auth);

  /** The merchant's payment ids, from the database. */
  async function paymentIds(app: TestApp, merchantId: string): Promise<string[]> {
    const rows = (await app.dataSource.query('SELECT id FROM payments WHERE merchant_id = $1 ORDER BY id', [merchantId])) as {
      id: string;
    }[];
    return rows.map((row) => row.id);
  }

  async function keyRows(scope: string, key?: string): Promise<KeyRow[]> {
    return (await t().dataSource.query(
      `SELECT scope, key, status, response_status FROM idempotency_keys WHERE scope = $1 ${key === undefined ? '' : 'AND key = $2'}`,
      key === undefined ? [scope] : [scope, key],
    )) as KeyRow[];
  }

  /** Authorisations that reached this app's bank for these payments. */
  const authorisations = (app: TestApp, ids: string[]) => app.bank.calls.filter((call) => ids.includes(call.paymentId));

  const replayed = (response: Response) => response.headers['idempotent-replayed'];

  function expectIdempotencyError(response: Response, status: number, code: string): void {
    expect(response.status).toBe(status);
    expect(response.body.error).toMatchObject({ type: 'idempotency_error', code, request_id: response.headers['x-request-id'] });
  }

  describe('replay', () => {
    it('answers the same key and body with the first response, byte for byte, and charges once', async () => {
      const callsBefore = t().bank.calls.length;

      const first = await create('k1').expect(201);
      expect(replayed(first)).toBeUndefined();
      expect(first.body).toMatchObject({ merchant_id: merchant.id, status: 'captured', amount: 1050 });

      const second = await create('k1').expect(201);
      expect(replayed(second)).toBe('true');
      expect(second.text).toBe(first.text);
      expect(second.headers['content-type']).toBe(first.headers['content-type']);
      // A replay is still a request of its own.
      expect(second.headers['x-request-id']).not.toBe(first.headers['x-request-id']);

      expect(await paymentIds(t(), merchant.id)).toEqual([first.body.id]);
      expect(authorisations(t(), [first.body.id])).toHaveLength(1);
      expect(t().bank.calls.length - callsBefore).toBe(1);
      expect(await keyRows(merchant.id, 'k1')).toEqual([
        { scope: merchant.id, key: 'k1', status: 'completed', response_status: 201 },
      ]);
    });

    it('replays a decline too: a declined payment is a processed request', async () => {
      const body = paymentBody({}, { number: CARDS.declined });
      const first = await create('declined', body).expect(201);
      expect(first.body.status).toBe('declined');
      const second = await create('declined', body).expect(201);
      expect(replayed(second)).toBe('true');
      expect(second.text).toBe(first.text);
      expect(await countPayments(t(), merchant.id)).toBe(1);
      expect(authorisations(t(), [first.body.id])).toHaveLength(1);
    });

    it('treats the structured-field string "k2" and the bare k2 as one key', async () => {
      const first = await create('"k2"').expect(201);
      expect(replayed(first)).toBeUndefined();
      const second = await create('k2').expect(201);
      expect(replayed(second)).toBe('true');
      expect(second.text).toBe(first.text);

      // And the other way round, with an escape in the quoted form.
      const third = await create('k3"x').expect(201);
      const fourth = await create('"k3\\"x"').expect(201);
      expect(replayed(fourth)).toBe('true');
      expect(fourth.text).toBe(third.text);

      expect(await countPayments(t(), merchant.id)).toBe(2);
      expect((await keyRows(merchant.id)).map((row) => row.key).sort()).toEqual(['k2', 'k3"x']);
    });

    it('accepts a key of exactly 255 characters', async () => {
      const key = 'x'.repeat(255);
      const first = await create(key).expect(201);
      const second = await create(key).expect(201);
      expect(replayed(second)).toBe('true');
      expect(second.text).toBe(first.text);
      // Quoted, the header is 257 characters long, but the key is still 255.
      const quoted = await create(`"${key}"`).expect(201);
      expect(replayed(quoted)).toBe('true');
      expect(quoted.text).toBe(first.text);
      expect(await countPayments(t(), merchant.id)).toBe(1);
    });
  });

  describe('another request with the same key', () => {
    it('refuses another body with 422 idempotency_key_reused and stores nothing', async () => {
      const first = await create('k-body').expect(201);
      const callsBefore = t().bank.calls.length;

      const other = await create('k-body', paymentBody({ amount: 2000 }));
      expectIdempotencyError(other, 422, 'idempotency_key_reused');
      // Bytes count: the same JSON written differently is another body.
      const { currency, ...rest } = paymentBody();
      const reordered = await create('k-body', { currency, ...rest });
      expectIdempotencyError(reordered, 422, 'idempotency_key_reused');

      expect(await paymentIds(t(), merchant.id)).toEqual([first.body.id]);
      expect(t().bank.calls.length).toBe(callsBefore);
      expect(await keyRows(merchant.id)).toEqual([
        { scope: merchant.id, key: 'k-body', status: 'completed', response_status: 201 },
      ]);

      // The first answer is still the one kept.
      const again = await create('k-body').expect(201);
      expect(again.text).toBe(first.text);
    });

    it('refuses another path with 422 and does nothing there', async () => {
      const authorised = await create(null, paymentBody({ capture: false })).expect(201);
      const first = await create('k-path').expect(201);
      const operationsBefore = t().bank.operations.length;

      const capture = await post(t(), `/v1/payments/${authorised.body.id}/capture`, 'k-path', { amount: 500 }, merchant.auth);
      expectIdempotencyError(capture, 422, 'idempotency_key_reused');
      const refund = await post(t(), `/v1/payments/${first.body.id}/refunds`, 'k-path', { amount: 100 }, merchant.auth);
      expectIdempotencyError(refund, 422, 'idempotency_key_reused');

      expect(t().bank.operations.length).toBe(operationsBefore);
      const read = await t().http().get(`/v1/payments/${authorised.body.id}`).set(merchant.auth).expect(200);
      expect(read.body).toMatchObject({ status: 'authorized', amount_captured: 0 });
      expect(await countPayments(t(), merchant.id)).toBe(2);
      const refunds = (await t().dataSource.query('SELECT id FROM refunds WHERE payment_id = $1', [first.body.id])) as unknown[];
      expect(refunds).toHaveLength(0);
    });
  });

  describe('scope', () => {
    it('keeps keys per merchant: the same key for two merchants is two payments', async () => {
      const other = await createMerchant(t(), 'Other merchant');
      const mine = await create('shared').expect(201);
      const theirs = await create('shared', paymentBody(), other.auth).expect(201);

      expect(replayed(theirs)).toBeUndefined();
      expect(theirs.body.id).not.toBe(mine.body.id);
      expect(theirs.body.merchant_id).toBe(other.id);
      expect(await paymentIds(t(), merchant.id)).toEqual([mine.body.id]);
      expect(await paymentIds(t(), other.id)).toEqual([theirs.body.id]);
      expect(authorisations(t(), [mine.body.id, theirs.body.id])).toHaveLength(2);
    });

    it("keeps the admin key's keys apart from the merchants'", async () => {
      const key = uniqueKey('admin');
      const byAdmin = await create(key, paymentBody({ merchant_id: merchant.id }), admin).expect(201);
      const byMerchant = await create(key).expect(201);

      expect(replayed(byMerchant)).toBeUndefined();
      expect(byAdmin.body.merchant_id).toBe(merchant.id);
      expect(byMerchant.body.id).not.toBe(byAdmin.body.id);
      expect((await paymentIds(t(), merchant.id)).sort()).toEqual([byAdmin.body.id, byMerchant.body.id].sort());
      expect(authorisations(t(), [byAdmin.body.id, byMerchant.body.id])).toHaveLength(2);

      // Each caller still replays its own.
      const adminAgain = await create(key, paymentBody({ merchant_id: merchant.id }), admin).expect(201);
      expect(replayed(adminAgain)).toBe('true');
      expect(adminAgain.text).toBe(byAdmin.text);
      expect(await keyRows('admin', key)).toHaveLength(1);
      expect(await keyRows(merchant.id, key)).toHaveLength(1);
    });
  });

  describe('failures are not kept', () => {
    it('forgets a request that failed validation: the key then works with a valid body', async () => {
      const invalid = await create('k-400', paymentBody({ amount: 0 })).expect(400);
      expect(invalid.body.error).toMatchObject({ type: 'invalid_request_error', param: 'amount' });
      const badCard = await create('k-400', paymentBody({}, { number: '4242424242424241' })).expect(400);
      expect(badCard.body.error).toMatchObject({ code: 'card_number_invalid' });
      expect(await keyRows(merchant.id)).toEqual([]);
      expect(await countPayments(t(), merchant.id)).toBe(0);

      const valid = await create('k-400').expect(201);
      expect(replayed(valid)).toBeUndefined();
      expect(valid.body.status).toBe('captured');
      expect(authorisations(t(), [valid.body.id])).toHaveLength(1);

      // From now on the key is taken.
      const replay = await create('k-400').expect(201);
      expect(replay.text).toBe(valid.text);
      expectIdempotencyError(await create('k-400', paymentBody({ amount: 0 })), 422, 'idempotency_key_reused');
    });

    it('forgets malformed JSON', async () => {
      const malformed = await t()
        .http()
        .post('/v1/payments')
        .set(merchant.auth)
        .set('Idempotency-Key', 'k-json')
        .set('Content-Type', 'application/json')
        .send('{"amount": ');
      expect(malformed.status).toBe(400);
      expect(malformed.body.error.code).toBe('invalid_json');
      expect(await keyRows(merchant.id)).toEqual([]);
      await create('k-json').expect(201);
    });

    it('forgets a 409 invalid_state', async () => {
      const declined = await create(null, paymentBody({}, { number: CARDS.declined })).expect(201);
      const operationsBefore = t().bank.operations.length;

      const refused = await post(t(), `/v1/payments/${declined.body.id}/capture`, 'k-409', { amount: 500 }, merchant.auth).expect(409);
      expect(refused.body.error).toMatchObject({ type: 'invalid_state_error' });
      expect(await keyRows(merchant.id)).toEqual([]);
      // Sent again, it is judged again (not replayed, not "in use").
      const again = await post(t(), `/v1/payments/${declined.body.id}/capture`, 'k-409', { amount: 500 }, merchant.auth).expect(409);
      expect(again.body.error.type).toBe('invalid_state_error');
      expect(replayed(again)).toBeUndefined();
      expect(t().bank.operations.length).toBe(operationsBefore);

      // The key is free for another request.
      const created = await create('k-409').expect(201);
      expect(replayed(created)).toBeUndefined();
      expect(await countPayments(t(), merchant.id)).toBe(2);
    });
  });

  describe('capture and refunds', () => {
    it('captures once: the replay returns the same body and the bank saw one capture', async () => {
      const authorised = await create(null, paymentBody({ capture: false })).expect(201);
      const path = `/v1/payments/${authorised.body.id}/capture`;

      const first = await post(t(), path, 'cap-1', { amount: 500 }, merchant.auth).expect(200);
      expect(replayed(first)).toBeUndefined();
      expect(first.body).toMatchObject({ id: authorised.body.id, status: 'captured', amount_captured: 500 });
      const second = await post(t(), path, 'cap-1', { amount: 500 }, merchant.auth).expect(200);
      expect(replayed(second)).toBe('true');
      expect(second.text).toBe(first.text);

      const captures = t().bank.operations.filter((op) => op.kind === 'capture' && op.paymentId === authorised.body.id);
      expect(captures).toEqual([{ kind: 'capture', paymentId: authorised.body.id, amount: 500 }]);
      const [row] = (await t().dataSource.query('SELECT status, amount_captured FROM payments WHERE id = $1', [
        authorised.body.id,
      ])) as object[];
      expect(row).toEqual({ status: 'captured', amount_captured: 500 });

      // Another amount under the same key is another request.
      const other = await post(t(), path, 'cap-1', { amount: 400 }, merchant.auth);
      expectIdempotencyError(other, 422, 'idempotency_key_reused');
    });

    it('refunds once: the replay returns the same refund and the bank saw one refund', async () => {
      const payment = await create(null).expect(201);
      const path = `/v1/payments/${payment.body.id}/refunds`;
      const body = { amount: 300, reason: 'requested_by_customer' };

      const first = await post(t(), path, 'ref-1', body, merchant.auth).expect(201);
      expect(replayed(first)).toBeUndefined();
      expect(first.body).toMatchObject({ id: expect.stringMatching(/^re_/), payment_id: payment.body.id, amount: 300, status: 'succeeded' });
      const second = await post(t(), path, 'ref-1', body, merchant.auth).expect(201);
      expect(replayed(second)).toBe('true');
      expect(second.text).toBe(first.text);

      const refunds = t().bank.operations.filter((op) => op.kind === 'refund' && op.paymentId === payment.body.id);
      expect(refunds).toHaveLength(1);
      const rows = (await t().dataSource.query('SELECT id, amount FROM refunds WHERE payment_id = $1', [payment.body.id])) as object[];
      expect(rows).toEqual([{ id: first.body.id, amount: 300 }]);
      const read = await t().http().get(`/v1/payments/${payment.body.id}`).set(merchant.auth).expect(200);
      expect(read.body).toMatchObject({ status: 'partially_refunded', amount_refunded: 300 });

      // A new key is a new refund.
      await post(t(), path, 'ref-2', body, merchant.auth).expect(201);
      expect(t().bank.operations.filter((op) => op.kind === 'refund' && op.paymentId === payment.body.id)).toHaveLength(2);
    });
  });

  describe('invalid keys', () => {
    it.each([
      ['256 characters', 'x'.repeat(256)],
      ['an unterminated quoted string', '"unterminated'],
      ['a quoted empty string', '""'],
      ['a quoted string followed by more', '"a"b'],
    ])('refuses %s with 400 parameter_invalid and stores nothing', async (_label, key) => {
      const callsBefore = t().bank.calls.length;
      const response = await create(key).expect(400);
      expect(response.body.error).toMatchObject({
        type: 'invalid_request_error',
        code: 'parameter_invalid',
        param: 'Idempotency-Key',
        request_id: response.headers['x-request-id'],
      });
      expect(await countPayments(t(), merchant.id)).toBe(0);
      expect(await keyRows(merchant.id)).toEqual([]);
      expect(t().bank.calls.length).toBe(callsBefore);
    });
  });

  describe('retention', () => {
    it('keeps a key at least 24 hours, then purges it and the key can be used again', async () => {
      const age = (hours: number) =>
        t().dataSource.query(`UPDATE idempotency_keys SET created_at = now() - make_interval(hours => $3) WHERE scope = $1 AND key = $2`, [
          merchant.id,
          'k-ttl',
          hours,
        ]);
      const purge = () => t().app.get(IdempotencyService).purge();

      const first = await create('k-ttl').expect(201);

      await age(23);
      await purge();
      expect(await keyRows(merchant.id, 'k-ttl')).toHaveLength(1);
      const replay = await create('k-ttl').expect(201);
      expect(replayed(replay)).toBe('true');
      expect(replay.text).toBe(first.text);

      await age(25);
      expect(await purge()).toBeGreaterThanOrEqual(1);
      expect(await keyRows(merchant.id, 'k-ttl')).toEqual([]);

      const fresh = await create('k-ttl').expect(201);
      expect(replayed(fresh)).toBeUndefined();
      expect(fresh.body.id).not.toBe(first.body.id);
      expect((await paymentIds(t(), merchant.id)).sort()).toEqual([first.body.id, fresh.body.id].sort());
      expect(authorisations(t(), [first.body.id, fresh.body.id])).toHaveLength(2);
    });
  });

  describe('two app instances on one database', () => {
    it('runs a key once across instances', async () => {
      const second = await startTestApp({ BANK_SIMULATOR_LATENCY_MS: '300' });
      try {
        const apps = [t(), second];
        const responses = await Promise.all(
          Array.from({ length: 10 }, (_, i) => create('k-multi', paymentBody(), merchant.auth, apps[i % 2]!)),
        );

        const ids = await paymentIds(t(), merchant.id);
        expect(ids).toHaveLength(1);
        expect(authorisations(t(), ids).length + authorisations(second, ids).length).toBe(1);
        expectOneRunRestReplayedOrInUse(responses);

        // Afterwards, either instance replays it.
        const viaFirst = await create('k-multi').expect(201);
        const viaSecond = await create('k-multi', paymentBody(), merchant.auth, second).expect(201);
        expect(replayed(viaFirst)).toBe('true');
        expect(replayed(viaSecond)).toBe('true');
        expect(viaSecond.text).toBe(viaFirst.text);
        expect(viaFirst.body.id).toBe(ids[0]);
      } finally {
        await second.close();
      }
    });
  });

  it('never stores a response that carries a secret: API keys and webhook secrets ignore the key', async () => {
    const issue = () =>
      t().http().post(`/v1/admin/merchants/${merchant.id}/api-keys`).set(admin).set('Idempotency-Key', uniqueKey('secret')).expect(201);
    const key = uniqueKey('same');
    const issueWith = () => t().http().post(`/v1/admin/merchants/${merchant.id}/api-keys`).set(admin).set('Idempotency-Key', key).expect(201);
    const [first, second] = [await issueWith(), await issueWith()];
    expect(first.body.key).not.toBe(second.body.key);
    expect(second.headers['idempotent-replayed']).toBeUndefined();
    await issue();

    const endpointKey = uniqueKey('endpoint');
    const endpoint = () =>
      t().http()
        .post('/v1/webhook-endpoints')
        .set(merchant.auth)
        .set('Idempotency-Key', endpointKey)
        .send({ url: 'https://127.0.0.1:9/x', events: ['*'] })
        .expect(201);
    const [one, two] = [await endpoint(), await endpoint()];
    expect(one.body.secret).not.toBe(two.body.secret);

    const stored = (await t().dataSource.query(
      `SELECT key FROM idempotency_keys WHERE response_body LIKE '%"key":"sk_%' OR response_body LIKE '%whsec_%'`,
    )) as unknown[];
    expect(stored).toEqual([]);
  });
});

describe('Idempotency-Key under concurrency (e2e)', () => {
  // The bank takes 300 ms, so the first request is still in flight when the others arrive.
  const t = useTestApp({ BANK_SIMULATOR_LATENCY_MS: '300' });

  it('runs 20 concurrent requests with one key exactly once', async () => {
    const merchant = await createMerchant(t());
    const send = () => t().http().post('/v1/payments').set(merchant.auth).set('Idempotency-Key', 'k-race').send(paymentBody());

    const responses = await Promise.all(Array.from({ length: 20 }, send));

    const rows = (await t().dataSource.query('SELECT id FROM payments WHERE merchant_id = $1', [merchant.id])) as { id: string }[];
    expect(rows).toHaveLength(1);
    expect(t().bank.calls.filter((call) => call.paymentId === rows[0]!.id)).toHaveLength(1);
    expectOneRunRestReplayedOrInUse(responses);
    expect(responses.find((r) => r.status === 201)!.body.id).toBe(rows[0]!.id);

    const keys = (await t().dataSource.query('SELECT status, response_status FROM idempotency_keys WHERE scope = $1', [merchant.id])) as object[];
    expect(keys).toEqual([{ status: 'completed', response_status: 201 }]);

    const later = await send().expect(201);
    expect(later.headers['idempotent-replayed']).toBe('true');
    expect(later.body.id).toBe(rows[0]!.id);
  });

  it('keeps concurrent keys apart: 8 keys sent 3 times each at once, each runs once and replays its own answer', async () => {
    // Claims and stored answers that arrive together are written together, one statement each.
    const merchant = await createMerchant(t());
    const keys = Array.from({ length: 8 }, (_, i) => `k-many-${i}`);
    const send = (key: string, amount: number) =>
      t().http().post('/v1/payments').set(merchant.auth).set('Idempotency-Key', key).send(paymentBody({ amount }));

    const responses = await Promise.all(keys.flatMap((key, i) => [0, 1, 2].map(() => send(key, 1000 + i))));

    const rows = (await t().dataSource.query('SELECT id, amount FROM payments WHERE merchant_id = $1 ORDER BY amount', [merchant.id])) as {
      id: string;
      amount: number;
    }[];
    expect(rows.map((row) => row.amount)).toEqual(keys.map((_, i) => 1000 + i));
    for (const [i, key] of keys.entries()) {
      const mine = responses.slice(i * 3, i * 3 + 3);
      expectOneRunRestReplayedOrInUse(mine);
      const ran = mine.find((r) => r.status === 201 && r.headers['idempotent-replayed'] === undefined)!;
      expect(ran.body).toMatchObject({ id: rows[i]!.id, amount: 1000 + i });
      expect(t().bank.calls.filter((call) => call.paymentId === rows[i]!.id)).toHaveLength(1);
      const later = await send(key, 1000 + i).expect(201);
      expect(later.headers['idempotent-replayed']).toBe('true');
      expect(later.text).toBe(ran.text);
    }
    const stored = (await t().dataSource.query('SELECT key, status, response_status FROM idempotency_keys WHERE scope = $1 ORDER BY key', [
      merchant.id,
    ])) as object[];
    expect(stored).toEqual(keys.map((key) => ({ key, status: 'completed', response_status: 201 })));
  });
});

/**
 * Of concurrent requests with one key: exactly one ran (201, not replayed); the others are
 * replays of it (201, same bytes) or 409 idempotency_key_in_use.
 */
function expectOneRunRestReplayedOrInUse(responses: Response[]): void {
  for (const response of responses) {
    expect([201, 409]).toContain(response.status);
  }
  const created = responses.filter((r) => r.status === 201);
  const original = created.filter((r) => r.headers['idempotent-replayed'] === undefined);
  expect(original).toHaveLength(1);
  for (const replay of created) {
    expect(replay.text).toBe(original[0]!.text);
  }
  for (const busy of responses.filter((r) => r.status === 409)) {
    expect(busy.body.error).toMatchObject({ type: 'idempotency_error', code: 'idempotency_key_in_use' });
  }
}
