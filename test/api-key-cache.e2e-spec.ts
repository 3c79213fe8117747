import { setTimeout as sleep } from 'node:timers/promises';
import { admin, createMerchant, type TestMerchant } from './support/fixtures.js';
import { startTestApp, type TestApp } from './support/test-app.js';

/**
 * Checked keys are cached per instance; a revocation must still reach every instance at once,
 * and a cache that cannot hear revocations must not be trusted.
 */
describe('API key cache (two instances on one database)', () => {
  let a: TestApp;
  let b: TestApp;
  let merchant: TestMerchant;

  beforeAll(async () => {
    a = await startTestApp();
    b = await startTestApp();
  });

  afterAll(async () => {
    await b.close();
    await a.close();
  });

  beforeEach(async () => {
    merchant = await createMerchant(a);
  });

  /** The status B answers for the merchant's key, polled until it is `status` or 2 s have passed. */
  async function statusOnB(status: number): Promise<number> {
    const deadline = Date.now() + 2000;
    for (;;) {
      const { status: seen } = await b.http().get('/v1/payments').set(merchant.auth);
      if (seen === status || Date.now() > deadline) return seen;
      await sleep(20);
    }
  }

  /** Revokes the key in the database without the announcement, as if it had been lost. */
  async function revokeSilently(): Promise<void> {
    await a.dataSource.transaction(async (manager) => {
      await manager.query('ALTER TABLE api_keys DISABLE TRIGGER api_keys_notify_revoked');
      await manager.query('UPDATE api_keys SET revoked_at = now() WHERE id = $1', [merchant.keyId]);
      await manager.query('ALTER TABLE api_keys ENABLE TRIGGER api_keys_notify_revoked');
    });
  }

  it('trusts a key it has checked without asking the database again', async () => {
    await b.http().get('/v1/payments').set(merchant.auth).expect(200);
    await revokeSilently();
    // Only the cache can still know the key: proof that B did not look it up again.
    await b.http().get('/v1/payments').set(merchant.auth).expect(200);
    // An instance that never checked it asks the database, which refuses it.
    await a.http().get('/v1/payments').set(merchant.auth).expect(401);
  });

  it('refuses a key on every instance once another revoked it', async () => {
    await b.http().get('/v1/payments').set(merchant.auth).expect(200);
    await a.http().delete(`/v1/admin/api-keys/${merchant.keyId}`).set(admin).expect(204);
    expect(await statusOnB(401)).toBe(401);
    await a.http().get('/v1/payments').set(merchant.auth).expect(401);
    const refused = await b.http().post('/v1/payments').set(merchant.auth).send({}).expect(401);
    expect(refused.body.error).toMatchObject({ type: 'authentication_error', code: 'api_key_invalid' });
  });

  it('refuses a key revoked in the database by hand (an operator, not the API)', async () => {
    await b.http().get('/v1/payments').set(merchant.auth).expect(200);
    await a.dataSource.query('UPDATE api_keys SET revoked_at = now() WHERE id = $1', [merchant.keyId]);
    expect(await statusOnB(401)).toBe(401);
  });

  it('asks the database on every request while it cannot hear revocations, and caches again once it can', async () => {
    await b.http().get('/v1/payments').set(merchant.auth).expect(200);
    await a.dataSource.query(
      `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'payment-gateway-key-revocations'`,
    );
    // Long enough for the instances to notice, well within the second before they reconnect
    // (which would empty the cache anyway).
    await sleep(300);
    // Revoked with no announcement, and the listeners gone: a cached answer would accept it.
    await revokeSilently();
    await b.http().get('/v1/payments').set(merchant.auth).expect(401);

    // Listening again (it reconnects within a second or so), B caches a new key again.
    const deadline = Date.now() + 5000;
    const fresh = await createMerchant(a);
    let listening = false;
    while (!listening && Date.now() < deadline) {
      await sleep(200);
      const [{ count }] = (await a.dataSource.query(
        `SELECT count(*)::int AS count FROM pg_stat_activity WHERE application_name = 'payment-gateway-key-revocations'`,
      )) as { count: number }[];
      listening = count >= 2;
    }
    expect(listening).toBe(true);
    await b.http().get('/v1/payments').set(fresh.auth).expect(200);
    merchant = fresh;
    await revokeSilently();
    await b.http().get('/v1/payments').set(fresh.auth).expect(200);
  });
});
