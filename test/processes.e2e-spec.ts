import { once } from 'node:events';
import { connect } from 'node:net';
import pg from 'pg';
import { Webhook } from 'standardwebhooks';
import { call, createMerchant, kill, start, startReady, waitFor, waitUntilReady, type Answer, type AppProcess, type Env } from './support/processes.js';
import { WebhookReceiver } from './support/receiver.js';

/**
 * The app as it is deployed: `node dist/src/main.js` child processes on the suite's database,
 * stopped with SIGTERM, logging JSON, and two of them side by side on one database.
 */

const ADMIN_KEY = 'process-admin-key-0123456789abcdefghij';

type Json = Record<string, unknown>;

interface Payment {
  id: string;
  status: string;
  amount: number;
  amount_refunded: number;
  reference: string | null;
  card: { brand: string; last4: string };
}

interface PaymentPage {
  data: Payment[];
  has_more: boolean;
  next_cursor: string | null;
}

interface Delivery {
  id: string;
  event_id: string;
  status: string;
  attempt: number;
}

/** Every process of this file: the suite's database, workers on and quick, JSON logs. */
function appEnv(extra: Env = {}): Env {
  const databaseUrl = process.env.DATABASE_URL;
  if (!databaseUrl) throw new Error('DATABASE_URL is unset: the e2e global set-up did not run');
  return {
    DATABASE_URL: databaseUrl,
    ADMIN_API_KEY: ADMIN_KEY,
    WORKERS_ENABLED: 'true',
    RECONCILER_INTERVAL_MS: '200',
    WEBHOOK_WORKER_INTERVAL_MS: '100',
    // Deliveries other files left behind (to dead or unreachable receivers) must not hold up a run.
    WEBHOOK_TIMEOUT_MS: '2000',
    LOG_FORMAT: 'json',
    ...extra,
  };
}

function paymentBody(overrides: Json = {}, card: Json = {}): Json {
  return {
    amount: 1050,
    currency: 'EUR',
    card: { number: '4242424242424242', expiry_month: 12, expiry_year: 2030, cvv: '123', holder_name: 'Ada Lovelace', ...card },
    ...overrides,
  };
}

/** The fetch failure's own code (ECONNREFUSED, …), from the error or its cause. */
function errorCode(error: unknown): string | undefined {
  const cause = (error as { cause?: { code?: string } }).cause;
  return cause?.code ?? (error as { code?: string }).code;
}

/** `200,200,503,503,503` as `200×2, 503×3`. */
function runs(statuses: string[]): string {
  const parts: [string, number][] = [];
  for (const status of statuses) {
    const last = parts.at(-1);
    if (last && last[0] === status) last[1]++;
    else parts.push([status, 1]);
  }
  const text = parts.map(([status, count]) => `${status}×${count}`).join(', ');
  return text.length > 300 ? `${text.slice(0, 300)}… (${statuses.length} in all)` : text;
}

/** The pollers' pause between failed connections. */
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('App processes (e2e)', () => {
  let db: pg.Pool;

  beforeAll(() => {
    db = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: 2 });
  });

  afterAll(async () => {
    await db.end();
  });

  const rows = async <T>(sql: string, params: unknown[]): Promise<T[]> => (await db.query(sql, params)).rows as T[];

  /**
   * Deletes a merchant's payments and everything hanging off them: the log test stores card
   * numbers as merchant text (a reference, a description, an idempotency key) on purpose, and
   * other files scan the whole shared database for them.
   */
  async function forgetPayments(merchantId: string): Promise<void> {
    const client = await db.connect();
    try {
      await client.query('BEGIN');
      await client.query(
        `DELETE FROM webhook_attempts WHERE delivery_id IN (
           SELECT d.id FROM webhook_deliveries d JOIN webhook_endpoints e ON e.id = d.endpoint_id WHERE e.merchant_id = $1)`,
        [merchantId],
      );
      await client.query('DELETE FROM webhook_deliveries WHERE endpoint_id IN (SELECT id FROM webhook_endpoints WHERE merchant_id = $1)', [merchantId]);
      await client.query('DELETE FROM webhook_endpoints WHERE merchant_id = $1', [merchantId]);
      await client.query('DELETE FROM payment_events WHERE merchant_id = $1', [merchantId]);
      await client.query('DELETE FROM refunds WHERE merchant_id = $1', [merchantId]);
      await client.query('DELETE FROM payment_attempts WHERE payment_id IN (SELECT id FROM payments WHERE merchant_id = $1)', [merchantId]);
      await client.query('DELETE FROM payments WHERE merchant_id = $1', [merchantId]);
      await client.query('DELETE FROM idempotency_keys WHERE scope = $1', [merchantId]);
      await client.query('COMMIT');
    } catch (error) {
      await client.query('ROLLBACK');
      throw error;
    } finally {
      client.release();
    }
  }

  it('on SIGTERM fails readiness, keeps serving for SHUTDOWN_DELAY_MS, finishes the payment in flight and exits 0', async () => {
    const delayMs = 500;
    let app: AppProcess | undefined;
    try {
      app = await startReady(appEnv({ BANK_SIMULATOR_LATENCY_MS: '1500', SHUTDOWN_DELAY_MS: String(delayMs) }));
      const { base } = app;
      const merchant = await createMerchant(base, ADMIN_KEY, 'Graceful shutdown');

      // Not awaited: it waits 1.5 s for the bank while the process is told to stop.
      const inflight = call<Payment>(base, 'POST', '/v1/payments', merchant.key, paymentBody()).then(
        (answer) => ({ answer, error: undefined }),
        (error: unknown) => ({ answer: undefined, error }),
      );
      // In flight for sure: the payment is pending and the bank has it (its ledger row is
      // written before it "thinks"), and it answers only 1.5 s later.
      await waitFor(
        async () => (await rows('SELECT b.key FROM bank_simulator.operations b JOIN payments p ON p.id = b.key WHERE p.merchant_id = $1', [merchant.id])).length === 1,
        'the pending payment and its charge at the bank',
      );

      const signalledAt = Date.now();
      expect(app.child.kill('SIGTERM')).toBe(true);

      // Readiness: 200 only until the signal is handled, then 503 while the delay runs; the
      // port may refuse connections only once the delay is over. Two pollers, back to back
      // until the process is gone, keep keep-alive connections busy as a load balancer would
      // (and reuse the payment's once it is answered): the server must close them anyway.
      let gone = false;
      void app.exited.then(() => (gone = true));
      const deadline = Date.now() + 20_000;
      const poll = async (): Promise<string[]> => {
        const seen: string[] = [];
        while (!gone) {
          try {
            const response = await fetch(`${base}/health/ready`);
            await response.arrayBuffer();
            seen.push(String(response.status));
          } catch (error) {
            // Measured from just before the signal was sent: never less than the real time.
            const elapsed = Date.now() - signalledAt;
            if (elapsed < delayMs) {
              throw new Error(`connection failed ${elapsed} ms after SIGTERM, within the ${delayMs} ms delay: ${String(errorCode(error) ?? error)}`, {
                cause: error,
              });
            }
            seen.push('down');
            await sleep(10);
          }
          if (Date.now() > deadline) throw new Error(`still running 20 s after SIGTERM; readiness answers: ${runs(seen)}`);
        }
        return seen;
      };
      for (const seen of await Promise.all([poll(), poll()])) {
        // Ready only until the signal is handled; then never again; once down, down for good.
        expect(runs(seen)).toMatch(/^(200×\d+, )?503×\d+(, down×\d+)?$/);
      }

      const { answer, error } = await inflight;
      expect(error).toBeUndefined();
      expect(answer!.status).toBe(201);
      expect(answer!.body).toMatchObject({ status: 'captured', amount: 1050 });

      expect(await app.exited).toBe(0);
      const output = app.output();
      expect(output).toContain('SIGTERM received');
      expect(output).toContain('Stopped cleanly');

      const [stored] = await rows<{ status: string; amount_captured: number }>('SELECT status, amount_captured FROM payments WHERE id = $1', [
        answer!.body.id,
      ]);
      expect(stored).toEqual({ status: 'captured', amount_captured: 1050 });
      const events = (await rows<{ type: string }>('SELECT type FROM payment_events WHERE payment_id = $1 ORDER BY created_at, id', [answer!.body.id])).map(
        (event) => event.type,
      );
      expect(events[0]).toBe('payment.created');
      expect(events).toContain('payment.captured');

      // Gone: nothing listens any more.
      const after = await fetch(`${base}/health/live`).then(
        () => undefined,
        (failure: unknown) => failure,
      );
      expect(after).toBeDefined();
      expect(errorCode(after)).toBe('ECONNREFUSED');
    } finally {
      await kill(app);
    }
  }, 60_000);

  it('on SIGTERM finishes a payment whose client has gone, before the pool closes', async () => {
    let app: AppProcess | undefined;
    try {
      app = await startReady(appEnv({ BANK_SIMULATOR_LATENCY_MS: '1500' }));
      const merchant = await createMerchant(app.base, ADMIN_KEY, 'Client gone');
      // A raw connection, so that giving up really closes it (fetch may keep it pooled).
      const body = JSON.stringify(paymentBody());
      const socket = connect(app.port, '127.0.0.1');
      await once(socket, 'connect');
      socket.write(
        `POST /v1/payments HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer ${merchant.key}\r\n` +
          `Content-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
      );
      await waitFor(
        async () => (await rows('SELECT id FROM payments WHERE merchant_id = $1', [merchant.id])).length === 1,
        'the pending payment row',
      );
      // The client gives up while the bank is thinking, and the process is told to stop: the
      // server has no connection left to wait for, but the payment's handler still runs.
      socket.destroy();
      await once(socket, 'close');
      expect(app.child.kill('SIGTERM')).toBe(true);

      expect(await app.exited).toBe(0);
      const output = app.output();
      expect(output).toContain('Stopped cleanly');
      expect(output).not.toContain('Cannot use a pool');
      expect(output).not.toContain('Settling after the bank answered failed');
      const stored = await rows<{ status: string; next_check_at: Date | null }>('SELECT status, next_check_at FROM payments WHERE merchant_id = $1', [
        merchant.id,
      ]);
      expect(stored).toEqual([{ status: 'captured', next_check_at: null }]);
    } finally {
      await kill(app);
    }
  }, 60_000);

  it('after a crash (SIGKILL) while the bank was charging, another process settles the payment, charged once', async () => {
    let crashed: AppProcess | undefined;
    let survivor: AppProcess | undefined;
    try {
      crashed = await startReady(appEnv({ BANK_SIMULATOR_LATENCY_MS: '3000', BANK_TIMEOUT_MS: '4000' }));
      const merchant = await createMerchant(crashed.base, ADMIN_KEY, 'Crash');
      const request = call(crashed.base, 'POST', '/v1/payments', merchant.key, paymentBody()).catch((error: unknown) => error);
      // The bank has the charge (its ledger row is written before it "thinks") and the payment
      // is pending: the process dies before it hears the answer.
      await waitFor(
        async () => (await rows('SELECT b.key FROM bank_simulator.operations b JOIN payments p ON p.id = b.key WHERE p.merchant_id = $1', [merchant.id])).length === 1,
        'the pending payment and its charge at the bank',
      );
      crashed.child.kill('SIGKILL');
      await crashed.exited;
      expect(errorCode(await request)).toBeDefined();
      const [pending] = await rows<{ id: string; status: string }>('SELECT id, status FROM payments WHERE merchant_id = $1', [merchant.id]);
      expect(pending!.status).toBe('pending');

      // Another process, as after a restart: its reconciler asks the bank once the retry time
      // (BANK_TIMEOUT_MS + 2 s after the insert) has come, and settles what the bank says.
      survivor = await startReady(appEnv({ BANK_SIMULATOR_LATENCY_MS: '0' }));
      await waitFor(
        async () => (await rows<{ status: string }>('SELECT status FROM payments WHERE id = $1', [pending!.id]))[0]!.status !== 'pending',
        'the reconciler to settle the payment',
        20_000,
      );
      const [settled] = await rows('SELECT status, amount_captured, next_check_at FROM payments WHERE id = $1', [pending!.id]);
      expect(settled).toEqual({ status: 'captured', amount_captured: 1050, next_check_at: null });
      expect(await rows('SELECT kind FROM bank_simulator.operations WHERE key = $1', [pending!.id])).toEqual([{ kind: 'authorization' }]);
      const events = await call<{ data: { type: string }[] }>(survivor.base, 'GET', `/v1/payments/${pending!.id}/events`, merchant.key);
      expect(events.body.data.map((event) => event.type)).toEqual(['payment.created', 'payment.captured']);
    } finally {
      await kill(crashed);
      await kill(survivor);
    }
  }, 60_000);

  it('logs one JSON object per line, with request ids, and never card data, keys or secrets', async () => {
    const pan = '4111111111111111';
    const amex = '371449635398431';
    const marker = `refmark${Date.now()}`;
    const receiver = new WebhookReceiver();
    let app: AppProcess | undefined;
    let merchantId: string | undefined;
    try {
      const url = await receiver.start();
      app = await startReady(appEnv({ LOG_LEVEL: 'verbose' }));
      const { base } = app;
      const merchant = await createMerchant(base, ADMIN_KEY, 'Log hygiene');
      merchantId = merchant.id;

      const endpoint = await call<{ id: string; secret: string }>(base, 'POST', '/v1/webhook-endpoints', merchant.key, { url, events: ['*'] });
      expect(endpoint.status).toBe(201);
      const secret = endpoint.body.secret;
      expect(secret).toMatch(/^whsec_/);

      const visa = { number: pan, cvv: '987' };
      const approved = await call<Payment>(base, 'POST', '/v1/payments', merchant.key, paymentBody({}, visa), { 'Idempotency-Key': `logs-${marker}` });
      expect(approved.status).toBe(201);
      expect(approved.body.status).toBe('captured');
      const replay = await call<Payment>(base, 'POST', '/v1/payments', merchant.key, paymentBody({}, visa), { 'Idempotency-Key': `logs-${marker}` });
      expect(replay.status).toBe(201);
      expect(replay.headers.get('idempotent-replayed')).toBe('true');
      expect(replay.text).toBe(approved.text);

      const declined = await call<Payment>(base, 'POST', '/v1/payments', merchant.key, paymentBody({}, { number: '4000000000000002', cvv: '987' }));
      expect(declined.body.status).toBe('declined');
      const invalid = await call(base, 'POST', '/v1/payments', merchant.key, paymentBody({}, { ...visa, expiry_month: 13 }));
      expect(invalid.status).toBe(400);
      const amexPayment = await call<Payment>(base, 'POST', '/v1/payments', merchant.key, paymentBody({}, { number: amex, cvv: '8642' }));
      expect(amexPayment.status).toBe(201);
      expect(amexPayment.body.card).toMatchObject({ brand: 'amex', last4: '8431' });

      // Log-provoking input. A reference holding a card number is the merchant's business
      // and stored as given; an unknown field named with one is refused.
      const reference = `${marker}-${pan}`;
      const withReference = await call<Payment>(base, 'POST', '/v1/payments', merchant.key, paymentBody({ reference }, visa));
      expect(withReference.status).toBe(201);
      expect(withReference.body.reference).toBe(reference);
      const elsewhere = await call<Payment>(
        base,
        'POST',
        '/v1/payments',
        merchant.key,
        paymentBody({ description: `${marker} ${pan}`, metadata: { [marker]: pan } }, visa),
        { 'Idempotency-Key': `${marker}-${pan}` },
      );
      expect(elsewhere.status).toBe(201);
      const filtered = await call<{ data: Payment[] }>(base, 'GET', `/v1/payments?reference=${encodeURIComponent(reference)}`, merchant.key);
      expect(filtered.body.data.map((p) => p.id)).toEqual([withReference.body.id]);
      expect((await call(base, 'GET', `/v1/payments?cursor=${pan}`, merchant.key)).status).toBe(400);
      expect((await call(base, 'GET', `/v1/payments?created_gte=${pan}`, merchant.key)).status).toBe(400);
      const unknownField = await call<{ error: Json }>(base, 'POST', '/v1/payments', merchant.key, { ...paymentBody({}, visa), [pan]: 'x' });
      expect(unknownField.status).toBe(400);
      expect(unknownField.body.error).toMatchObject({ code: 'parameter_unknown' });
      const malformed = await fetch(`${base}/v1/payments`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${merchant.key}`, 'Content-Type': 'application/json' },
        body: `{"amount": 1050, "card": {"number": "${pan}", "cvv": "987"`,
      });
      expect(malformed.status).toBe(400);
      await malformed.arrayBuffer();
      expect((await call(base, 'GET', `/v1/payments/${pan}?cvv=987`, merchant.key)).status).toBe(404);
      expect((await call(base, 'GET', '/v1/payments', `${ADMIN_KEY}x`)).status).toBe(401);
      expect((await call(base, 'GET', '/v1/payments', 'sk_not_a_key_at_all_000000000000')).status).toBe(401);
      expect((await call(base, 'GET', '/v1/admin/merchants', merchant.key)).status).toBe(403);

      // The deliveries, each verified with the secret.
      const eventIds = async () =>
        (await rows<{ id: string }>('SELECT id FROM payment_events WHERE merchant_id = $1', [merchant.id])).map((row) => row.id);
      await waitFor(async () => {
        const deliveries = await call<{ data: Delivery[] }>(base, 'GET', `/v1/webhook-endpoints/${endpoint.body.id}/deliveries`, merchant.key);
        const expected = await eventIds();
        return deliveries.body.data.length === expected.length && deliveries.body.data.every((delivery) => delivery.status === 'succeeded');
      }, 'every delivery succeeded');
      expect(receiver.received.length).toBeGreaterThanOrEqual((await eventIds()).length);
      for (const request of receiver.received) {
        expect(() => new Webhook(secret).verify(request.body, request.headers as Record<string, string>)).not.toThrow();
      }

      app.child.kill('SIGTERM');
      expect(await app.exited).toBe(0);

      const lines = app.output().split('\n').filter((line) => line.trim() !== '');
      const problems: string[] = [];
      const parsed: Json[] = [];
      for (const line of lines) {
        let entry: Json;
        try {
          entry = JSON.parse(line) as Json;
        } catch {
          problems.push(`not JSON: ${line}`);
          continue;
        }
        parsed.push(entry);
        for (const field of ['level', 'time', 'msg']) {
          if (typeof entry[field] !== 'string') problems.push(`no ${field}: ${line}`);
        }
        if (entry.context === 'HTTP' && !/^req_/.test(String(entry.request_id))) problems.push(`HTTP line without request_id: ${line}`);
        // Method, path, status and time; the id is the line's request_id, not repeated in the message.
        if (entry.context === 'HTTP' && !/^[A-Z]+ \/\S* \d{3} \d+\.\dms$/.test(String(entry.msg))) problems.push(`HTTP line's msg: ${line}`);
      }
      // Tokens, not substrings, where the digits could also occur inside an id or a timestamp.
      const token = (digits: string) => new RegExp(`(?<![0-9A-Za-z])${digits}(?![0-9A-Za-z])`);
      const forbidden: [string, (line: string) => boolean][] = [
        ['the visa PAN', (line) => line.includes(pan)],
        ['the amex PAN', (line) => line.includes(amex)],
        ['the cvv 987', (line) => /cvv\W{0,6}987/i.test(line) || token('987').test(line)],
        ['the cvv 8642', (line) => /cvv\W{0,6}8642/i.test(line) || token('8642').test(line)],
        ['the admin key', (line) => line.includes(ADMIN_KEY)],
        ['the merchant key', (line) => line.includes(merchant.key)],
        ['the webhook secret', (line) => line.includes(secret) || line.includes(secret.slice('whsec_'.length))],
        ['a bearer token', (line) => line.includes('Bearer ')],
        ['merchant text (reference, description, metadata, idempotency key)', (line) => line.includes(marker)],
      ];
      for (const line of lines) {
        for (const [what, found] of forbidden) if (found(line)) problems.push(`${what} in: ${line}`);
      }
      expect(problems).toEqual([]);

      // Not vacuous: the requests were logged, each with its id, through shutdown.
      const http = parsed.filter((entry) => entry.context === 'HTTP');
      expect(http.some((entry) => String(entry.msg).startsWith('POST /v1/payments 201'))).toBe(true);
      expect(http.some((entry) => String(entry.msg).startsWith('GET /v1/payments 401'))).toBe(true);
      expect(parsed.some((entry) => String(entry.msg).includes('Stopped cleanly'))).toBe(true);
    } finally {
      await kill(app);
      await receiver.stop();
      if (merchantId) await forgetPayments(merchantId);
    }
  }, 60_000);

  it('two processes on one database share idempotency keys, refunds, lists and webhook deliveries', async () => {
    const receiver = new WebhookReceiver();
    const apps: AppProcess[] = [];
    try {
      const url = await receiver.start();
      const env = appEnv({ BANK_SIMULATOR_LATENCY_MS: '100' });
      apps.push(...(await Promise.all([start(env), start(env)])));
      await Promise.all(apps.map((app) => waitUntilReady(app.base, app)));
      const bases = apps.map((app) => app.base);
      /** Requests alternate between the two instances. */
      const at = (i: number) => bases[i % 2]!;

      const merchant = await createMerchant(at(0), ADMIN_KEY, 'Two instances');
      const endpoint = await call<{ id: string; secret: string }>(at(1), 'POST', '/v1/webhook-endpoints', merchant.key, { url, events: ['*'] });
      expect(endpoint.status).toBe(201);

      // One Idempotency-Key, sent concurrently to both: one payment, the rest replays or 409s.
      const idempotencyKey = `two-${Date.now()}`;
      const reference = `idem-${Date.now()}`;
      const body = paymentBody({ reference });
      const concurrent = await Promise.all(
        Array.from({ length: 6 }, (_, i) => call<Json>(at(i), 'POST', '/v1/payments', merchant.key, body, { 'Idempotency-Key': idempotencyKey })),
      );
      const created = concurrent.filter((answer) => answer.status === 201);
      expect(created.length).toBeGreaterThanOrEqual(1);
      for (const answer of concurrent.filter((answer) => answer.status !== 201)) {
        expect(answer.status).toBe(409);
        expect(answer.body.error).toMatchObject({ code: 'idempotency_key_in_use' });
      }
      const original = created[0]!;
      for (const answer of created) expect(answer.text).toBe(original.text);
      for (let i = 0; i < 4; i++) {
        const replay = await call(at(i), 'POST', '/v1/payments', merchant.key, body, { 'Idempotency-Key': idempotencyKey });
        expect(replay.status).toBe(201);
        expect(replay.headers.get('idempotent-replayed')).toBe('true');
        expect(replay.text).toBe(original.text);
      }
      const reused = await call<Json>(at(1), 'POST', '/v1/payments', merchant.key, { ...body, amount: 1051 }, { 'Idempotency-Key': idempotencyKey });
      expect(reused.status).toBe(422);
      expect(await rows('SELECT id FROM payments WHERE merchant_id = $1 AND reference = $2', [merchant.id, reference])).toHaveLength(1);

      // 8 concurrent refunds of 300 on 900, across both: exactly 3 go through.
      const payment = await call<Payment>(at(0), 'POST', '/v1/payments', merchant.key, paymentBody({ amount: 900 }));
      expect(payment.body.status).toBe('captured');
      const refunds = await Promise.all(
        Array.from({ length: 8 }, (_, i) => call<Json>(at(i), 'POST', `/v1/payments/${payment.body.id}/refunds`, merchant.key, { amount: 300 })),
      );
      const succeeded = refunds.filter((answer) => answer.status === 201);
      expect(succeeded).toHaveLength(3);
      for (const answer of succeeded) expect(answer.body).toMatchObject({ status: 'succeeded', amount: 300 });
      for (const answer of refunds.filter((answer) => answer.status !== 201)) {
        expect([400, 409]).toContain(answer.status);
        expect(['amount_too_large', 'invalid_state']).toContain((answer.body.error as Json).code);
      }
      for (const base of bases) {
        const read = await call<Payment>(base, 'GET', `/v1/payments/${payment.body.id}`, merchant.key);
        expect(read.body).toMatchObject({ status: 'refunded', amount_refunded: 900 });
      }
      const [sum] = await rows<{ total: number }>(`SELECT coalesce(sum(amount), 0)::int AS total FROM refunds WHERE payment_id = $1 AND status = 'succeeded'`, [
        payment.body.id,
      ]);
      expect(sum!.total).toBe(900);

      // More payments, made through both, then listed through either.
      for (let i = 0; i < 5; i++) {
        const more = await call<Payment>(at(i), 'POST', '/v1/payments', merchant.key, paymentBody({ amount: 100 + i }));
        expect(more.status).toBe(201);
      }
      const lists = await Promise.all(bases.map((base) => call<{ data: Payment[] }>(base, 'GET', '/v1/payments?limit=100', merchant.key)));
      const ids = lists[0]!.body.data.map((p) => p.id);
      expect(ids).toHaveLength(7);
      expect(lists[1]!.body.data.map((p) => p.id)).toEqual(ids);
      expect(lists[1]!.body).toEqual(lists[0]!.body);
      // Keyset pages, each from the other instance, add up to the same list.
      const paged: string[] = [];
      let cursor: string | null = null;
      for (let i = 0; i === 0 || cursor !== null; i++) {
        const page: Answer<PaymentPage> = await call<PaymentPage>(
          at(i),
          'GET',
          `/v1/payments?limit=2${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
          merchant.key,
        );
        paged.push(...page.body.data.map((p) => p.id));
        cursor = page.body.has_more ? page.body.next_cursor : null;
        if (i > 10) throw new Error('pagination does not end');
      }
      expect(paged).toEqual(ids);

      // Every event reaches the receiver exactly once, although both processes dispatch.
      const eventIds = async () =>
        (await rows<{ id: string }>('SELECT id FROM payment_events WHERE merchant_id = $1', [merchant.id])).map((row) => row.id).sort();
      let deliveries: Delivery[] = [];
      let poll = 0;
      await waitFor(async () => {
        const answer = await call<{ data: Delivery[] }>(at(poll++), 'GET', `/v1/webhook-endpoints/${endpoint.body.id}/deliveries`, merchant.key);
        deliveries = answer.body.data;
        return deliveries.length === (await eventIds()).length && deliveries.every((delivery) => delivery.status === 'succeeded');
      }, () => `every delivery succeeded: ${JSON.stringify(deliveries.map((d) => [d.status, d.attempt]))}`);
      expect(deliveries.every((delivery) => delivery.attempt === 1)).toBe(true);

      // Stopped, nothing more can be sent: what the receiver got is final.
      for (const app of apps) app.child.kill('SIGTERM');
      expect(await Promise.all(apps.map((app) => app.exited))).toEqual([0, 0]);
      const received = receiver.received.map((request) => String(request.headers['webhook-id']));
      const duplicates = received.filter((id, index) => received.indexOf(id) !== index);
      expect(duplicates).toEqual([]);
      expect([...received].sort()).toEqual(await eventIds());
      for (const request of receiver.received) {
        expect(() => new Webhook(endpoint.body.secret).verify(request.body, request.headers as Record<string, string>)).not.toThrow();
      }
    } finally {
      await Promise.all(apps.map((app) => kill(app)));
      await receiver.stop();
    }
  }, 60_000);
});
