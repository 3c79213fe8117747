import pg from 'pg';
import { DataSource } from 'typeorm';
import { migrations } from '../migrations/index.js';
import { SimulatorLedgerOut1764774000001 } from '../migrations/1764774000001-SimulatorLedgerOut.js';
import { createMerchant, paymentBody } from './support/fixtures.js';
import { startTestApp, useTestApp, type TestApp } from './support/test-app.js';

/** A fresh database on the test server, for what must not share the suite's. */
async function withDatabase<T>(label: string, use: (url: string) => Promise<T>): Promise<T> {
  const server = new URL(process.env.DATABASE_URL!);
  const name = `gateway_${label}_${Date.now()}_${process.pid}`;
  const admin = new pg.Client({ connectionString: Object.assign(new URL(server), { pathname: '/postgres' }).toString() });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE "${name}"`);
    try {
      return await use(Object.assign(new URL(server), { pathname: `/${name}` }).toString());
    } finally {
      await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    }
  } finally {
    await admin.end();
  }
}

async function rows<T>(url: string, text: string, values: unknown[] = []): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(text, values)).rows as T[];
  } finally {
    await client.end();
  }
}

/** The built-in simulator's ledger is the bank's, kept out of the gateway's data source. */
describe("The simulator's ledger (e2e)", () => {
  const t = useTestApp();

  it('is no entity, table or migration-owned object of the gateway', () => {
    const tables = t().dataSource.entityMetadatas.map((metadata) => metadata.tablePath);
    expect(tables).not.toEqual(expect.arrayContaining([expect.stringMatching(/bank_simulator/)]));
    expect(tables).toContain('payments');
  });

  it("records a payment's authorisation in bank_simulator.operations, once per key", async () => {
    const merchant = await createMerchant(t());
    const body = paymentBody();
    const first = await t().http().post('/v1/payments').set(merchant.auth).set('Idempotency-Key', 'ledger-1').send(body).expect(201);
    await t().http().post('/v1/payments').set(merchant.auth).set('Idempotency-Key', 'ledger-1').send(body).expect(201);
    const ledger = await rows<{ kind: string; amount: number; outcome: { kind: string } }>(
      process.env.DATABASE_URL!,
      `SELECT kind, amount, outcome FROM bank_simulator.operations WHERE key = $1`,
      [first.body.id],
    );
    expect(ledger).toEqual([{ kind: 'authorization', amount: 1050, outcome: expect.objectContaining({ kind: 'approved' }) }]);
    // No card data in the bank's record either: the simulator keeps outcomes, not cards.
    expect(JSON.stringify(ledger)).not.toContain('4242424242424242');
  });

  it('lives in the database BANK_SIMULATOR_DATABASE_URL names, when it names one', async () => {
    await withDatabase('bank', async (bankUrl) => {
      let app: TestApp | undefined;
      try {
        app = await startTestApp({ BANK_SIMULATOR_DATABASE_URL: bankUrl });
        const merchant = await createMerchant(app);
        const payment = await app.http().post('/v1/payments').set(merchant.auth).send(paymentBody()).expect(201);
        expect(payment.body.status).toBe('captured');
        expect(await rows(bankUrl, `SELECT key FROM bank_simulator.operations WHERE key = $1`, [payment.body.id])).toHaveLength(1);
        expect(await rows(process.env.DATABASE_URL!, `SELECT key FROM bank_simulator.operations WHERE key = $1`, [payment.body.id])).toEqual([]);
      } finally {
        await app?.close();
      }
    });
  });

  it("moves the ledger's rows out of the gateway's schema, keeps the old name working for a rolling update, and moves them back on revert", async () => {
    await withDatabase('ledger_move', async (url) => {
      const upTo = migrations.indexOf(SimulatorLedgerOut1764774000001);
      const before = await new DataSource({ type: 'postgres', url, migrations: migrations.slice(0, upTo) }).initialize();
      try {
        await before.runMigrations({ transaction: 'each' });
        await before.query(
          `INSERT INTO bank_simulator_operations (key, kind, amount, outcome, answer_at, created_at)
           VALUES ('pay_01JDQ3R6X8M2K9V4T7B5N1C0AZ', 'authorization', 1050, '{"kind": "approved", "bankReference": "bnk_1"}', now(), now())`,
        );
      } finally {
        await before.destroy();
      }
      const after = await new DataSource({ type: 'postgres', url, migrations }).initialize();
      try {
        await after.runMigrations({ transaction: 'each' });
        expect(await after.query(`SELECT key, amount FROM bank_simulator.operations`)).toEqual([{ key: 'pay_01JDQ3R6X8M2K9V4T7B5N1C0AZ', amount: 1050 }]);
        // An instance of the previous release writes the old name, as it always did.
        await after.query(
          `INSERT INTO bank_simulator_operations (key, kind, amount, outcome, answer_at, created_at)
           VALUES ('re_01JDQ3R6X8M2K9V4T7B5N1C0AZ', 'refund', 300, '{"kind": "approved", "bankReference": "bnk_2"}', now(), now())
           ON CONFLICT (key) DO NOTHING`,
        );
        expect(await after.query(`SELECT key FROM bank_simulator.operations ORDER BY key`)).toHaveLength(2);
        expect(await after.query(`SELECT table_type FROM information_schema.tables WHERE table_name = 'bank_simulator_operations'`)).toEqual([
          { table_type: 'VIEW' },
        ]);
        await after.undoLastMigration({ transaction: 'each' });
        expect(await after.query(`SELECT key FROM public.bank_simulator_operations ORDER BY key`)).toEqual([
          { key: 'pay_01JDQ3R6X8M2K9V4T7B5N1C0AZ' },
          { key: 're_01JDQ3R6X8M2K9V4T7B5N1C0AZ' },
        ]);
      } finally {
        await after.destroy();
      }
    });
  });
});
