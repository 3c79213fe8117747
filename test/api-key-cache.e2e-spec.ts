import { ApiKeyRevocations } from '../src/auth/api-key-revocations.js';
import { DatabaseNotifications } from '../src/database/database-notifications.js';
import { admin, createMerchant, type TestMerchant } from './support/fixtures.js';
import { useTestApp, type TestApp } from './support/test-app.js';
import { waitFor } from './support/wait-for.js';

/**
 * Checked keys are cached per instance; a revocation must still reach every instance at once,
 * and a cache that cannot hear revocations must not be trusted.
 */
describe('API key cache (two instances on one database)', () => {
  const a = useTestApp();
  const b = useTestApp();
  let merchant: TestMerchant;

  beforeEach(async () => {
    merchant = await createMerchant(a());
  });

  /** Polls B until it refuses the merchant's key: a revocation must reach it within 2 s. */
  async function refusedOnB(): Promise<void> {
    let seen: number | undefined;
    await waitFor(
      async () => (seen = (await b().http().get('/v1/payments').set(merchant.auth)).status) === 401,
      () => `B to refuse the revoked key (last answer: ${seen})`,
      2000,
    );
  }

  /** Whether the instance hears revocations (and so trusts its cache). */
  const listening = (app: TestApp) => app.app.get(ApiKeyRevocations).listening;

  /** Revokes the key in the database without the announcement, as if it had been lost. */
  async function revokeSilently(): Promise<void> {
    await a().dataSource.transaction(async (manager) => {
      await manager.query('ALTER TABLE api_keys DISABLE TRIGGER api_keys_notify_revoked');
      await manager.query('UPDATE api_keys SET revoked_at = now() WHERE id = $1', [merchant.keyId]);
      await manager.query('ALTER TABLE api_keys ENABLE TRIGGER api_keys_notify_revoked');
    });
  }

  it('trusts a key it has checked without asking the database again', async () => {
    await b().http().get('/v1/payments').set(merchant.auth).expect(200);
    await revokeSilently();
    // Only the cache can still know the key: proof that B did not look it up again.
    await b().http().get('/v1/payments').set(merchant.auth).expect(200);
    // An instance that never checked it asks the database, which refuses it.
    await a().http().get('/v1/payments').set(merchant.auth).expect(401);
  });

  it('refuses a key on every instance once another revoked it', async () => {
    await b().http().get('/v1/payments').set(merchant.auth).expect(200);
    await a().http().delete(`/v1/admin/api-keys/${merchant.keyId}`).set(admin).expect(204);
    await refusedOnB();
    await a().http().get('/v1/payments').set(merchant.auth).expect(401);
    const refused = await b().http().post('/v1/payments').set(merchant.auth).send({}).expect(401);
    expect(refused.body.error).toMatchObject({ type: 'authentication_error', code: 'api_key_invalid' });
  });

  it('refuses a key revoked in the database by hand (an operator, not the API)', async () => {
    await b().http().get('/v1/payments').set(merchant.auth).expect(200);
    await a().dataSource.query('UPDATE api_keys SET revoked_at = now() WHERE id = $1', [merchant.keyId]);
    await refusedOnB();
  });

  it('asks the database on every request while it cannot hear revocations, and caches again once it can', async () => {
    await b().http().get('/v1/payments').set(merchant.auth).expect(200);
    // B's listening connection only: other files' instances keep theirs.
    await a().dataSource.query('SELECT pg_terminate_backend($1)', [b().app.get(DatabaseNotifications).backendPid]);
    // Until B notices, its cache is still (rightly) trusted. Should it reconnect before the
    // request below, its cache starts empty: a cached answer is wrong either way.
    await waitFor(() => !listening(b()), 'B to notice its revocation listener is gone');
    // Revoked with no announcement, and the listeners gone: a cached answer would accept it.
    await revokeSilently();
    await b().http().get('/v1/payments').set(merchant.auth).expect(401);

    // Listening again (it reconnects within a second or so), B caches a new key again.
    const fresh = await createMerchant(a());
    await waitFor(() => listening(b()), 'B to listen for revocations again', 5000);
    await b().http().get('/v1/payments').set(fresh.auth).expect(200);
    merchant = fresh;
    await revokeSilently();
    await b().http().get('/v1/payments').set(fresh.auth).expect(200);
  });
});
