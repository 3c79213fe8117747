import pg from 'pg';
import request from 'supertest';
import { admin, createMerchant, paymentBody } from './support/fixtures.js';
import { startTestApp, useTestApp, type TestApp } from './support/test-app.js';

interface SignedIn {
  cookie: string;
  csrf: string;
  body: Record<string, unknown> & { user: { id: string; role: string } };
}

const PASSWORD = 'a long enough password';

/** People: users made by an admin, sessions by cookie, the CSRF token, the support role's limits. */
describe('People and sessions (e2e)', () => {
  const t = useTestApp();
  let staffCount = 0;

  /** A fresh user of the role, made through the admin API. */
  const newUser = async (role: 'admin' | 'support', password = PASSWORD) => {
    const email = `person-${process.pid}-${++staffCount}-${Date.now()}@example.com`;
    const created = await t().http().post('/v1/admin/users').set(admin).send({ email, name: 'A person', role, password }).expect(201);
    return { id: created.body.id as string, email };
  };

  const signIn = async (email: string, password = PASSWORD, address = '127.0.0.1'): Promise<SignedIn> => {
    const response = await t().http().post('/v1/sessions').set('X-Forwarded-For', address).send({ email, password }).expect(201);
    const cookie = (response.headers['set-cookie'] as unknown as string[])[0]!;
    return { cookie: cookie.split(';')[0]!, csrf: response.body.csrf_token as string, body: response.body };
  };

  it('signs in with an HttpOnly, SameSite=Strict cookie, and the cookie then authenticates /v1 like the admin key', async () => {
    const person = await newUser('admin');
    const response = await t().http().post('/v1/sessions').send({ email: person.email.toUpperCase(), password: PASSWORD }).expect(201);
    const setCookie = (response.headers['set-cookie'] as unknown as string[])[0]!;
    expect(setCookie).toMatch(/^gateway_session=[A-Za-z0-9_-]{43}; Path=\/; Max-Age=43200; HttpOnly; SameSite=Strict$/);
    expect(response.body).toMatchObject({ object: 'session', user: { id: person.id, role: 'admin', email: person.email }, csrf_token: expect.any(String) });
    expect(JSON.stringify(response.body)).not.toMatch(/password|argon2/);
    const cookie = setCookie.split(';')[0]!;
    await t().http().get('/v1/payments').set('Cookie', cookie).expect(200);
    const current = await t().http().get('/v1/sessions/current').set('Cookie', cookie).expect(200);
    expect(current.body.csrf_token).toBe(response.body.csrf_token);
    // Only the token's hash is stored.
    const [row] = (await t().dataSource.query(`SELECT token_hash FROM sessions WHERE user_id = $1`, [person.id])) as { token_hash: string }[];
    expect(cookie).not.toContain(row!.token_hash);
  });

  it('answers an unknown email, a wrong password and a disabled user alike', async () => {
    const person = await newUser('admin');
    const disabled = await newUser('support');
    await t().http().patch(`/v1/admin/users/${disabled.id}`).set(admin).send({ disabled: true }).expect(200);
    const attempts = [
      { email: 'nobody@example.com', password: PASSWORD },
      { email: person.email, password: 'not the password at all' },
      { email: disabled.email, password: PASSWORD },
    ];
    const bodies = [];
    for (const [index, attempt] of attempts.entries()) {
      const response = await t().http().post('/v1/sessions').set('X-Forwarded-For', `10.9.0.${index}`).send(attempt).expect(401);
      expect(response.headers['set-cookie']).toBeUndefined();
      bodies.push({ ...response.body.error, request_id: undefined });
    }
    expect(bodies[0]).toEqual({ type: 'authentication_error', code: 'invalid_credentials', message: 'Email or password is incorrect', param: null, request_id: undefined });
    expect(bodies[1]).toEqual(bodies[0]);
    expect(bodies[2]).toEqual(bodies[0]);
  });

  it('limits failed sign-ins per email, counted in the database, the right password included once limited', async () => {
    const person = await newUser('admin');
    for (let i = 0; i < 5; i++) {
      await t().http().post('/v1/sessions').set('X-Forwarded-For', `10.8.0.${i}`).send({ email: person.email, password: 'wrong password here' }).expect(401);
    }
    const limited = await t().http().post('/v1/sessions').set('X-Forwarded-For', '10.8.1.1').send({ email: person.email, password: PASSWORD }).expect(429);
    expect(limited.body.error.type).toBe('rate_limit_error');
    expect(limited.headers['retry-after']).toBe('900');
    const [{ n }] = (await t().dataSource.query(`SELECT count(*)::int AS n FROM sign_in_failures WHERE email = lower($1)`, [person.email])) as { n: number }[];
    expect(n).toBe(5);
  });

  it('refuses a state-changing request with the cookie but without the CSRF token, changing nothing', async () => {
    const person = await newUser('admin');
    const session = await signIn(person.email);
    const before = ((await t().dataSource.query(`SELECT count(*)::int AS n FROM merchants`)) as { n: number }[])[0]!.n;
    const refused = await t().http().post('/v1/admin/merchants').set('Cookie', session.cookie).send({ name: 'Forged' }).expect(403);
    expect(refused.body.error).toMatchObject({ type: 'permission_error', code: 'csrf_token_invalid' });
    await t().http().post('/v1/admin/merchants').set('Cookie', session.cookie).set('X-CSRF-Token', 'not-the-token').send({ name: 'Forged' }).expect(403);
    expect(((await t().dataSource.query(`SELECT count(*)::int AS n FROM merchants`)) as { n: number }[])[0]!.n).toBe(before);
    await t().http().post('/v1/admin/merchants').set('Cookie', session.cookie).set('X-CSRF-Token', session.csrf).send({ name: 'Made by a person' }).expect(201);
  });

  it('lets support read everything and change nothing: no refund reaches the bank', async () => {
    const merchant = await createMerchant(t());
    const payment = (await t().http().post('/v1/payments').set(merchant.auth).send(paymentBody()).expect(201)).body as { id: string };
    const support = await signIn((await newUser('support')).email);
    await t().http().get(`/v1/payments/${payment.id}`).set('Cookie', support.cookie).expect(200);
    await t().http().get('/v1/admin/users').set('Cookie', support.cookie).expect(200);
    const refused = await t()
      .http()
      .post(`/v1/payments/${payment.id}/refunds`)
      .set('Cookie', support.cookie)
      .set('X-CSRF-Token', support.csrf)
      .send({ amount: 100 })
      .expect(403);
    expect(refused.body.error.code).toBe('permission_denied');
    expect(t().bank.operations.filter((operation) => operation.kind === 'refund' && operation.paymentId === payment.id)).toEqual([]);
    // Its own session is still its own to end.
    await t().http().delete('/v1/sessions/current').set('Cookie', support.cookie).set('X-CSRF-Token', support.csrf).expect(204);
  });

  it('ends a session at sign-out, when its user is disabled, and after its idle time', async () => {
    const person = await newUser('admin');
    const first = await signIn(person.email);
    const signedOut = await t().http().delete('/v1/sessions/current').set('Cookie', first.cookie).set('X-CSRF-Token', first.csrf).expect(204);
    expect((signedOut.headers['set-cookie'] as unknown as string[])[0]).toMatch(/^gateway_session=; Path=\/; Max-Age=0/);
    expect((await t().http().get('/v1/payments').set('Cookie', first.cookie).expect(401)).body.error.code).toBe('session_invalid');

    const second = await signIn(person.email);
    const other = await newUser('admin');
    const otherSession = await signIn(other.email);
    // A rename changes the name only: the role and the sessions stay.
    const renamed = await t().http().patch(`/v1/admin/users/${other.id}`).set('Cookie', second.cookie).set('X-CSRF-Token', second.csrf).send({ name: 'Renamed' }).expect(200);
    expect(renamed.body).toMatchObject({ name: 'Renamed', role: 'admin', disabled: false });
    await t().http().get('/v1/payments').set('Cookie', otherSession.cookie).expect(200);
    await t().http().patch(`/v1/admin/users/${other.id}`).set('Cookie', second.cookie).set('X-CSRF-Token', second.csrf).send({ disabled: true }).expect(200);
    await t().http().get('/v1/payments').set('Cookie', otherSession.cookie).expect(401);

    const start = t().clock.now();
    try {
      t().clock.set(new Date(start.getTime() + 29 * 60_000));
      await t().http().get('/v1/payments').set('Cookie', second.cookie).expect(200);
      t().clock.set(new Date(start.getTime() + 29 * 60_000 + 31 * 60_000));
      await t().http().get('/v1/payments').set('Cookie', second.cookie).expect(401);
    } finally {
      t().clock.set(start);
    }
  });

  it('changes a password, ends the other sessions, and refuses a wrong current one', async () => {
    const person = await newUser('admin');
    const [here, elsewhere] = [await signIn(person.email), await signIn(person.email)];
    const wrong = await t()
      .http()
      .post('/v1/sessions/current/password')
      .set('Cookie', here.cookie)
      .set('X-CSRF-Token', here.csrf)
      .send({ current_password: 'not my password at all', new_password: 'a brand new passphrase' })
      .expect(400);
    expect(wrong.body.error).toMatchObject({ code: 'password_incorrect', param: 'current_password' });
    await t()
      .http()
      .post('/v1/sessions/current/password')
      .set('Cookie', here.cookie)
      .set('X-CSRF-Token', here.csrf)
      .send({ current_password: PASSWORD, new_password: 'a brand new passphrase' })
      .expect(204);
    await t().http().get('/v1/payments').set('Cookie', here.cookie).expect(200);
    await t().http().get('/v1/payments').set('Cookie', elsewhere.cookie).expect(401);
    await signIn(person.email, 'a brand new passphrase');
  });

  it('keeps users apart by email whatever its case, and never returns a password hash', async () => {
    const person = await newUser('support');
    const duplicate = await t().http().post('/v1/admin/users').set(admin).send({ email: person.email.toUpperCase(), name: 'Twin', role: 'support', password: PASSWORD }).expect(409);
    expect(duplicate.body.error).toMatchObject({ code: 'email_taken', param: 'email' });
    const generated = await t().http().post('/v1/admin/users').set(admin).send({ email: `gen-${Date.now()}@example.com`, name: 'Gen', role: 'support' }).expect(201);
    expect(generated.body.password).toMatch(/^[A-Za-z0-9_-]{24}$/);
    const list = await t().http().get('/v1/admin/users?limit=100').set(admin).expect(200);
    expect(JSON.stringify(list.body)).not.toMatch(/argon2|password/);
    await t().http().post('/v1/admin/users').set(admin).send({ email: `short-${Date.now()}@example.com`, name: 'S', role: 'admin', password: 'short' }).expect(400);
  });
});

describe('The first admin user (e2e)', () => {
  it('is created once, from ADMIN_EMAIL and ADMIN_PASSWORD, on a database without one', async () => {
    const server = new URL(process.env.DATABASE_URL!);
    const name = `gateway_first_admin_${Date.now()}_${process.pid}`;
    const client = new pg.Client({ connectionString: Object.assign(new URL(server), { pathname: '/postgres' }).toString() });
    await client.connect();
    await client.query(`CREATE DATABASE "${name}"`);
    const url = Object.assign(new URL(server), { pathname: `/${name}` }).toString();
    const apps: TestApp[] = [];
    try {
      const { migrateDatabase } = await import('../src/database/migrate.js');
      await migrateDatabase(url);
      const env = { DATABASE_URL: url, ADMIN_EMAIL: 'first@example.com', ADMIN_PASSWORD: 'the first admin password' };
      apps.push(...(await Promise.all([startTestApp(env), startTestApp(env)])));
      const db = new pg.Client({ connectionString: url });
      await db.connect();
      const admins = (await db.query(`SELECT email FROM users WHERE role = 'admin'`)).rows;
      await db.end();
      expect(admins).toEqual([{ email: 'first@example.com' }]);
      await request(apps[0]!.app.getHttpServer() as Parameters<typeof request>[0])
        .post('/v1/sessions')
        .send({ email: 'first@example.com', password: 'the first admin password' })
        .expect(201);
    } finally {
      for (const app of apps) await app.close();
      await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await client.end();
    }
  });
});
