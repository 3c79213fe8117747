import { admin, createMerchant, paymentBody } from './support/fixtures.js';
import { useTestApp } from './support/test-app.js';

const SERVER_TIMING = /^db;dur=\d+\.\d, bank;dur=\d+\.\d, app;dur=\d+\.\d$/;

describe('HTTP surface (e2e)', () => {
  const t = useTestApp();

  it('stamps X-Request-Id and Server-Timing on successes, with the bank time apart', async () => {
    const merchant = await createMerchant(t());
    const response = await t().http().post('/v1/payments').set(merchant.auth).send(paymentBody()).expect(201);
    expect(response.headers['x-request-id']).toMatch(/^req_[0-9A-Z]{26}$/);
    expect(response.headers['server-timing']).toMatch(SERVER_TIMING);
    const [, db] = /db;dur=([\d.]+)/.exec(response.headers['server-timing'] as string)!;
    expect(Number(db)).toBeGreaterThan(0);
  });

  it.each([
    ['an unknown route', () => t().http().get('/v1/nowhere').set(admin), 404, 'not_found_error', null],
    ['a missing key', () => t().http().get('/v1/payments'), 401, 'authentication_error', null],
    ['a malformed id', () => t().http().get('/v1/payments/pay_nope').set(admin), 404, 'not_found_error', 'id'],
    ['malformed JSON', () => t().http().post('/v1/admin/merchants').set(admin).set('Content-Type', 'application/json').send('{'), 400, 'invalid_request_error', null],
  ])('answers %s in the contract error shape with the request id', async (_, call, status, type, param) => {
    const response = await call().expect(status);
    expect(response.body).toEqual({
      error: {
        type,
        code: expect.any(String),
        message: expect.any(String),
        param,
        request_id: response.headers['x-request-id'],
      },
    });
    expect(response.headers['server-timing']).toMatch(SERVER_TIMING);
  });

  it.each(['/docs-json', '/docs/', '/metrics'])('stamps X-Request-Id and Server-Timing on %s, outside the /v1 routes too', async (route) => {
    const response = await t().http().get(route);
    expect(response.status).toBeLessThan(400);
    expect(response.headers['x-request-id']).toMatch(/^req_[0-9A-Z]{26}$/);
    expect(response.headers['server-timing']).toMatch(SERVER_TIMING);
  });

  it('refuses a body that is not JSON with 415, storing nothing', async () => {
    const response = await t().http().post('/v1/admin/merchants').set(admin).set('Content-Type', 'text/plain').send('name=x').expect(415);
    expect(response.body.error.type).toBe('invalid_request_error');
  });

  it('serves health without a key', async () => {
    const live = await t().http().get('/health/live').expect(200);
    expect(live.body.status).toBe('ok');
    const ready = await t().http().get('/health/ready').expect(200);
    expect(ready.body).toMatchObject({
      status: 'ok',
      info: { lifecycle: { status: 'up' }, database: { status: 'up' }, migrations: { status: 'up' } },
    });
    expect(ready.headers['x-request-id']).toMatch(/^req_/);
  });

  it('describes every route, with bearer authentication and error examples, at /docs-json', async () => {
    const { body: document } = await t().http().get('/docs-json').expect(200);
    expect(document.openapi).toMatch(/^3\./);
    expect(Object.keys(document.paths).sort()).toEqual(
      [
        '/health/live',
        '/health/ready',
        '/metrics',
        '/v1/admin/acquirers',
        '/v1/admin/acquirers/{id}',
        '/v1/admin/api-keys/{id}',
        '/v1/admin/audit-events',
        '/v1/admin/merchants',
        '/v1/admin/merchants/{id}/api-keys',
        '/v1/admin/merchants/{id}/routing',
        '/v1/admin/payments/archive',
        '/v1/admin/users',
        '/v1/admin/users/{id}',
        '/v1/api-keys',
        '/v1/api-keys/{id}',
        '/v1/audit-events',
        '/v1/admin/payments/{id}/archive',
        '/v1/payments',
        '/v1/payments/export.csv',
        '/v1/payments/summary',
        '/v1/payments/{id}',
        '/v1/payments/{id}/attempts',
        '/v1/payments/{id}/capture',
        '/v1/payments/{id}/events',
        '/v1/payments/{id}/refunds',
        '/v1/payments/{id}/void',
        '/v1/sessions',
        '/v1/sessions/current',
        '/v1/sessions/current/password',
        '/v1/users',
        '/v1/users/{id}',
        '/v1/webhook-deliveries',
        '/v1/webhook-endpoints',
        '/v1/webhook-endpoints/{id}',
        '/v1/webhook-endpoints/{id}/deliveries',
        '/v1/webhook-endpoints/{id}/deliveries/{delivery_id}/resend',
      ].sort(),
    );
    expect(document.components.securitySchemes).toEqual({
      bearer: expect.objectContaining({ type: 'http', scheme: 'bearer' }),
      session: expect.objectContaining({ type: 'apiKey', in: 'cookie', name: 'gateway_session' }),
    });
    const create = document.paths['/v1/payments'].post;
    expect(create.security).toEqual([{ bearer: [] }, { session: [] }]);
    expect(Object.keys(create.responses)).toEqual(expect.arrayContaining(['201', '400', '401', '413']));
    expect(create.requestBody.content['application/json'].schema.$ref).toBe('#/components/schemas/CreatePaymentDto');
    expect(document.components.schemas.PaymentResponse.properties).toHaveProperty('history_status');
    expect(document.components.schemas.CardDto.properties.number.example).toBe('4242424242424242');

    const ui = await t().http().get('/docs').redirects(1).expect(200);
    expect(ui.text).toContain('swagger');
  });
});
