import { SIMULATOR_ACQUIRER_ID } from '../src/acquirers/acquirer.entity.js';
import { admin, createMerchant, type TestMerchant } from './support/fixtures.js';
import { useTestApp } from './support/test-app.js';

type Body = Record<string, unknown>;

describe('Acquirers and routing: the admin API (e2e)', () => {
  const t = useTestApp();
  const production = useTestApp({ NODE_ENV: 'production', CARD_FINGERPRINT_SECRET: 'x'.repeat(32), METRICS_TOKEN: 'metrics-token' });
  let merchant: TestMerchant;
  let name: string;

  beforeEach(async () => {
    merchant = await createMerchant(t());
    name = `acquirer-${merchant.id.slice(-10)}`;
  });

  const create = (body: Body, app = t()) => app.http().post('/v1/admin/acquirers').set(admin).send(body);
  const valid = () => ({ name, kind: 'http', base_url: 'http://127.0.0.1:9/v1', api_key: 'secret-acquirer-key-123', timeout_ms: 1500 });

  it('creates, reads, lists and changes an http acquirer; its api_key is never returned or logged', async () => {
    const created = await create(valid()).expect(201);
    expect(created.body).toEqual({
      id: expect.stringMatching(/^acq_[0-9A-Z]{26}$/),
      name,
      kind: 'http',
      base_url: 'http://127.0.0.1:9/v1',
      timeout_ms: 1500,
      enabled: true,
      health: { state: 'up', consecutive_failures: 0, down_since: null },
      created_at: expect.any(String),
      updated_at: expect.any(String),
    });
    const id = created.body.id as string;
    const read = await t().http().get(`/v1/admin/acquirers/${id}`).set(admin).expect(200);
    expect(read.body).toEqual(created.body);
    const list = await t().http().get('/v1/admin/acquirers?limit=100').set(admin).expect(200);
    expect((list.body.data as Body[]).map((acquirer) => acquirer.id)).toEqual(expect.arrayContaining([id, SIMULATOR_ACQUIRER_ID]));

    const changed = await t().http().patch(`/v1/admin/acquirers/${id}`).set(admin).send({ enabled: false, api_key: 'another-secret-key-456', timeout_ms: 900 }).expect(200);
    expect(changed.body).toMatchObject({ id, enabled: false, timeout_ms: 900 });
    const everything = JSON.stringify([created.body, read.body, list.body, changed.body, t().logger.lines]);
    expect(everything).not.toContain('secret-acquirer-key-123');
    expect(everything).not.toContain('another-secret-key-456');
    expect(everything).not.toContain('api_key');
  });

  it.each<[string, Body, string]>([
    ['an unknown kind', { kind: 'simulator' }, 'kind'],
    ['no base_url', { base_url: undefined }, 'base_url'],
    ['a base_url that is not a URL', { base_url: 'not a url' }, 'base_url'],
    ['a timeout of 0', { timeout_ms: 0 }, 'timeout_ms'],
    ['an unknown field', { region: 'eu' }, 'region'],
  ])('refuses %s with a 400 naming the field, storing nothing', async (_label, change, param) => {
    const response = await create({ ...valid(), ...change }).expect(400);
    expect(response.body.error).toMatchObject({ type: 'invalid_request_error', param });
    const [row] = (await t().dataSource.query('SELECT count(*)::int AS n FROM acquirers WHERE name = $1', [name])) as { n: number }[];
    expect(row!.n).toBe(0);
  });

  it('refuses a second acquirer of the same name, created or renamed', async () => {
    await create(valid()).expect(201);
    const again = await create(valid()).expect(400);
    expect(again.body.error).toMatchObject({ code: 'parameter_invalid', param: 'name' });
    const other = await create({ ...valid(), name: `${name}-other` }).expect(201);
    const renamed = await t().http().patch(`/v1/admin/acquirers/${other.body.id}`).set(admin).send({ name }).expect(400);
    expect(renamed.body.error).toMatchObject({ code: 'parameter_invalid', param: 'name' });
    await t().http().get(`/v1/admin/acquirers/${other.body.id}`).set(admin).expect(200).expect(({ body }) => expect(body.name).toBe(`${name}-other`));
  });

  it('refuses http and loopback base URLs in production', async () => {
    for (const url of ['http://127.0.0.1:9/v1', 'https://127.0.0.1:9/v1', 'https://[::1]:9/v1', 'https://localhost:9/v1']) {
      const response = await create({ ...valid(), base_url: url }, production()).expect(400);
      expect(response.body.error).toMatchObject({ code: 'parameter_invalid', param: 'base_url' });
    }
  });

  it('is for the admin key only', async () => {
    await t().http().post('/v1/admin/acquirers').set(merchant.auth).send(valid()).expect(403);
    await t().http().get('/v1/admin/acquirers').set(merchant.auth).expect(403);
    await t().http().put(`/v1/admin/merchants/${merchant.id}/routing`).set(merchant.auth).send({ rules: [], default: [SIMULATOR_ACQUIRER_ID] }).expect(403);
  });

  describe('routing', () => {
    const put = (body: Body) => t().http().put(`/v1/admin/merchants/${merchant.id}/routing`).set(admin).send(body);

    it('is the simulator until an admin saves one; then it reads back as saved', async () => {
      const implicit = await t().http().get(`/v1/admin/merchants/${merchant.id}/routing`).set(admin).expect(200);
      expect(implicit.body).toEqual({ rules: [], default: [SIMULATOR_ACQUIRER_ID] });
      const id = (await create(valid()).expect(201)).body.id as string;
      const routing = { rules: [{ currency: ['USD'], brand: ['visa'], amount_gte: 100, amount_lt: 5000, acquirers: [id, SIMULATOR_ACQUIRER_ID] }], default: [SIMULATOR_ACQUIRER_ID] };
      expect((await put(routing).expect(200)).body).toEqual(routing);
      expect((await t().http().get(`/v1/admin/merchants/${merchant.id}/routing`).set(admin).expect(200)).body).toEqual(routing);
    });

    it.each<[string, Body, string]>([
      ['an unknown acquirer in a rule', { rules: [{ acquirers: [SIMULATOR_ACQUIRER_ID, 'acq_01JDQ3R6X8M2K9V4T7B5N1C0AZ'] }], default: [SIMULATOR_ACQUIRER_ID] }, 'rules[0].acquirers[1]'],
      ['an unknown acquirer in the default', { rules: [], default: ['acq_01JDQ3R6X8M2K9V4T7B5N1C0AZ'] }, 'default[0]'],
      ['an unknown currency', { rules: [{ currency: ['EUR', 'XYZ'], acquirers: [SIMULATOR_ACQUIRER_ID] }], default: [SIMULATOR_ACQUIRER_ID] }, 'rules[0].currency[1]'],
      ['an empty default', { rules: [], default: [] }, 'default'],
      ['amount bounds the wrong way round', { rules: [{ amount_gte: 500, amount_lt: 500, acquirers: [SIMULATOR_ACQUIRER_ID] }], default: [SIMULATOR_ACQUIRER_ID] }, 'rules[0].amount_lt'],
    ])('refuses %s with a 400 naming it, and keeps the routing it had', async (_label, body, param) => {
      const response = await put(body).expect(400);
      expect(response.body.error).toMatchObject({ type: 'invalid_request_error', param });
      const [row] = (await t().dataSource.query('SELECT count(*)::int AS n FROM merchant_routings WHERE merchant_id = $1', [merchant.id])) as { n: number }[];
      expect(row!.n).toBe(0);
    });

    it('is a 404 for an unknown merchant', async () => {
      await t().http().put('/v1/admin/merchants/mer_01JDQ3R6X8M2K9V4T7B5N1C0AZ/routing').set(admin).send({ rules: [], default: [SIMULATOR_ACQUIRER_ID] }).expect(404);
    });
  });
});
