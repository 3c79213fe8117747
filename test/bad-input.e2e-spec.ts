import { SIMULATOR_ACQUIRER_ID } from '../src/acquirers/acquirer.entity.js';
import type { Server } from 'node:http';
import { connect } from 'node:net';
import { gzipSync } from 'node:zlib';
import type { Response } from 'supertest';
import { admin, createMerchant, paymentBody, type TestMerchant } from './support/fixtures.js';
import { useTestApp } from './support/test-app.js';

/**
 * Input the validation rules of each route never get to judge, or judged with the wrong words:
 * bodies nested too deeply, dates PostgreSQL cannot store, compressed bodies, bodies on routes
 * that take none, headers over Node's limit, and number-like values. Each is a 4xx in the
 * contract's error shape that changes nothing: no row, no bank call, no error in the log.
 */

interface Refusal {
  status: number;
  code: string;
  param: string | null;
  message?: string | RegExp;
}

const TABLES = [
  'merchants',
  'api_keys',
  'payments',
  'refunds',
  'payment_events',
  'webhook_endpoints',
  'webhook_deliveries',
  'webhook_attempts',
  'idempotency_keys',
  'bank_simulator.operations',
];

describe('bad input', () => {
  const t = useTestApp();
  let merchant: TestMerchant;

  beforeAll(async () => {
    merchant = await createMerchant(t(), 'Bad input merchant');
  });

  /** Every row of every table, and every call that reached the bank: "nothing changed" is checked there. */
  async function everything(): Promise<unknown> {
    const tables: Record<string, string> = {};
    for (const table of TABLES) {
      const [row] = (await t().dataSource.query(
        `SELECT md5(coalesce(string_agg(t::text, ',' ORDER BY t::text), '')) AS digest FROM ${table} t`,
      )) as { digest: string }[];
      tables[table] = row!.digest;
    }
    return { tables, authorizations: t().bank.calls.length, operations: t().bank.operations.length };
  }

  const errorLines = () => t().logger.lines.filter((line) => line.startsWith('error'));

  /** Sends one request, checks it was refused as expected in the contract's shape, and that nothing changed or was logged as an error. */
  async function expectRefused(send: () => PromiseLike<Response>, expected: Refusal): Promise<Response> {
    const before = await everything();
    const errorsBefore = errorLines().length;
    const res = await send();
    expect({ status: res.status, code: res.body?.error?.code, param: res.body?.error?.param }).toEqual({
      status: expected.status,
      code: expected.code,
      param: expected.param,
    });
    expect(res.body.error.type).toBe('invalid_request_error');
    if (expected.message !== undefined) expect(res.body.error.message).toMatch(expected.message);
    expect(res.headers['x-request-id']).toMatch(/^req_[0-9A-Z]{26}$/);
    expect(res.body.error.request_id).toBe(res.headers['x-request-id']);
    expect(await everything()).toEqual(before);
    expect(errorLines().slice(errorsBefore)).toEqual([]);
    return res;
  }

  const postRaw = (path: string, text: string, auth: Record<string, string> = merchant.auth) => () =>
    t().http().post(path).set(auth).set('Content-Type', 'application/json').send(text);

  const pay = async (overrides: Record<string, unknown> = {}) =>
    (await t().http().post('/v1/payments').set(merchant.auth).send(paymentBody(overrides)).expect(201)).body as { id: string; status: string };

  describe('a body nested too deeply is a 400 before anything recursive runs', () => {
    const tooDeep: Refusal = { status: 400, code: 'parameter_invalid', param: null, message: /nested too deeply/ };
    const arrays = (depth: number) => '['.repeat(depth) + ']'.repeat(depth);
    const objects = (depth: number) => '{"a":'.repeat(depth) + '1' + '}'.repeat(depth);

    it.each([
      ['1,500 nested arrays', arrays(1500)],
      ['3,000 nested objects', objects(3000)],
      ['50,000 nested arrays (just under the size limit)', arrays(50_000)],
      ['3,000 nested objects in the metadata of a valid payment', JSON.stringify(paymentBody({ metadata: '@' })).replace('"@"', objects(3000))],
      ['33 levels, one past the limit', arrays(33)],
    ])('POST /v1/payments: %s', async (_name, text) => {
      await expectRefused(postRaw('/v1/payments', text), tooDeep);
    });

    it.each([
      ['POST /v1/admin/merchants', '/v1/admin/merchants', admin],
      ['POST /v1/admin/payments/archive', '/v1/admin/payments/archive', admin],
      ['POST /v1/webhook-endpoints', '/v1/webhook-endpoints', undefined],
    ])('%s: 3,000 nested objects', async (_name, path, auth) => {
      await expectRefused(postRaw(path, objects(3000), auth ?? merchant.auth), tooDeep);
    });

    it('POST …/void (a route without a body): 1,500 nested arrays', async () => {
      const payment = await pay({ capture: false });
      await expectRefused(postRaw(`/v1/payments/${payment.id}/void`, arrays(1500)), tooDeep);
    });

    it('32 levels are not refused for their depth (but for the unknown field they sit in)', async () => {
      const text = JSON.stringify(paymentBody({ extra: '@' })).replace('"@"', arrays(31));
      await expectRefused(postRaw('/v1/payments', text), { status: 400, code: 'parameter_unknown', param: 'extra' });
    });

    it('brackets inside strings do not count', async () => {
      const res = await t().http().post('/v1/payments').set(merchant.auth).send(paymentBody({ description: '['.repeat(400), metadata: { note: '{'.repeat(400) } }));
      expect(res.status).toBe(201);
    });
  });

  describe('a date PostgreSQL cannot store, or not in the documented form, is 400 parameter_invalid naming the field', () => {
    const b64 = (text: string) => Buffer.from(text).toString('base64url');
    const someId = 'pay_01JDQ3R6X8M2K9V4T7B5N1C0AZ';

    it.each([
      ['created_gte', '20260101T000000Z'],
      ['created_gte', '2026-W01'],
      ['created_lt', '2026-W01'],
      ['created_gte', '-271821-04-20T00:00:00.000Z'],
      ['created_lt', '+275760-09-13T00:00:00.000Z'],
      ['created_gte', '2026-11-25T12:00:00'],
      ['created_lt', '2026-02-30'],
    ])('GET /v1/payments?%s=%s', async (param, value) => {
      await expectRefused(() => t().http().get(`/v1/payments?${param}=${encodeURIComponent(value)}`).set(merchant.auth), {
        status: 400,
        code: 'parameter_invalid',
        param,
        message: new RegExp(`^${param} must be an ISO 8601 date-time`),
      });
    });

    it.each([
      ['year −271821', `-271821-04-20T00:00:00.000Z|${someId}`],
      ['year +275760', `+275760-09-13T00:00:00.000Z|${someId}`],
      ['year 0', `0000-01-01T00:00:00.000Z|${someId}`],
    ])('a cursor that decodes to %s, on payments and merchants', async (_name, decoded) => {
      const refusal = { status: 400, code: 'parameter_invalid', param: 'cursor' };
      await expectRefused(() => t().http().get(`/v1/payments?cursor=${b64(decoded)}`).set(merchant.auth), refusal);
      await expectRefused(() => t().http().get(`/v1/admin/merchants?cursor=${b64(decoded)}`).set(admin), refusal);
    });

    it.each(['20260101T000000Z', '2026-W01', '-271821-04-20T00:00:00.000Z', '+275760-09-13T00:00:00.000Z', '2026-11-25T12:00:00'])(
      'POST /v1/admin/payments/archive {"created_lt": "%s"}',
      async (createdLt) => {
        await pay();
        await expectRefused(() => t().http().post('/v1/admin/payments/archive').set(admin).send({ created_lt: createdLt }), {
          status: 400,
          code: 'parameter_invalid',
          param: 'created_lt',
        });
      },
    );

    it('accepts the documented forms, a zone offset and a bare date included, to the millisecond', async () => {
      const other = await createMerchant(t(), 'Dates merchant');
      const created = (await t().http().post('/v1/payments').set(other.auth).send(paymentBody()).expect(201)).body as { id: string; created_at: string };
      expect(created.created_at).toBe('2026-11-25T12:00:00.000Z');
      const ids = async (query: string) =>
        ((await t().http().get(`/v1/payments?${query}`).set(other.auth).expect(200)).body.data as { id: string }[]).map((p) => p.id);
      const q = (text: string) => encodeURIComponent(text);
      expect(await ids(`created_gte=${q('2026-11-25')}&created_lt=${q('2026-11-26')}`)).toEqual([created.id]);
      expect(await ids(`created_gte=${q('2026-11-25T13:00:00+01:00')}`)).toEqual([created.id]);
      expect(await ids(`created_gte=${q('2026-11-25T13:00:00.001+01:00')}`)).toEqual([]);
      expect(await ids(`created_lt=${q('2026-11-25T12:00:00.001Z')}`)).toEqual([created.id]);
      expect(await ids(`created_lt=${q('2026-11-25T12:00:00Z')}`)).toEqual([]);
      expect(await ids(`created_gte=${q('0001-01-01')}&created_lt=${q('9999-12-31T23:59:59.999Z')}`)).toEqual([created.id]);
    });
  });

  describe('Content-Encoding other than identity is 415 unsupported_media_type, naming the encoding', () => {
    const json = JSON.stringify(paymentBody());

    it.each([
      ['gzip', Buffer.from(json)],
      ['br', Buffer.from(json)],
      ['deflate', Buffer.from(json)],
      ['gzip', gzipSync(json)],
      ['identity, gzip', Buffer.from(json)],
    ])('Content-Encoding: %s', async (encoding, body) => {
      await expectRefused(
        () => t().http().post('/v1/payments').set(merchant.auth).set('Content-Type', 'application/json').set('Content-Encoding', encoding).send(body),
        { status: 415, code: 'unsupported_media_type', param: null, message: /Content-Encoding "(gzip|br|deflate)" is not supported/ },
      );
    });

    it('Content-Encoding: identity is an uncompressed body', async () => {
      const res = await t().http().post('/v1/payments').set(merchant.auth).set('Content-Type', 'application/json').set('Content-Encoding', 'identity').send(json);
      expect(res.status).toBe(201);
    });

    it('a charset other than UTF-8 is 415 too', async () => {
      await expectRefused(
        () => t().http().post('/v1/payments').set(merchant.auth).set('Content-Type', 'application/json; charset=utf-16le').send(Buffer.from(json, 'utf16le')),
        { status: 415, code: 'unsupported_media_type', param: null, message: /UTF-8/ },
      );
    });
  });

  describe('every route refuses a field it does not take (400 parameter_unknown, param = the field)', () => {
    interface Fixtures {
      authorized: string;
      captured: string;
      endpoint: string;
      delivery: string;
      keyId: string;
      user: string;
      /** A person of the merchant (merchant_admin), for the routes only they use. */
      ownUser: string;
    }
    let f: Fixtures;
    let owner: { cookie: string; csrf: string };

    beforeAll(async () => {
      const endpoint = (await t().http().post('/v1/webhook-endpoints').set(merchant.auth).send({ url: 'http://127.0.0.1:9/hooks', events: ['*'] }).expect(201))
        .body as { id: string };
      const authorized = await pay({ capture: false });
      const captured = await pay();
      const [delivery] = (await t().dataSource.query(`SELECT id FROM webhook_deliveries WHERE endpoint_id = $1 LIMIT 1`, [endpoint.id])) as { id: string }[];
      const key = (await t().http().post(`/v1/admin/merchants/${merchant.id}/api-keys`).set(admin).expect(201)).body as { id: string };
      const user = (await t().http().post('/v1/admin/users').set(admin).send({ email: `bad-input-${Date.now()}@example.com`, name: 'B', role: 'support' }).expect(201))
        .body as { id: string };
      const ownerEmail = `bad-input-owner-${Date.now()}@example.com`;
      const ownUser = (await t().http().post('/v1/admin/users').set(admin).send({ email: ownerEmail, name: 'O', role: 'merchant_admin', merchant_id: merchant.id, password: 'a long enough password' }).expect(201))
        .body as { id: string };
      const session = await t().http().post('/v1/sessions').send({ email: ownerEmail, password: 'a long enough password' }).expect(201);
      owner = { cookie: (session.headers['set-cookie'] as unknown as string[])[0]!.split(';')[0]!, csrf: session.body.csrf_token as string };
      f = { authorized: authorized.id, captured: captured.id, endpoint: endpoint.id, delivery: delivery!.id, keyId: key.id, user: user.id, ownUser: ownUser.id };
    });
    afterAll(async () => {
      // Workers are off here; other files' dispatchers must not try this endpoint.
      await t().dataSource.query(`UPDATE webhook_deliveries SET status = 'failed', next_attempt_at = NULL WHERE endpoint_id = $1`, [f.endpoint]);
    });

    type Method = 'get' | 'post' | 'delete' | 'patch' | 'put';
    /** owner: the merchant's admin, signed in (cookie and CSRF token). */
    type Who = 'merchant' | 'admin' | 'owner';
    /** [method, route as Express registers it, path, auth]; bodyless: the handler takes no body at all. */
    const routes: [Method, string, (f: Fixtures) => string, Who, 'bodyless' | 'dto'][] = [
      ['post', '/v1/payments', () => '/v1/payments', 'merchant', 'dto'],
      ['get', '/v1/payments', () => '/v1/payments', 'merchant', 'bodyless'],
      ['get', '/v1/payments/summary', () => '/v1/payments/summary', 'merchant', 'bodyless'],
      ['post', '/v1/sessions', () => '/v1/sessions', 'admin', 'dto'],
      ['get', '/v1/sessions/current', () => '/v1/sessions/current', 'admin', 'bodyless'],
      ['delete', '/v1/sessions/current', () => '/v1/sessions/current', 'admin', 'bodyless'],
      ['post', '/v1/sessions/current/password', () => '/v1/sessions/current/password', 'admin', 'dto'],
      ['post', '/v1/admin/users', () => '/v1/admin/users', 'admin', 'dto'],
      ['get', '/v1/admin/users', () => '/v1/admin/users', 'admin', 'bodyless'],
      ['get', '/v1/admin/users/:id', (f) => `/v1/admin/users/${f.user}`, 'admin', 'bodyless'],
      ['patch', '/v1/admin/users/:id', (f) => `/v1/admin/users/${f.user}`, 'admin', 'dto'],
      ['get', '/v1/payments/export.csv', () => '/v1/payments/export.csv', 'merchant', 'bodyless'],
      ['get', '/v1/payments/:id', (f) => `/v1/payments/${f.captured}`, 'merchant', 'bodyless'],
      ['post', '/v1/payments/:id/capture', (f) => `/v1/payments/${f.authorized}/capture`, 'merchant', 'dto'],
      ['post', '/v1/payments/:id/void', (f) => `/v1/payments/${f.authorized}/void`, 'merchant', 'bodyless'],
      ['get', '/v1/payments/:id/events', (f) => `/v1/payments/${f.captured}/events`, 'merchant', 'bodyless'],
      ['get', '/v1/payments/:id/attempts', (f) => `/v1/payments/${f.captured}/attempts`, 'merchant', 'bodyless'],
      ['post', '/v1/payments/:id/refunds', (f) => `/v1/payments/${f.captured}/refunds`, 'merchant', 'dto'],
      ['get', '/v1/payments/:id/refunds', (f) => `/v1/payments/${f.captured}/refunds`, 'merchant', 'bodyless'],
      ['post', '/v1/webhook-endpoints', () => '/v1/webhook-endpoints', 'merchant', 'dto'],
      ['get', '/v1/webhook-endpoints', () => '/v1/webhook-endpoints', 'merchant', 'bodyless'],
      ['delete', '/v1/webhook-endpoints/:id', (f) => `/v1/webhook-endpoints/${f.endpoint}`, 'merchant', 'bodyless'],
      ['get', '/v1/webhook-endpoints/:id/deliveries', (f) => `/v1/webhook-endpoints/${f.endpoint}/deliveries`, 'merchant', 'bodyless'],
      ['get', '/v1/webhook-deliveries', () => '/v1/webhook-deliveries', 'merchant', 'bodyless'],
      [
        'post',
        '/v1/webhook-endpoints/:id/deliveries/:delivery_id/resend',
        (f) => `/v1/webhook-endpoints/${f.endpoint}/deliveries/${f.delivery}/resend`,
        'merchant',
        'bodyless',
      ],
      ['post', '/v1/admin/merchants', () => '/v1/admin/merchants', 'admin', 'dto'],
      ['get', '/v1/admin/merchants', () => '/v1/admin/merchants', 'admin', 'bodyless'],
      ['post', '/v1/admin/merchants/:id/api-keys', () => `/v1/admin/merchants/${merchant.id}/api-keys`, 'admin', 'dto'],
      ['get', '/v1/admin/merchants/:id/api-keys', () => `/v1/admin/merchants/${merchant.id}/api-keys`, 'admin', 'bodyless'],
      ['get', '/v1/admin/audit-events', () => '/v1/admin/audit-events', 'admin', 'bodyless'],
      ['get', '/v1/audit-events', () => '/v1/audit-events', 'owner', 'bodyless'],
      ['post', '/v1/api-keys', () => '/v1/api-keys', 'owner', 'dto'],
      ['get', '/v1/api-keys', () => '/v1/api-keys', 'owner', 'bodyless'],
      ['delete', '/v1/api-keys/:id', (f) => `/v1/api-keys/${f.keyId}`, 'owner', 'bodyless'],
      ['post', '/v1/users', () => '/v1/users', 'owner', 'dto'],
      ['get', '/v1/users', () => '/v1/users', 'owner', 'bodyless'],
      ['get', '/v1/users/:id', (f) => `/v1/users/${f.ownUser}`, 'owner', 'bodyless'],
      ['patch', '/v1/users/:id', (f) => `/v1/users/${f.ownUser}`, 'owner', 'dto'],
      ['delete', '/v1/admin/api-keys/:id', (f) => `/v1/admin/api-keys/${f.keyId}`, 'admin', 'bodyless'],
      ['post', '/v1/admin/payments/archive', () => '/v1/admin/payments/archive', 'admin', 'dto'],
      ['post', '/v1/admin/payments/:id/archive', (f) => `/v1/admin/payments/${f.captured}/archive`, 'admin', 'bodyless'],
      ['post', '/v1/admin/acquirers', () => '/v1/admin/acquirers', 'admin', 'dto'],
      ['get', '/v1/admin/acquirers', () => '/v1/admin/acquirers', 'admin', 'bodyless'],
      ['get', '/v1/admin/acquirers/:id', () => `/v1/admin/acquirers/${SIMULATOR_ACQUIRER_ID}`, 'admin', 'bodyless'],
      ['patch', '/v1/admin/acquirers/:id', () => `/v1/admin/acquirers/${SIMULATOR_ACQUIRER_ID}`, 'admin', 'dto'],
      ['get', '/v1/admin/merchants/:id/routing', () => `/v1/admin/merchants/${merchant.id}/routing`, 'admin', 'bodyless'],
      ['put', '/v1/admin/merchants/:id/routing', () => `/v1/admin/merchants/${merchant.id}/routing`, 'admin', 'dto'],
      ['get', '/health/live', () => '/health/live', 'admin', 'bodyless'],
      ['get', '/health/ready', () => '/health/ready', 'admin', 'bodyless'],
      ['get', '/metrics', () => '/metrics', 'admin', 'bodyless'],
    ];
    const send = (method: Method, path: string, who: Who, text: string, idempotencyKey?: string) => () => {
      const req = t().http()[method](path).set('Content-Type', 'application/json');
      if (who === 'owner') req.set('Cookie', owner.cookie).set('X-CSRF-Token', owner.csrf);
      else req.set(who === 'admin' ? admin : merchant.auth);
      if (idempotencyKey) req.set('Idempotency-Key', idempotencyKey);
      return req.send(text);
    };

    it('the table lists every route the app serves', () => {
      const router = (t().app.getHttpAdapter().getInstance() as { router: { stack: { route?: { path: string; methods: Record<string, boolean> } }[] } }).router;
      const served = router.stack
        .flatMap((layer) => (layer.route ? Object.keys(layer.route.methods).map((method) => `${method} ${layer.route!.path}`) : []))
        // Middleware is mounted as `/*path` on every method; Swagger UI serves /docs, the console
        // its files (no JSON body: test/console-serving.e2e-spec.ts).
        .filter((route) => !route.endsWith(' /*path') && !route.includes(' /docs') && !route.includes(' /console'))
        .sort();
      expect(served).toEqual(routes.map(([method, route]) => `${method} ${route}`).sort());
    });

    it.each(routes)('%s %s', async (method, _route, path, who) => {
      await expectRefused(send(method, path(f), who, '{"unexpected": 1}', method === 'post' ? `unexpected-${path(f)}` : undefined), {
        status: 400,
        code: 'parameter_unknown',
        param: 'unexpected',
        message: 'Unknown parameter: unexpected',
      });
    });

    it.each(routes.filter((route) => route[4] === 'bodyless'))('%s %s: "__proto__" too', async (method, _route, path, who) => {
      await expectRefused(send(method, path(f), who, '{"__proto__": {"admin": true}}'), { status: 400, code: 'parameter_unknown', param: '__proto__' });
    });

    it.each(routes.filter((route) => route[4] === 'bodyless'))('%s %s: a body that is not an object', async (method, _route, path, who) => {
      await expectRefused(send(method, path(f), who, '[1]'), { status: 400, code: 'parameter_invalid', param: null });
    });

    it('is refused before the Idempotency-Key is looked at (not a 422 for a key used without a body)', async () => {
      const payment = await pay({ capture: false });
      await t().http().post(`/v1/payments/${payment.id}/void`).set(merchant.auth).set('Idempotency-Key', `void-${payment.id}`).expect(200);
      await expectRefused(send('post', `/v1/payments/${payment.id}/void`, 'merchant', '{"unexpected": 1}', `void-${payment.id}`), {
        status: 400,
        code: 'parameter_unknown',
        param: 'unexpected',
      });
    });

    it('is refused after authentication: without a key, a body says nothing about the route (401)', async () => {
      const payment = await pay({ capture: false });
      const res = await t().http().post(`/v1/payments/${payment.id}/void`).set('Content-Type', 'application/json').send('{"unexpected": 1}');
      expect({ status: res.status, code: res.body.error.code }).toEqual({ status: 401, code: 'api_key_missing' });
      const [row] = (await t().dataSource.query(`SELECT status FROM payments WHERE id = $1`, [payment.id])) as { status: string }[];
      expect(row!.status).toBe('authorized');
    });

    it('an empty object or no body at all is fine', async () => {
      const payment = await pay({ capture: false });
      const voided = await t().http().post(`/v1/payments/${payment.id}/void`).set(merchant.auth).send({}).expect(200);
      expect(voided.body.status).toBe('voided');
      await t().http().post(`/v1/webhook-endpoints/${f.endpoint}/deliveries/${f.delivery}/resend`).set(merchant.auth).expect(202);
      await t().http().post(`/v1/admin/merchants/${merchant.id}/api-keys`).set(admin).set('Content-Type', 'application/json').send('{}').expect(201);
      await t().http().get('/v1/payments').set(merchant.auth).set('Content-Type', 'application/json').send('{}').expect(200);
    });
  });

  describe('a request Node refuses before the app sees it still gets the error body and X-Request-Id', () => {
    let port: number;

    beforeAll(async () => {
      const server = t().app.getHttpServer() as Server;
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      port = (server.address() as { port: number }).port;
    });

    /** Writes `request` on a raw socket and reads everything until the server closes it. */
    function raw(request: string): Promise<{ status: number; headers: Record<string, string>; body: { error: Record<string, unknown> } }> {
      return new Promise((resolve, reject) => {
        const socket = connect(port, '127.0.0.1', () => socket.write(request));
        const chunks: Buffer[] = [];
        socket.on('data', (chunk: Buffer) => chunks.push(chunk));
        socket.on('error', reject);
        socket.on('close', () => {
          const [head, body] = Buffer.concat(chunks).toString('utf8').split('\r\n\r\n') as [string, string];
          const [statusLine, ...lines] = head.split('\r\n');
          const headers = Object.fromEntries(lines.map((line) => [line.slice(0, line.indexOf(':')).toLowerCase(), line.slice(line.indexOf(':') + 1).trim()]));
          resolve({ status: Number(statusLine!.split(' ')[1]), headers, body: JSON.parse(body) as { error: Record<string, unknown> } });
        });
      });
    }

    it('headers of 20 kB: 431 headers_too_large', async () => {
      const before = await everything();
      const res = await raw(`GET /v1/payments HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: ${merchant.auth.Authorization}\r\nX-Padding: ${'a'.repeat(20_000)}\r\n\r\n`);
      expect(res.status).toBe(431);
      expect(res.headers['x-request-id']).toMatch(/^req_[0-9A-Z]{26}$/);
      expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
      expect(res.body.error).toEqual({
        type: 'invalid_request_error',
        code: 'headers_too_large',
        message: expect.stringMatching(/headers exceed 16 kB/) as string,
        param: null,
        request_id: res.headers['x-request-id'],
      });
      expect(await everything()).toEqual(before);
    });

    it('a malformed request line: 400 request_malformed', async () => {
      const res = await raw('NOT A REQUEST\r\n\r\n');
      expect(res.status).toBe(400);
      expect(res.headers['x-request-id']).toMatch(/^req_[0-9A-Z]{26}$/);
      expect(res.body.error).toMatchObject({ type: 'invalid_request_error', code: 'request_malformed', param: null, request_id: res.headers['x-request-id'] });
    });
  });

  describe('number-like values: integers are plain decimal digits in a query and JSON integers in a body', () => {
    it.each(['0x10', '1e1', ' 10', '+10', '10.0', '-5', '1_0', ''])('GET /v1/payments?limit=%p', async (limit) => {
      await expectRefused(() => t().http().get(`/v1/payments?limit=${encodeURIComponent(limit)}`).set(merchant.auth), {
        status: 400,
        code: 'parameter_invalid',
        param: 'limit',
        message: 'limit must be an integer from 1 to 100, in decimal digits only',
      });
    });

    it('GET /v1/admin/merchants?limit=0x10', async () => {
      await expectRefused(() => t().http().get('/v1/admin/merchants?limit=0x10').set(admin), { status: 400, code: 'parameter_invalid', param: 'limit' });
    });

    it('limit=101 says what was sent; limit=010 is ten', async () => {
      await expectRefused(() => t().http().get('/v1/payments?limit=101').set(merchant.auth), {
        status: 400,
        code: 'parameter_invalid',
        param: 'limit',
        message: 'limit must be an integer from 1 to 100 (got 101)',
      });
      await t().http().get('/v1/payments?limit=010').set(merchant.auth).expect(200);
    });

    const invalid = (param: string, message: string): Refusal => ({ status: 400, code: 'parameter_invalid', param, message });

    it.each([
      ['amount "1000"', paymentBody({ amount: '1000' }), invalid('amount', 'amount must be an integer (got a string)')],
      ['amount null', paymentBody({ amount: null }), invalid('amount', 'amount must be an integer (got null)')],
      ['amount true', paymentBody({ amount: true }), invalid('amount', 'amount must be an integer (got a boolean)')],
      ['amount [1000]', paymentBody({ amount: [1000] }), invalid('amount', 'amount must be an integer (got an array)')],
      ['amount 10.5', paymentBody({ amount: 10.5 }), invalid('amount', 'amount must be an integer (got 10.5)')],
      ['amount 0', paymentBody({ amount: 0 }), invalid('amount', 'amount must be at least 1 (got 0)')],
      ['amount 100000000', paymentBody({ amount: 100_000_000 }), invalid('amount', 'amount must be at most 99999999 (got 100000000)')],
      ['card.expiry_month "12"', paymentBody({}, { expiry_month: '12' }), invalid('card.expiry_month', 'card.expiry_month must be an integer (got a string)')],
      ['card.expiry_year "2030"', paymentBody({}, { expiry_year: '2030' }), invalid('card.expiry_year', 'card.expiry_year must be an integer (got a string)')],
      ['card.expiry_year 30', paymentBody({}, { expiry_year: 30 }), invalid('card.expiry_year', 'card.expiry_year must have four digits (got 30)')],
      ['holder_name 5', paymentBody({}, { holder_name: 5 }), invalid('card.holder_name', 'card.holder_name must be a string')],
    ])('POST /v1/payments with %s', async (_name, body, expected) => {
      await expectRefused(() => t().http().post('/v1/payments').set(merchant.auth).send(body), expected);
    });

    it('capture and refund amounts', async () => {
      const authorized = await pay({ capture: false });
      const captured = await pay();
      await expectRefused(
        () => t().http().post(`/v1/payments/${authorized.id}/capture`).set(merchant.auth).send({ amount: '800' }),
        invalid('amount', 'amount must be an integer (got a string)'),
      );
      await expectRefused(
        () => t().http().post(`/v1/payments/${captured.id}/refunds`).set(merchant.auth).send({ amount: false }),
        invalid('amount', 'amount must be an integer (got a boolean)'),
      );
    });

    it('a merchant name of the wrong type says so', async () => {
      await expectRefused(() => t().http().post('/v1/admin/merchants').set(admin).send({ name: 5 }), invalid('name', 'name must be a string'));
    });
  });
});
