import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import request from 'supertest';
import { admin, createMerchant, issueKey, paymentBody, type TestMerchant } from './support/fixtures.js';
import { useTestApp } from './support/test-app.js';

const PASSWORD = 'a long enough password';

/** An audit event as the API answers it. */
interface AuditRow {
  id: string;
  action: string;
  actor: { type: string; id: string | null; label: string };
  merchant_id: string | null;
}

interface Person {
  id: string;
  email: string;
  cookie: string;
  csrf: string;
}

/** A merchant's people (merchant_admin, merchant_viewer), their keys and users, and the audit trail everyone's changes write. */
describe("A merchant's people, and the audit trail (e2e)", () => {
  const t = useTestApp();
  let count = 0;
  let a: TestMerchant;
  let b: TestMerchant;
  let owner: Person;
  let viewer: Person;

  const email = () => `people-${process.pid}-${++count}-${Date.now()}@example.com`;

  const signIn = async (address: string): Promise<Pick<Person, 'cookie' | 'csrf'>> => {
    const response = await t().http().post('/v1/sessions').send({ email: address, password: PASSWORD }).expect(201);
    return { cookie: (response.headers['set-cookie'] as unknown as string[])[0]!.split(';')[0]!, csrf: response.body.csrf_token as string };
  };

  const person = async (role: string, merchantId: string): Promise<Person> => {
    const address = email();
    const created = await t().http().post('/v1/admin/users').set(admin).send({ email: address, name: role, role, merchant_id: merchantId, password: PASSWORD }).expect(201);
    expect(created.body).toMatchObject({ role, merchant_id: merchantId });
    return { id: created.body.id as string, email: address, ...(await signIn(address)) };
  };

  /** A request with the person's cookie, and their CSRF token on what changes something. */
  const as = (who: Person) => ({
    get: (path: string) => t().http().get(path).set('Cookie', who.cookie),
    post: (path: string, body: object = {}) => t().http().post(path).set('Cookie', who.cookie).set('X-CSRF-Token', who.csrf).send(body),
    patch: (path: string, body: object) => t().http().patch(path).set('Cookie', who.cookie).set('X-CSRF-Token', who.csrf).send(body),
    delete: (path: string) => t().http().delete(path).set('Cookie', who.cookie).set('X-CSRF-Token', who.csrf),
  });

  const pay = async (merchant: TestMerchant, body: Record<string, unknown> = {}) =>
    (await t().http().post('/v1/payments').set(merchant.auth).send(paymentBody(body)).expect(201)).body as { id: string; status: string };

  const audit = async (query: string) => (await t().http().get(`/v1/admin/audit-events?${query}`).set(admin).expect(200)).body.data as AuditRow[];

  beforeAll(async () => {
    a = await createMerchant(t(), 'Merchant A');
    b = await createMerchant(t(), 'Merchant B');
    owner = await person('merchant_admin', a.id);
    viewer = await person('merchant_viewer', a.id);
  });

  describe('making them', () => {
    it('needs merchant_id for a merchant role and refuses it for staff, writing nothing', async () => {
      const before = (await t().dataSource.query('SELECT count(*)::int AS n FROM users'))[0].n as number;
      const missing = await t().http().post('/v1/admin/users').set(admin).send({ email: email(), name: 'x', role: 'merchant_admin' }).expect(400);
      expect(missing.body.error).toMatchObject({ code: 'parameter_missing', param: 'merchant_id' });
      const staff = await t().http().post('/v1/admin/users').set(admin).send({ email: email(), name: 'x', role: 'support', merchant_id: a.id }).expect(400);
      expect(staff.body.error).toMatchObject({ code: 'parameter_invalid', param: 'merchant_id' });
      const unknown = await t().http().post('/v1/admin/users').set(admin).send({ email: email(), name: 'x', role: 'merchant_viewer', merchant_id: 'mer_01JDQ3R6X8M2K9V4T7B5N1C0AZ' }).expect(400);
      expect(unknown.body.error).toMatchObject({ code: 'parameter_invalid', param: 'merchant_id' });
      expect((await t().dataSource.query('SELECT count(*)::int AS n FROM users'))[0].n).toBe(before);
    });

    it('keeps a person in their kind: staff cannot become a merchant role, nor the reverse', async () => {
      const response = await t().http().patch(`/v1/admin/users/${viewer.id}`).set(admin).send({ role: 'support' }).expect(400);
      expect(response.body.error).toMatchObject({ code: 'parameter_invalid', param: 'role' });
      expect((await t().http().get(`/v1/admin/users/${viewer.id}`).set(admin).expect(200)).body.role).toBe('merchant_viewer');
    });
  });

  describe("a merchant's scope", () => {
    it("shows a merchant admin its merchant's payments of both modes, and nobody else's", async () => {
      const live = await pay(a);
      const test = await pay(await issueKey(t(), a, 'test'));
      const other = await pay(b);
      const listed = await as(owner).get('/v1/payments?limit=100').expect(200);
      const ids = (listed.body.data as { id: string; merchant_id: string }[]).map((payment) => payment.id);
      expect(ids).toEqual(expect.arrayContaining([live.id, test.id]));
      expect(ids).not.toContain(other.id);
      expect(new Set((listed.body.data as { merchant_id: string }[]).map((payment) => payment.merchant_id))).toEqual(new Set([a.id]));
      await as(owner).get(`/v1/payments/${test.id}`).expect(200);
      expect((await as(owner).get(`/v1/payments/${other.id}`).expect(404)).body.error.code).toBe('resource_missing');
      expect((await as(owner).get(`/v1/payments?livemode=false`).expect(200)).body.data.map((p: { id: string }) => p.id)).toContain(test.id);
      expect((await as(owner).get(`/v1/payments?merchant_id=${b.id}`).expect(400)).body.error).toMatchObject({ code: 'parameter_unknown', param: 'merchant_id' });
    });

    it('lets a merchant admin refund, and writes who did it in the audit trail with the request id and address', async () => {
      const payment = await pay(a);
      const refund = await as(owner).post(`/v1/payments/${payment.id}/refunds`, { amount: 300 }).set('Idempotency-Key', `refund-${payment.id}`).expect(201);
      expect(refund.body).toMatchObject({ amount: 300, status: 'succeeded' });
      const [row] = await audit(`target_id=${refund.body.id}`);
      expect(row).toMatchObject({
        object: 'audit_event',
        action: 'refund.create',
        actor: { type: 'user', id: owner.id, label: owner.email },
        target: { type: 'refund', id: refund.body.id },
        merchant_id: a.id,
        request_id: refund.headers['x-request-id'],
        client_ip: expect.stringMatching(/127\.0\.0\.1/),
        after: { payment_id: payment.id, amount: 300, currency: 'EUR' },
      });
    });

    it('lets a merchant viewer read and change nothing: 403, and nothing reaches the bank or the trail', async () => {
      const payment = await pay(a);
      await as(viewer).get(`/v1/payments/${payment.id}`).expect(200);
      const operations = t().bank.operations.length;
      const refused = await as(viewer).post(`/v1/payments/${payment.id}/refunds`, { amount: 100 }).expect(403);
      expect(refused.body.error).toMatchObject({ code: 'permission_denied', message: 'Merchant viewers can read, not change' });
      expect(t().bank.operations.length).toBe(operations);
      expect(await audit(`target_id=${payment.id}`)).toEqual([]);
      expect((await t().dataSource.query('SELECT count(*)::int AS n FROM refunds WHERE payment_id = $1', [payment.id]))[0].n).toBe(0);
    });

    it("keeps a merchant's people out of the admin routes", async () => {
      expect((await as(owner).get('/v1/admin/merchants').expect(403)).body.error).toMatchObject({ code: 'permission_denied', message: 'Your role cannot use this route' });
      await as(owner).get('/v1/admin/audit-events').expect(403);
      await as(owner).post('/v1/admin/payments/archive', { created_lt: '2030-01-01' }).expect(403);
      await as(owner).get('/v1/admin/users').expect(403);
    });
  });

  describe('their users (/v1/users)', () => {
    it("lets a merchant admin add and change its merchant's people, and only those", async () => {
      const address = email();
      const created = await as(owner).post('/v1/users', { email: address, name: 'New viewer', role: 'merchant_viewer' }).expect(201);
      expect(created.body).toMatchObject({ role: 'merchant_viewer', merchant_id: a.id, password: expect.any(String) });
      const listed = await as(owner).get('/v1/users?limit=100').expect(200);
      expect(new Set((listed.body.data as { merchant_id: string }[]).map((user) => user.merchant_id))).toEqual(new Set([a.id]));
      await as(owner).patch(`/v1/users/${created.body.id}`, { role: 'merchant_admin' }).expect(200);

      const stranger = await t().http().post('/v1/admin/users').set(admin).send({ email: email(), name: 'B', role: 'merchant_admin', merchant_id: b.id }).expect(201);
      await as(owner).get(`/v1/users/${stranger.body.id}`).expect(404);
      await as(owner).patch(`/v1/users/${stranger.body.id}`, { disabled: true }).expect(404);
      expect((await t().http().get(`/v1/admin/users/${stranger.body.id}`).set(admin)).body.disabled).toBe(false);

      const staff = await as(owner).post('/v1/users', { email: email(), name: 'x', role: 'admin' }).expect(400);
      expect(staff.body.error).toMatchObject({ code: 'parameter_invalid', param: 'role' });
      const named = await as(owner).post('/v1/users', { email: email(), name: 'x', role: 'merchant_viewer', merchant_id: b.id }).expect(400);
      expect(named.body.error.param).toBe('merchant_id');

      const [row] = await audit(`target_id=${created.body.id}&action=user.update`);
      expect(row).toMatchObject({ actor: { id: owner.id }, before: { role: 'merchant_viewer' }, after: { role: 'merchant_admin' }, merchant_id: a.id });
    });

    it('is for merchant admins signed in only: not a key, not a viewer', async () => {
      expect((await t().http().get('/v1/users').set(a.auth).expect(403)).body.error.code).toBe('permission_denied');
      await as(viewer).get('/v1/users').expect(403);
      await t().http().get('/v1/users').set(admin).expect(403);
    });
  });

  describe('their keys (/v1/api-keys)', () => {
    it('lets a merchant admin issue, list and revoke its keys; a revoked key stops at once', async () => {
      const issued = await as(owner).post('/v1/api-keys', { mode: 'test' }).expect(201);
      expect(issued.body).toMatchObject({ object: 'api_key', merchant_id: a.id, livemode: false, key: expect.stringMatching(/^sk_test_/), revoked_at: null });
      await t().http().get('/v1/payments').set('Authorization', `Bearer ${issued.body.key}`).expect(200);

      const listed = await as(owner).get('/v1/api-keys?limit=100').expect(200);
      const mine = (listed.body.data as { id: string; merchant_id: string }[]).find((key) => key.id === issued.body.id);
      expect(mine).toMatchObject({ prefix: issued.body.prefix, revoked_at: null });
      expect(JSON.stringify(listed.body)).not.toContain(issued.body.key);
      expect(new Set((listed.body.data as { merchant_id: string }[]).map((key) => key.merchant_id))).toEqual(new Set([a.id]));

      await as(owner).delete(`/v1/api-keys/${issued.body.id}`).expect(204);
      await t().http().get('/v1/payments').set('Authorization', `Bearer ${issued.body.key}`).expect(401);
      await as(owner).delete(`/v1/api-keys/${issued.body.id}`).expect(204);
      await as(owner).delete(`/v1/api-keys/${b.keyId}`).expect(404);
      await t().http().get('/v1/payments').set(b.auth).expect(200);

      const seenByAdmin = await t().http().get(`/v1/admin/merchants/${a.id}/api-keys?limit=100`).set(admin).expect(200);
      expect((seenByAdmin.body.data as { id: string; revoked_at: string | null }[]).find((key) => key.id === issued.body.id)?.revoked_at).toEqual(expect.any(String));

      const trail = await audit(`target_id=${issued.body.id}`);
      expect(trail.map((row) => row.action)).toEqual(['api_key.revoke', 'api_key.issue']);
      expect(trail.every((row) => row.actor.id === owner.id)).toBe(true);
      expect(JSON.stringify(trail)).not.toContain(issued.body.key);
    });

    it('keeps keys from making keys, and viewers out', async () => {
      await t().http().post('/v1/api-keys').set(a.auth).expect(403);
      await as(viewer).get('/v1/api-keys').expect(403);
      await t().http().get('/v1/admin/merchants/mer_01JDQ3R6X8M2K9V4T7B5N1C0AZ/api-keys').set(admin).expect(404);
    });
  });

  describe('npm run user:create', () => {
    const run = (args: string[], env: Record<string, string> = {}) =>
      promisify(execFile)(process.execPath, ['dist/src/users/user-create.js', ...args], { env: { ...process.env, ...env }, timeout: 20_000 }).then(
        ({ stdout }) => ({ code: 0, stdout, stderr: '' }),
        (error: { code: number; stdout: string; stderr: string }) => ({ code: error.code, stdout: error.stdout, stderr: error.stderr }),
      );

    it('adds a person from the shell, prints a generated password once, and the trail names the operator', async () => {
      const address = email();
      const result = await run(['--email', address, '--name', 'On call', '--role', 'merchant_viewer', '--merchant', a.id]);
      expect(result).toMatchObject({ code: 0, stdout: expect.stringContaining(`Created merchant_viewer ${address}`) });
      const password = /shown this once:\s+(\S+)/.exec(result.stdout)![1]!;
      await t().http().post('/v1/sessions').send({ email: address, password }).expect(201);
      const [user] = (await t().dataSource.query('SELECT id, merchant_id FROM users WHERE email = $1', [address])) as { id: string; merchant_id: string }[];
      expect(user!.merchant_id).toBe(a.id);
      const [row] = await audit(`target_id=${user!.id}&action=user.create`);
      expect(row).toMatchObject({ actor: { type: 'operator', id: null, label: 'operator' }, merchant_id: a.id });
    });

    it('takes USER_PASSWORD, and refuses what the API refuses, writing nothing', async () => {
      const address = email();
      const given = await run(['--email', address, '--name', 'Ops', '--role', 'support'], { USER_PASSWORD: PASSWORD });
      expect(given.code).toBe(0);
      expect(given.stdout).not.toContain(PASSWORD);
      await signIn(address);
      expect(await run(['--email', address, '--name', 'Ops', '--role', 'support'])).toMatchObject({ code: 1, stderr: expect.stringContaining('exists already') });
      expect(await run(['--email', email(), '--name', 'x', '--role', 'root'])).toMatchObject({ code: 2, stderr: expect.stringContaining('--role must be one of') });
      expect(await run(['--email', email(), '--name', 'x', '--role', 'merchant_admin'])).toMatchObject({ code: 1, stderr: expect.stringContaining('needs merchant_id') });
      expect(await run(['--email', 'not-an-email', '--name', 'x', '--role', 'support'])).toMatchObject({ code: 1 });
      expect((await t().dataSource.query(`SELECT count(*)::int AS n FROM users WHERE email = 'not-an-email'`))[0].n).toBe(0);
    });
  });

  describe('the audit trail', () => {
    it("names the admin key, a key, and nobody (a failed sign-in), and each change's before and after", async () => {
      const merchant = await t().http().post('/v1/admin/merchants').set(admin).send({ name: 'Audited' }).expect(201);
      const [created] = await audit(`target_id=${merchant.body.id}`);
      expect(created).toMatchObject({ action: 'merchant.create', actor: { type: 'admin_key', id: null, label: 'admin key' }, after: { name: 'Audited' } });

      const payment = await t().http().post('/v1/payments').set(a.auth).send(paymentBody({ capture: false })).expect(201);
      await t().http().post(`/v1/payments/${payment.body.id}/capture`).set(a.auth).send({ amount: 500 }).expect(200);
      const [capture] = await audit(`target_id=${payment.body.id}`);
      expect(capture).toMatchObject({
        action: 'payment.capture',
        actor: { type: 'api_key', id: a.keyId, label: expect.stringMatching(/^sk_live_/) },
        before: { status: 'authorized', amount_captured: 0 },
        after: { bank_operation: 'capture', amount: 500 },
      });

      const tried = email();
      await t().http().post('/v1/sessions').set('X-Forwarded-For', '10.77.0.1').send({ email: tried, password: 'not the password at all' }).expect(401);
      // An unknown email is the target itself (there is no user): other files' rows may be newer.
      const [failed] = await audit(`action=session.sign_in_failed&target_id=${tried}`);
      expect(failed).toMatchObject({ actor: { type: 'anonymous', id: null, label: 'anonymous' }, after: { email: tried } });
      expect(JSON.stringify(failed)).not.toContain('not the password');
    });

    it("shows a merchant admin its merchant's rows only, and filters by actor, action and date", async () => {
      const mine = await as(owner).get('/v1/audit-events?limit=100').expect(200);
      expect(mine.body.data.length).toBeGreaterThan(0);
      expect(new Set((mine.body.data as { merchant_id: string }[]).map((row) => row.merchant_id))).toEqual(new Set([a.id]));
      await as(owner).get(`/v1/audit-events?merchant_id=${b.id}`).expect(400);
      await as(viewer).get('/v1/audit-events').expect(403);

      const byActor = await audit(`actor_id=${owner.id}&limit=100`);
      expect(byActor.length).toBeGreaterThan(0);
      expect(byActor.every((row) => row.actor.id === owner.id)).toBe(true);
      expect(await audit(`actor_id=${owner.id}&created_lt=2000-01-01`)).toEqual([]);
      const page = await t().http().get(`/v1/admin/audit-events?actor_id=${owner.id}&limit=1`).set(admin).expect(200);
      expect(page.body).toMatchObject({ has_more: true, next_cursor: expect.any(String) });
      const next = await t().http().get(`/v1/admin/audit-events?actor_id=${owner.id}&limit=1&cursor=${page.body.next_cursor}`).set(admin).expect(200);
      expect(next.body.data[0].id).not.toBe(page.body.data[0].id);
      expect((await t().http().get('/v1/admin/audit-events?created_gte=yesterday').set(admin).expect(400)).body.error.param).toBe('created_gte');
    });

    it('writes nothing for a change that did not happen', async () => {
      const payment = await pay(a);
      await as(owner).post(`/v1/payments/${payment.id}/refunds`, { amount: 999_999 }).expect((response: request.Response) => expect(response.status).toBeGreaterThanOrEqual(400));
      expect(await audit(`target_id=${payment.id}`)).toEqual([]);
    });

    it('cannot be changed or deleted, not even by SQL', async () => {
      await expect(t().dataSource.query(`UPDATE audit_events SET action = 'x' WHERE false`)).rejects.toThrow(/append-only/);
      await expect(t().dataSource.query(`DELETE FROM audit_events WHERE false`)).rejects.toThrow(/append-only/);
    });
  });
});
