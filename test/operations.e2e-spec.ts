import { Redis } from 'ioredis';
import { createHash, randomUUID } from 'node:crypto';
import type { Response } from 'supertest';
import { Lifecycle } from '../src/health/lifecycle.js';
import { admin, bearer, createMerchant, paymentBody } from './support/fixtures.js';
import { startTestApp, useTestApp, type TestApp } from './support/test-app.js';
import { waitFor } from './support/wait-for.js';

/** The contract's error body, with the request id of the response. */
function expectContractError(response: Response, status: number, type: string, code?: string): void {
  expect(response.status).toBe(status);
  expect(response.headers['x-request-id']).toMatch(/^req_[0-9A-Z]{26}$/);
  expect(response.headers['content-type']).toMatch(/^application\/json/);
  expect(response.body).toEqual({
    error: {
      type,
      code: code ?? expect.any(String),
      message: expect.any(String),
      param: null,
      request_id: response.headers['x-request-id'],
    },
  });
}

/** A metric line's value; undefined when the series is absent. */
function sample(text: string, series: string): number | undefined {
  const line = text.split('\n').find((candidate) => candidate.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

describe('Operations (e2e)', () => {
  /** The default app: no metrics token, no rate limit, no CORS. */
  const t = useTestApp();

  describe('GET /metrics', () => {
    it('serves Prometheus text without a key when METRICS_TOKEN is unset', async () => {
      const merchant = await createMerchant(t());
      await t().http().get('/v1/payments').set(merchant.auth).expect(200);
      await t().http().post('/v1/payments').set(merchant.auth).send(paymentBody()).expect(201);
      const key = `metrics-${randomUUID()}`;
      const first = await t().http().post('/v1/payments').set(merchant.auth).set('Idempotency-Key', key).send(paymentBody()).expect(201);
      const replay = await t().http().post('/v1/payments').set(merchant.auth).set('Idempotency-Key', key).send(paymentBody()).expect(201);
      expect(replay.headers['idempotent-replayed']).toBe('true');
      expect(replay.body.id).toBe(first.body.id);

      const response = await t().http().get('/metrics').expect(200);
      expect(response.headers['content-type']).toBe('text/plain; version=0.0.4; charset=utf-8');
      const text = response.text;

      expect(text).toContain('# TYPE gateway_http_request_duration_seconds histogram');
      expect(text).toMatch(/gateway_http_request_duration_seconds_count\{[^}]*route="\/v1\/payments"[^}]*\} [1-9]/);
      expect(text).toMatch(/gateway_http_request_duration_seconds_bucket\{[^}]*method="POST"[^}]*route="\/v1\/payments"[^}]*status="201"/);
      expect(sample(text, 'gateway_payments_total{status="captured"}')).toBeGreaterThanOrEqual(2);
      expect(text).toContain('# TYPE gateway_bank_call_duration_seconds histogram');
      expect(text).toMatch(/gateway_bank_call_duration_seconds_count\{[^}]*outcome="approved"[^}]*\} [1-9]/);
      expect(sample(text, 'gateway_idempotent_replays_total')).toBeGreaterThanOrEqual(1);
      expect(sample(text, 'gateway_reconciler_backlog')).toBeGreaterThanOrEqual(0);
      expect(sample(text, 'gateway_webhook_queue_depth')).toBeGreaterThanOrEqual(0);
      expect(sample(text, 'gateway_database_pool_connections{state="total"}')).toBeGreaterThanOrEqual(1);
      expect(sample(text, 'gateway_database_pool_connections{state="idle"}')).toBeGreaterThanOrEqual(0);
      expect(sample(text, 'gateway_database_pool_connections{state="waiting"}')).toBeGreaterThanOrEqual(0);
    });

    it('never shows card numbers or keys', async () => {
      const merchant = await createMerchant(t());
      await t().http().post('/v1/payments').set(merchant.auth).send(paymentBody()).expect(201);
      const { text } = await t().http().get('/metrics').expect(200);
      expect(text).not.toContain('4242424242424242');
      expect(text).not.toContain(merchant.key);
      expect(text).not.toContain(merchant.id);
    });

    describe('with METRICS_TOKEN', () => {
      const secured = useTestApp({ METRICS_TOKEN: 'secret-token-123' });

      it('refuses a scrape without the token in the contract error shape', async () => {
        expectContractError(await secured().http().get('/metrics'), 401, 'authentication_error');
      });

      it.each([
        ['a wrong token', 'Bearer secret-token-124'],
        ['a longer token', 'Bearer secret-token-1234'],
        ['the admin key', `Bearer ${admin.Authorization.slice('Bearer '.length)}`],
        ['the token without the Bearer scheme', 'secret-token-123'],
      ])('refuses %s with 401', async (_, authorization) => {
        expectContractError(await secured().http().get('/metrics').set('Authorization', authorization), 401, 'authentication_error');
      });

      it('serves the metrics with the right bearer token', async () => {
        const response = await secured().http().get('/metrics').set(bearer('secret-token-123')).expect(200);
        expect(response.text).toContain('gateway_http_request_duration_seconds');
      });
    });
  });

  describe('rate limiting (memory store)', () => {
    const limited = useTestApp({ RATE_LIMIT_PER_KEY: '5' });

    // Merchants are made through the unlimited app: the admin key has a counter of its own.
    it('answers 429 past the limit, in the contract shape with Retry-After, and passes again after the window', async () => {
      const merchant = await createMerchant(t());
      const other = await createMerchant(t());
      const list = (auth: Record<string, string>) => () => limited().http().get('/v1/payments').set(auth);

      const responses = await Promise.all(Array.from({ length: 6 }, list(merchant.auth)));
      const refused = responses.filter((response) => response.status === 429);
      expect(refused.length).toBeGreaterThanOrEqual(1);
      expect(responses.every((response) => response.status === 200 || response.status === 429)).toBe(true);
      for (const response of refused) {
        expectContractError(response, 429, 'rate_limit_error', 'rate_limited');
        expect(Number(response.headers['retry-after'])).toBeGreaterThanOrEqual(1);
      }

      // Another merchant's key has its own counter.
      await list(other.auth)().expect(200);

      const { text } = await limited().http().get('/metrics').expect(200);
      expect(sample(text, 'gateway_rate_limited_total')).toBeGreaterThanOrEqual(refused.length);

      // After the window, the first key passes again.
      await waitFor(async () => (await list(merchant.auth)()).status === 200, 'the key to pass again after the window', 3000);
    });

    it('limits a key on every route, POSTs included', async () => {
      const merchant = await createMerchant(t());
      const responses = await Promise.all(
        Array.from({ length: 7 }, () => limited().http().post('/v1/payments').set(merchant.auth).send(paymentBody())),
      );
      const statuses = responses.map((response) => response.status);
      expect(statuses.filter((status) => status === 429).length).toBeGreaterThanOrEqual(1);
      expect(statuses.every((status) => status === 201 || status === 429)).toBe(true);
    });

    it('never limits health and metrics, with or without a key', async () => {
      const merchant = await createMerchant(t());
      // Use the key up first.
      await Promise.all(Array.from({ length: 7 }, () => limited().http().get('/v1/payments').set(merchant.auth)));
      for (const path of ['/health/live', '/health/ready', '/metrics']) {
        const responses = await Promise.all([
          ...Array.from({ length: 8 }, () => limited().http().get(path)),
          ...Array.from({ length: 8 }, () => limited().http().get(path).set(merchant.auth)),
        ]);
        expect(responses.map((response) => response.status)).toEqual(Array(16).fill(200));
        expect(responses.every((response) => response.headers['retry-after'] === undefined)).toBe(true);
      }
    });
  });

  describe('rate limiting shared through Redis', () => {
    let first: TestApp;
    let second: TestApp;

    beforeAll(async () => {
      const env = { RATE_LIMIT_PER_KEY: '5', REDIS_URL: 'redis://127.0.0.1:6379' };
      first = await startTestApp(env);
      second = await startTestApp(env);
    });
    afterAll(async () => {
      await Promise.all([first?.close(), second?.close()]);
    });

    it('counts one key across two instances', async () => {
      const merchant = await createMerchant(t());
      const responses = await Promise.all([
        ...Array.from({ length: 3 }, () => first.http().get('/v1/payments').set(merchant.auth)),
        ...Array.from({ length: 3 }, () => second.http().get('/v1/payments').set(merchant.auth)),
      ]);
      // The counter lives under the key's hash; the key itself never reaches Redis.
      const redis = new Redis('redis://127.0.0.1:6379');
      try {
        const keys = await redis.keys('gateway:rate:*');
        expect(keys).toContain(`gateway:rate:key:${createHash('sha256').update(merchant.key).digest('hex')}`);
        expect(keys.some((key) => key.includes(merchant.key))).toBe(false);
      } finally {
        await redis.quit();
      }
      const refused = responses.filter((response) => response.status === 429);
      expect(refused.length).toBeGreaterThanOrEqual(1);
      expect(responses.every((response) => response.status === 200 || response.status === 429)).toBe(true);
      for (const response of refused) {
        expectContractError(response, 429, 'rate_limit_error', 'rate_limited');
        expect(Number(response.headers['retry-after'])).toBeGreaterThanOrEqual(1);
      }

      // Another key is unaffected, on either instance.
      const other = await createMerchant(t());
      await first.http().get('/v1/payments').set(other.auth).expect(200);
      await second.http().get('/v1/payments').set(other.auth).expect(200);

      // The shared window ends for both.
      await waitFor(async () => (await second.http().get('/v1/payments').set(merchant.auth)).status === 200, 'the key to pass again after the window', 3000);
    });
  });

  describe('security headers and CORS', () => {
    it('sets helmet headers on successes and errors alike', async () => {
      for (const response of [await t().http().get('/health/live').expect(200), await t().http().get('/v1/payments').expect(401)]) {
        expect(response.headers['x-content-type-options']).toBe('nosniff');
        expect(response.headers['strict-transport-security']).toMatch(/max-age=\d+/);
        expect(response.headers['content-security-policy']).toContain("default-src 'self'");
        expect(response.headers['x-frame-options']).toBe('SAMEORIGIN');
        expect(response.headers['x-powered-by']).toBeUndefined();
      }
    });

    it('sends no CORS headers by default', async () => {
      const merchant = await createMerchant(t());
      const get = await t().http().get('/v1/payments').set(merchant.auth).set('Origin', 'https://shop.example').expect(200);
      expect(get.headers['access-control-allow-origin']).toBeUndefined();
      const preflight = await t()
        .http()
        .options('/v1/payments')
        .set('Origin', 'https://shop.example')
        .set('Access-Control-Request-Method', 'POST')
        .set('Access-Control-Request-Headers', 'authorization,content-type');
      expect(preflight.headers['access-control-allow-origin']).toBeUndefined();
    });

    describe('with CORS_ORIGINS', () => {
      const cors = useTestApp({ CORS_ORIGINS: 'https://shop.example' });

      it('allows the configured origin, preflight and request', async () => {
        const preflight = await cors()
          .http()
          .options('/v1/payments')
          .set('Origin', 'https://shop.example')
          .set('Access-Control-Request-Method', 'POST')
          .set('Access-Control-Request-Headers', 'authorization,content-type,idempotency-key');
        expect(preflight.status).toBeLessThan(300);
        expect(preflight.headers['access-control-allow-origin']).toBe('https://shop.example');
        expect(preflight.headers['access-control-allow-methods']).toContain('POST');
        expect(preflight.headers['access-control-allow-headers']?.toLowerCase()).toContain('authorization');

        const merchant = await createMerchant(t());
        const get = await cors().http().get('/v1/payments').set(merchant.auth).set('Origin', 'https://shop.example').expect(200);
        expect(get.headers['access-control-allow-origin']).toBe('https://shop.example');
      });

      it('does not allow another origin', async () => {
        const merchant = await createMerchant(t());
        const get = await cors().http().get('/v1/payments').set(merchant.auth).set('Origin', 'https://evil.example').expect(200);
        expect(get.headers['access-control-allow-origin']).toBeUndefined();
        const preflight = await cors()
          .http()
          .options('/v1/payments')
          .set('Origin', 'https://evil.example')
          .set('Access-Control-Request-Method', 'POST');
        expect(preflight.headers['access-control-allow-origin']).toBeUndefined();
      });
    });

    it('still serves Swagger UI at /docs, its scripts allowed by the content security policy', async () => {
      const ui = await t().http().get('/docs').expect(200);
      expect(ui.headers['content-type']).toMatch(/^text\/html/);
      expect(ui.text).toContain('swagger');
      // helmet's policy allows scripts from 'self' only: no inline script may carry the UI.
      const csp = ui.headers['content-security-policy'] as string;
      expect(csp).toMatch(/script-src 'self'/);
      expect(ui.text).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>\s*\S/);
      const sources = [...ui.text.matchAll(/<(?:script[^>]*\bsrc|link[^>]*rel="stylesheet"[^>]*\bhref)="([^"]+)"/g)].map((match) => match[1]!);
      expect(sources.length).toBeGreaterThanOrEqual(4);
      for (const source of sources) {
        const url = new URL(source, 'http://gateway.test/docs');
        expect(url.host).toBe('gateway.test');
        await t().http().get(url.pathname).expect(200);
      }
    });
  });

  describe('readiness', () => {
    it('is ready normally, 503 naming lifecycle while stopping, and stays live', async () => {
      await t().http().get('/health/ready').expect(200);
      const lifecycle = t().app.get(Lifecycle);
      lifecycle.stopping = true;
      try {
        const ready = await t().http().get('/health/ready');
        expectContractError(ready, 503, 'api_error', 'service_unavailable');
        expect(ready.body.error.message).toContain('lifecycle');
        expect(ready.body.error.message).not.toContain('database');
        const live = await t().http().get('/health/live').expect(200);
        expect(live.body.status).toBe('ok');
      } finally {
        lifecycle.stopping = false;
      }
      await t().http().get('/health/ready').expect(200);
    });
  });

  describe('body size', () => {
    it('answers a body over 100 kB with 413 body_too_large in the contract shape, storing nothing', async () => {
      const merchant = await createMerchant(t());
      const body = paymentBody({ description: 'x'.repeat(101 * 1024) });
      const response = await t().http().post('/v1/payments').set(merchant.auth).send(body);
      expectContractError(response, 413, 'invalid_request_error', 'body_too_large');
      const { body: list } = await t().http().get('/v1/payments').set(merchant.auth).expect(200);
      expect(list.data).toEqual([]);
    });

    it('answers a chunked body over 100 kB the same way', async () => {
      const merchant = await createMerchant(t());
      const request = t().http().post('/v1/payments').set(merchant.auth).set('Content-Type', 'application/json');
      request.write(JSON.stringify(paymentBody({ description: 'y'.repeat(60 * 1024) })).slice(0, -1));
      request.write(`,"reference":"${'z'.repeat(60 * 1024)}"}`);
      const response = await request;
      expectContractError(response, 413, 'invalid_request_error', 'body_too_large');
    });
  });
});
