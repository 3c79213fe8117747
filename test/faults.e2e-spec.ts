import { jest } from '@jest/globals';
import { ApiKeysService } from '../src/auth/api-keys.service.js';
import { Reconciler } from '../src/payments/reconciler.service.js';
import { CARDS, countPayments, createMerchant, paymentBody, type TestMerchant } from './support/fixtures.js';
import { freePort, waitFor } from './support/processes.js';
import { startPrivateDatabase, startPrivateRedis, type FreezableServer } from './support/servers.js';
import { startTestApp, type TestApp } from './support/test-app.js';

type Row = Record<string, unknown>;

/**
 * Faults bounded in time: a dependency that is frozen (alive, connected, silent) is the worst
 * case, since nothing refuses and nothing closes. Each server here is the test's own, frozen
 * with SIGSTOP; a request that hung would hang past the thaw and fail the test on its timeout.
 */
describe('Faults bounded in time (e2e)', () => {
  /** Any warning about Redis or the rate-limit store, however worded. */
  const redisWarnings = (t: TestApp) => t.logger.lines.filter((line) => line.startsWith('warn') && /redis|rate limit/i.test(line));

  describe('a frozen Redis', () => {
    let redis: FreezableServer;
    let t: TestApp;
    let merchant: TestMerchant;

    beforeAll(async () => {
      redis = await startPrivateRedis();
      t = await startTestApp({ REDIS_URL: redis.url, RATE_LIMIT_PER_KEY: '1000', REDIS_TIMEOUT_MS: '50' });
      merchant = await createMerchant(t);
    });
    afterAll(async () => {
      await t?.close();
      await redis?.stop();
    });

    it('lets requests through uncounted while frozen, warns once, and counts again once it answers', async () => {
      const counted = async () => (await t.http().get('/v1/payments').set(merchant.auth)).headers['ratelimit-remaining'] !== undefined;
      // Until its connection is ready, Redis is skipped like a Redis that is down.
      await waitFor(counted, 'requests counted in Redis');

      const warningsBefore = redisWarnings(t).length;
      await redis.freeze();
      let answers;
      try {
        answers = await Promise.all(
          Array.from({ length: 20 }, () => t.http().post('/v1/payments').set(merchant.auth).send(paymentBody())),
        );
      } finally {
        await redis.thaw();
      }
      // Every request was answered while Redis was still frozen, and charged exactly once.
      expect(answers.map((answer) => answer.status)).toEqual(Array(20).fill(201));
      expect(answers.every((answer) => answer.body.status === 'captured')).toBe(true);
      expect(answers.filter((answer) => answer.headers['ratelimit-remaining'] !== undefined).length).toBeLessThanOrEqual(1);
      expect(t.bank.calls.filter((call) => answers.some((answer) => answer.body.id === call.paymentId))).toHaveLength(20);
      // Twenty requests, one warning at most (none if one was logged less than 10 s ago, as the connection was made).
      expect(redisWarnings(t).length - warningsBefore).toBeLessThanOrEqual(1);
      expect(redisWarnings(t).length).toBeGreaterThanOrEqual(1);

      await waitFor(counted, 'requests counted again after the thaw');
    });
  });

  describe('a Redis that is down', () => {
    let t: TestApp;

    beforeAll(async () => {
      // Nothing listens there: every connection is refused.
      t = await startTestApp({ REDIS_URL: `redis://127.0.0.1:${await freePort()}`, RATE_LIMIT_PER_KEY: '1000' });
    });
    afterAll(async () => {
      await t?.close();
    });

    it('serves a burst of 300 requests and warns at most once', async () => {
      const merchant = await createMerchant(t);
      for (let wave = 0; wave < 10; wave++) {
        const answers = await Promise.all(Array.from({ length: 30 }, () => t.http().get('/v1/payments?limit=1').set(merchant.auth)));
        expect(answers.map((answer) => answer.status)).toEqual(Array(30).fill(200));
      }
      expect(redisWarnings(t).length).toBeLessThanOrEqual(1);
    });
  });

  describe('failed authentications per client address', () => {
    let t: TestApp;
    let merchant: TestMerchant;
    const from = (address: string) => ({ 'X-Forwarded-For': address });

    beforeAll(async () => {
      t = await startTestApp({ AUTH_FAILURE_LIMIT_PER_MINUTE: '5', TRUST_PROXY: 'loopback' });
      merchant = await createMerchant(t);
    });
    afterAll(async () => {
      await t?.close();
    });

    it('refuses an address after too many wrong keys, without asking the database, and spares known keys and other addresses', async () => {
      // Known to this instance: the key is checked once, then cached.
      await t.http().get('/v1/payments').set(merchant.auth).set(from('192.0.2.10')).expect(200);
      for (let i = 0; i < 5; i++) {
        const wrong = await t.http().get('/v1/payments').set({ Authorization: `Bearer sk_wrong_${i}` }).set(from('192.0.2.10'));
        expect(wrong.status).toBe(401);
      }
      const authenticate = jest.spyOn(t.app.get(ApiKeysService), 'authenticate');
      try {
        const refused = await t.http().get('/v1/payments').set({ Authorization: 'Bearer sk_wrong_6' }).set(from('192.0.2.10')).expect(429);
        expect(refused.body.error).toMatchObject({ type: 'rate_limit_error', code: 'rate_limited', request_id: refused.headers['x-request-id'] });
        expect(Number(refused.headers['retry-after'])).toBeGreaterThanOrEqual(1);
        expect(authenticate).not.toHaveBeenCalled();
      } finally {
        authenticate.mockRestore();
      }
      await t.http().get('/v1/payments').set(merchant.auth).set(from('192.0.2.10')).expect(200);
      await t.http().get('/v1/payments').set({ Authorization: 'Bearer sk_wrong_7' }).set(from('192.0.2.11')).expect(401);
    });
  });

  describe('a frozen PostgreSQL', () => {
    let database: FreezableServer;
    let t: TestApp;
    let merchant: TestMerchant;

    beforeAll(async () => {
      database = await startPrivateDatabase();
      t = await startTestApp({
        DATABASE_URL: database.url,
        DATABASE_STATEMENT_TIMEOUT_MS: '1000',
        DATABASE_POOL_TIMEOUT_MS: '500',
        BANK_SIMULATOR_LATENCY_MS: '300',
        BANK_TIMEOUT_MS: '2000',
        RECONCILER_BACKOFF_BASE_MS: '50',
        RECONCILER_BACKOFF_MAX_MS: '200',
      });
      merchant = await createMerchant(t);
    }, 60_000);
    afterAll(async () => {
      await database?.thaw();
      await t?.close();
      await database?.stop();
    });

    const query = (sql: string, values: unknown[] = []) => t.dataSource.query(sql, values) as Promise<Row[]>;
    const settleEverything = () =>
      waitFor(
        async () => {
          await t.app.get(Reconciler).runOnce();
          const [row] = await query(`SELECT count(*)::int AS n FROM payments WHERE merchant_id = $1 AND status = 'pending'`, [merchant.id]);
          return row!.n === 0;
        },
        'every payment settled by the reconciler',
      );

    /** No charge without a row, no row charged twice, and each payment's state agrees with the bank's ledger. */
    async function expectLedgerAndPaymentsAgree(): Promise<void> {
      const orphans = await query(
        `SELECT o.key FROM bank_simulator.operations o
          WHERE o.kind = 'authorization' AND NOT EXISTS (SELECT 1 FROM payments p WHERE p.id = o.key)`,
      );
      expect(orphans).toEqual([]);
      const payments = await query(
        `SELECT p.id, p.status, (SELECT count(*)::int FROM bank_simulator.operations o WHERE o.key = p.id) AS charges
           FROM payments p WHERE p.merchant_id = $1`,
        [merchant.id],
      );
      for (const payment of payments) {
        expect(payment.charges).toBeLessThanOrEqual(1);
        expect([payment.status, payment.charges]).toEqual(payment.charges === 1 ? ['captured', 1] : ['failed', 0]);
      }
    }

    it('answers 503 with Retry-After while frozen, asks no bank, and serves again after the thaw', async () => {
      await t.http().get('/v1/payments').set(merchant.auth).expect(200);
      const bankCallsBefore = t.bank.calls.length;
      await database.freeze();
      let answers;
      try {
        answers = await Promise.all([
          ...Array.from({ length: 8 }, () => t.http().post('/v1/payments').set(merchant.auth).send(paymentBody())),
          t.http().get('/v1/payments').set(merchant.auth),
        ]);
        const ready = await t.http().get('/health/ready');
        expect(ready.status).toBe(503);
        expect(ready.body.error).toMatchObject({ code: 'service_unavailable', message: expect.stringContaining('database') });
      } finally {
        await database.thaw();
      }
      for (const answer of answers) {
        expect(answer.status).toBe(503);
        expect(answer.body.error).toMatchObject({
          type: 'api_error',
          code: 'service_unavailable',
          message: expect.stringContaining('did not answer in time'),
          request_id: answer.headers['x-request-id'],
        });
        expect(Number(answer.headers['retry-after'])).toBeGreaterThanOrEqual(1);
      }
      expect(t.bank.calls.length).toBe(bankCallsBefore);

      await waitFor(async () => (await t.http().post('/v1/payments').set(merchant.auth).send(paymentBody())).status === 201, 'a create after the thaw');
      // Inserts the frozen server read before it stopped may commit after the thaw: the
      // reconciler finds that the bank never saw them, and fails them. No money moved.
      await settleEverything();
      await expectLedgerAndPaymentsAgree();
    });

    it('freezing while the bank charges leaves no charge without a row: the reconciler settles each once', async () => {
      const before = t.bank.calls.length;
      const creating = Promise.all(Array.from({ length: 6 }, () => t.http().post('/v1/payments').set(merchant.auth).send(paymentBody({}, { number: CARDS.visa }))));
      // Every payment recorded and its charge in the bank's ledger; the bank is still "thinking".
      await waitFor(async () => {
        if (t.bank.calls.length < before + 6) return false;
        const ids = t.bank.calls.slice(before).map((call) => call.paymentId);
        const [row] = await query(`SELECT count(*)::int AS n FROM bank_simulator.operations WHERE key = ANY($1)`, [ids]);
        return row!.n === 6;
      }, 'six charges in the ledger');
      await database.freeze();
      let answers;
      try {
        answers = await creating;
      } finally {
        await database.thaw();
      }
      // The bank was asked: never a 5xx (that would invite a second charge); the payment is
      // answered as far as it could be recorded.
      for (const answer of answers) {
        expect(answer.status).toBe(201);
        expect(['pending', 'captured']).toContain(answer.body.status);
      }
      await settleEverything();
      await expectLedgerAndPaymentsAgree();
      for (const answer of answers) {
        const [payment] = await query(`SELECT status FROM payments WHERE id = $1`, [answer.body.id]);
        expect(payment).toEqual({ status: 'captured' });
        const events = await query(`SELECT type FROM payment_events WHERE payment_id = $1 ORDER BY created_at, id`, [answer.body.id]);
        expect(events.map((event) => event.type)).toEqual(['payment.created', 'payment.captured']);
      }
      expect(await countPayments(t, merchant.id)).toBeGreaterThanOrEqual(7);
    });
  });
});
