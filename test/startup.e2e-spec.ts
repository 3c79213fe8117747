import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { canListen, freePort, spawnMain as run } from './support/processes.js';
import { waitFor } from './support/wait-for.js';

/** The quick start, for real: `node dist/src/main.js` (what `npm start` runs) as a child process. */
describe('Start-up (e2e)', () => {
  it.each([
    [{ PORT: 'abc' }, 'PORT'],
    [{ BANK_TIMEOUT_MS: '-1' }, 'BANK_TIMEOUT_MS'],
    // The production image has no embedded PostgreSQL to fall back on.
    [{ NODE_ENV: 'production', DATABASE_URL: undefined }, 'DATABASE_URL'],
    [{ NODE_ENV: 'production', DATABASE_URL: 'postgres://x@127.0.0.1/x' }, 'ADMIN_API_KEY'],
    // Metrics name merchants' volumes and failures: production never serves them to anyone.
    [{ NODE_ENV: 'production', DATABASE_URL: 'postgres://x@127.0.0.1/x', ADMIN_API_KEY: 'a'.repeat(32), CARD_FINGERPRINT_SECRET: 'c'.repeat(32) }, 'METRICS_TOKEN'],
  ])('refuses to start with %j, naming %s', async (env, variable) => {
    const app = run(env);
    expect(await app.exited).toBe(1);
    expect(app.output()).toContain(`Invalid configuration: ${variable}`);
  });

  it('serves payments on an embedded PostgreSQL with a generated admin key, and stops cleanly', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'gateway-start-'));
    const [port, databasePort] = [await freePort(), await freePort()];
    const app = run({
      PORT: String(port),
      EMBEDDED_DATABASE_DIR: path.join(dir, 'postgres'),
      EMBEDDED_DATABASE_PORT: String(databasePort),
      ADMIN_API_KEY: undefined,
    });
    try {
      await waitFor(() => app.output().includes('Listening on'), () => `Listening on; output so far:\n${app.output()}`, 30_000);
      expect(app.output()).toContain('Applied migrations: InitialSchema');
      const adminKey = /(sk_[A-Za-z0-9_-]{32})/.exec(app.output())![1]!;
      const base = `http://127.0.0.1:${port}`;
      const call = async (method: string, route: string, key: string, body?: object) => {
        const response = await fetch(`${base}${route}`, {
          method,
          headers: { Authorization: `Bearer ${key}`, 'Content-Type': 'application/json' },
          body: body && JSON.stringify(body),
        });
        return { status: response.status, body: (await response.json()) as Record<string, string> };
      };

      const merchant = await call('POST', '/v1/admin/merchants', adminKey, { name: 'Quick start' });
      expect(merchant.status).toBe(201);
      const key = await call('POST', `/v1/admin/merchants/${merchant.body.id}/api-keys`, adminKey);
      const payment = await call('POST', '/v1/payments', key.body.key!, {
        amount: 1050,
        currency: 'EUR',
        card: { number: '4242424242424242', expiry_month: 12, expiry_year: 2030, cvv: '123' },
      });
      expect(payment).toMatchObject({ status: 201, body: { status: 'captured' } });
      const read = await call('GET', `/v1/payments/${payment.body.id}`, key.body.key!);
      expect(read.body).toEqual(payment.body);

      app.child.kill('SIGTERM');
      expect(await app.exited).toBe(0);
      // The embedded server was stopped with the app: its port is free again.
      expect(await canListen(databasePort)).toBe(true);
    } finally {
      app.child.kill('SIGKILL');
      await rm(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
