import { admin, CARDS, createMerchant, paymentBody, type TestMerchant } from './support/fixtures.js';
import { useTestApp } from './support/test-app.js';

describe('Admin (e2e)', () => {
  const t = useTestApp();

  const eventTypes = async (paymentId: string): Promise<string[]> =>
    ((await t().dataSource.query('SELECT type FROM payment_events WHERE payment_id = $1 ORDER BY created_at, id', [paymentId])) as {
      type: string;
    }[]).map((row) => row.type);

  describe('merchants and API keys', () => {
    it('creates a merchant, issues a key shown once, and stores only its hash', async () => {
      const merchant = await t().http().post('/v1/admin/merchants').set(admin).send({ name: 'Acme Books' }).expect(201);
      expect(merchant.body).toEqual({
        id: expect.stringMatching(/^mer_[0-9A-Z]{26}$/),
        name: 'Acme Books',
        created_at: expect.any(String),
      });

      const key = await t().http().post(`/v1/admin/merchants/${merchant.body.id}/api-keys`).set(admin).expect(201);
      expect(key.body).toEqual({
        id: expect.stringMatching(/^key_/),
        object: 'api_key',
        merchant_id: merchant.body.id,
        revoked_at: null,
        key: expect.stringMatching(/^sk_live_[A-Za-z0-9_-]{32}$/),
        prefix: key.body.key.slice(0, 16),
        livemode: true,
        created_at: expect.any(String),
      });
      const rows = (await t().dataSource.query('SELECT * FROM api_keys WHERE id = $1', [key.body.id])) as object[];
      expect(JSON.stringify(rows)).not.toContain(key.body.key);

      await t().http().get('/v1/payments').set('Authorization', `Bearer ${key.body.key}`).expect(200);
    });

    it('lists merchants newest first with keyset pagination', async () => {
      const names = ['m-a', 'm-b', 'm-c'];
      for (const [i, name] of names.entries()) {
        t().clock.set(new Date(Date.UTC(2099, 0, 1, 0, 0, i)));
        await t().http().post('/v1/admin/merchants').set(admin).send({ name }).expect(201);
      }
      const first = await t().http().get('/v1/admin/merchants').query({ limit: 2 }).set(admin).expect(200);
      expect(first.body.data.map((m: { name: string }) => m.name)).toEqual(['m-c', 'm-b']);
      expect(first.body.has_more).toBe(true);
      const second = await t().http().get('/v1/admin/merchants').query({ limit: 1, cursor: first.body.next_cursor }).set(admin).expect(200);
      expect(second.body.data.map((m: { name: string }) => m.name)).toEqual(['m-a']);
    });

    it.each([
      [{}, 'parameter_missing', 'name'],
      [{ name: '' }, 'parameter_invalid', 'name'],
      [{ name: 'x', extra: 1 }, 'parameter_unknown', 'extra'],
    ])('refuses merchant body %j', async (body, code, param) => {
      const response = await t().http().post('/v1/admin/merchants').set(admin).send(body).expect(400);
      expect(response.body.error).toMatchObject({ type: 'invalid_request_error', code, param });
    });

    it('answers 404 for a key of an unknown or malformed merchant, and for an unknown key id', async () => {
      await t().http().post('/v1/admin/merchants/mer_01JDQ3R6X8M2K9V4T7B5N1C0AZ/api-keys').set(admin).expect(404);
      await t().http().post('/v1/admin/merchants/nope/api-keys').set(admin).expect(404);
      const response = await t().http().delete('/v1/admin/api-keys/key_01JDQ3R6X8M2K9V4T7B5N1C0AZ').set(admin).expect(404);
      expect(response.body.error.type).toBe('not_found_error');
    });

    it('revokes a key once and for all; revoking again is harmless', async () => {
      const merchant = await createMerchant(t());
      await t().http().delete(`/v1/admin/api-keys/${merchant.keyId}`).set(admin).expect(204);
      await t().http().delete(`/v1/admin/api-keys/${merchant.keyId}`).set(admin).expect(204);
      await t().http().get('/v1/payments').set(merchant.auth).expect(401);
    });
  });

  describe('archive', () => {
    let merchant: TestMerchant;
    beforeEach(async () => {
      merchant = await createMerchant(t());
      t().clock.set('2026-11-25T12:00:00.000Z');
    });

    const pay = async (overrides: Record<string, unknown> = {}, card: Record<string, unknown> = {}) =>
      (await t().http().post('/v1/payments').set(merchant.auth).send(paymentBody(overrides, card)).expect(201)).body;

    it('archives a captured payment: hidden from lists, still readable, with an event', async () => {
      const payment = await pay();
      const archived = await t().http().post(`/v1/admin/payments/${payment.id}/archive`).set(admin).expect(200);
      expect(archived.body).toMatchObject({ id: payment.id, status: 'captured', history_status: 'archived' });

      const list = await t().http().get('/v1/payments').set(merchant.auth).expect(200);
      expect(list.body.data).toEqual([]);
      const archivedList = await t().http().get('/v1/payments').query({ history_status: 'archived' }).set(merchant.auth).expect(200);
      expect(archivedList.body.data.map((p: { id: string }) => p.id)).toEqual([payment.id]);
      await t().http().get(`/v1/payments/${payment.id}`).set(merchant.auth).expect(200);
      expect(await eventTypes(payment.id)).toEqual(['payment.created', 'payment.captured', 'payment.archived']);

      // Archiving again changes nothing and records nothing.
      await t().http().post(`/v1/admin/payments/${payment.id}/archive`).set(admin).expect(200);
      expect(await eventTypes(payment.id)).toHaveLength(3);
    });

    it.each([
      ['authorized', { capture: false }, {}],
      ['pending', {}, { number: CARDS.timeout }],
    ])('refuses to archive an %s payment with 409', async (status, overrides, card) => {
      const payment = await pay(overrides, card);
      expect(payment.status).toBe(status);
      const response = await t().http().post(`/v1/admin/payments/${payment.id}/archive`).set(admin).expect(409);
      expect(response.body.error.type).toBe('invalid_state_error');
      const [row] = (await t().dataSource.query('SELECT payment_history_status FROM payments WHERE id = $1', [payment.id])) as {
        payment_history_status: string;
      }[];
      expect(row!.payment_history_status).toBe('active');
    });

    it('is admin only and 404 for unknown payments', async () => {
      const payment = await pay();
      await t().http().post(`/v1/admin/payments/${payment.id}/archive`).set(merchant.auth).expect(403);
      await t().http().post('/v1/admin/payments/pay_01JDQ3R6X8M2K9V4T7B5N1C0AZ/archive').set(admin).expect(404);
    });

    it('archives in bulk what was created before a date, skipping authorised payments, once', async () => {
      t().clock.set('2026-11-01T00:00:00.000Z');
      const old = await pay();
      const oldDeclined = await pay({}, { number: CARDS.declined });
      const oldAuthorized = await pay({ capture: false });
      t().clock.set('2026-11-20T00:00:00.000Z');
      const recent = await pay();
      const other = await createMerchant(t());
      t().clock.set('2026-11-01T00:00:00.000Z');
      await t().http().post('/v1/payments').set(other.auth).send(paymentBody()).expect(201);

      const first = await t().http()
        .post('/v1/admin/payments/archive')
        .set(admin)
        .send({ created_lt: '2026-11-10T00:00:00.000Z', merchant_id: merchant.id })
        .expect(200);
      expect(first.body).toEqual({ archived: 2 });
      const second = await t().http()
        .post('/v1/admin/payments/archive')
        .set(admin)
        .send({ created_lt: '2026-11-10T00:00:00.000Z', merchant_id: merchant.id })
        .expect(200);
      expect(second.body).toEqual({ archived: 0 });

      const visible = await t().http().get('/v1/payments').set(merchant.auth).expect(200);
      expect(visible.body.data.map((p: { id: string }) => p.id)).toEqual([recent.id, oldAuthorized.id]);
      expect(await eventTypes(old.id)).toContain('payment.archived');
      expect(await eventTypes(oldDeclined.id)).toContain('payment.archived');

      const others = await t().http().get('/v1/payments').set(other.auth).expect(200);
      expect(others.body.data).toHaveLength(1);
    });

    it.each([
      [{}, 'parameter_missing', 'created_lt'],
      [{ created_lt: 'last week' }, 'parameter_invalid', 'created_lt'],
      [{ created_lt: '2026-11-10T00:00:00.000Z', merchant_id: 'nope' }, 'parameter_invalid', 'merchant_id'],
    ])('refuses bulk archive body %j', async (body, code, param) => {
      const response = await t().http().post('/v1/admin/payments/archive').set(admin).send(body).expect(400);
      expect(response.body.error).toMatchObject({ code, param });
    });
  });
});
