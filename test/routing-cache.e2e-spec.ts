import { DatabaseNotifications } from '../src/database/database-notifications.js';
import { ACQUIRER_KEY, startAcquirer, type AcquirerProcess } from './support/acquirer-servers.js';
import { admin, createMerchant, paymentBody, type TestMerchant } from './support/fixtures.js';
import { kill } from './support/processes.js';
import { useTestApp, type TestApp } from './support/test-app.js';
import { waitFor } from './support/wait-for.js';

type Body = Record<string, unknown>;

/**
 * Each instance keeps the acquirers and routings it has read; a change made through any
 * instance, or in the database by hand, must reach every instance's very next payment, and an
 * instance that cannot hear changes must read them on every payment.
 */
describe('Routing cache (two instances on one database, two acquirer servers)', () => {
  const a = useTestApp();
  const b = useTestApp();
  let servers: AcquirerProcess[] = [];
  let first: string;
  let second: string;
  let merchant: TestMerchant;

  beforeAll(async () => {
    servers = [await startAcquirer(), await startAcquirer()];
  });
  afterAll(async () => {
    await Promise.all(servers.map((server) => kill(server)));
  });

  const createAcquirer = async (name: string, base: string): Promise<string> =>
    (
      await a()
        .http()
        .post('/v1/admin/acquirers')
        .set(admin)
        .send({ name, kind: 'http', base_url: base, api_key: ACQUIRER_KEY, timeout_ms: 2000 })
        .expect(201)
    ).body.id as string;

  beforeEach(async () => {
    merchant = await createMerchant(a());
    const suffix = merchant.id.slice(-10);
    first = await createAcquirer(`cache-first-${suffix}`, servers[0]!.base);
    second = await createAcquirer(`cache-second-${suffix}`, servers[1]!.base);
  });

  const route = (app: TestApp, order: string[]) =>
    app.http().put(`/v1/admin/merchants/${merchant.id}/routing`).set(admin).send({ rules: [], default: order }).expect(200);

  /**
   * Pays through the instance, and answers which acquirers were tried, in order. The route a
   * payment follows is the one its instance knows once its pending row is written; a try planned
   * before that, for a route changed meanwhile (the announcement on its way), was never sent: it
   * is recorded as skipped for that reason, and left out here.
   */
  async function payThrough(app: TestApp): Promise<string[]> {
    const payment = (await app.http().post('/v1/payments').set(merchant.auth).send(paymentBody()).expect(201)).body as Body & { id: string; status: string };
    expect(payment.status).toBe('captured');
    const attempts = (await app.http().get(`/v1/payments/${payment.id}/attempts`).set(merchant.auth).expect(200)).body.data as Body[];
    return attempts.filter((attempt) => attempt.error !== 'not sent: the route changed').map((attempt) => attempt.acquirer_id as string);
  }

  /** Changes the merchant's routing in the database without the announcement, as if it had been lost. */
  async function routeSilently(order: string[]): Promise<void> {
    await a().dataSource.transaction(async (manager) => {
      await manager.query('ALTER TABLE merchant_routings DISABLE TRIGGER merchant_routings_notify_changed');
      await manager.query('UPDATE merchant_routings SET "default" = $2::jsonb WHERE merchant_id = $1', [merchant.id, JSON.stringify(order)]);
      await manager.query('ALTER TABLE merchant_routings ENABLE TRIGGER merchant_routings_notify_changed');
    });
  }

  const notifications = (app: TestApp) => app.app.get(DatabaseNotifications);

  it('keeps a route it has read without asking the database again', async () => {
    await route(a(), [first]);
    expect(await payThrough(b())).toEqual([first]);
    await routeSilently([second]);
    // Only B's cache can still know the old routing: proof that B did not read it again.
    expect(await payThrough(b())).toEqual([first]);
    // An instance that never read it asks the database.
    expect(await payThrough(a())).toEqual([second]);
  });

  it("uses a routing changed through another instance for its very next payment", async () => {
    await route(a(), [first]);
    expect(await payThrough(b())).toEqual([first]);
    expect(await payThrough(a())).toEqual([first]);
    await route(a(), [second]);
    expect(await payThrough(b())).toEqual([second]);
    expect(await payThrough(a())).toEqual([second]);
  });

  it('skips an acquirer disabled through another instance from its very next payment, and uses it again once enabled', async () => {
    await route(a(), [first, second]);
    expect(await payThrough(b())).toEqual([first]);
    await a().http().patch(`/v1/admin/acquirers/${first}`).set(admin).send({ enabled: false }).expect(200);
    expect(await payThrough(b())).toEqual([second]);
    await a().http().patch(`/v1/admin/acquirers/${first}`).set(admin).send({ enabled: true }).expect(200);
    expect(await payThrough(b())).toEqual([first]);
  });

  it('uses a routing changed in the database by hand (an operator, not the API) for its very next payment', async () => {
    await route(a(), [first]);
    expect(await payThrough(b())).toEqual([first]);
    await a().dataSource.query('UPDATE merchant_routings SET "default" = $2::jsonb WHERE merchant_id = $1', [merchant.id, JSON.stringify([second])]);
    expect(await payThrough(b())).toEqual([second]);
    await a().dataSource.query('UPDATE acquirers SET enabled = false WHERE id = $1', [second]);
    await a().dataSource.query('UPDATE merchant_routings SET "default" = $2::jsonb WHERE merchant_id = $1', [merchant.id, JSON.stringify([second, first])]);
    expect(await payThrough(b())).toEqual([first]);
  });

  it('reads the routing on every payment while it cannot hear changes, and keeps it again once it can', async () => {
    await route(a(), [first]);
    expect(await payThrough(b())).toEqual([first]);
    await a().dataSource.query('SELECT pg_terminate_backend($1)', [notifications(b()).backendPid]);
    await waitFor(() => !notifications(b()).listening, 'B to notice its notification connection is gone');
    // Changed with no announcement, and B not listening: a kept route would be the old one.
    await routeSilently([second]);
    expect(await payThrough(b())).toEqual([second]);
    await routeSilently([first]);
    expect(await payThrough(b())).toEqual([first]);

    // Listening again (it reconnects within a second or so), B keeps what it reads again.
    await waitFor(() => notifications(b()).listening, 'B to listen again', 5000);
    expect(await payThrough(b())).toEqual([first]);
    await routeSilently([second]);
    expect(await payThrough(b())).toEqual([first]);
  });
});
