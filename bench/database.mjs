// The PostgreSQL server of a bench run, and the databases on it: DATABASE_URL if set (databases
// are created on that server and dropped afterwards; the role needs CREATEDB), otherwise an
// embedded server in a temporary directory. One database is migrated once, given a history (below)
// and used as the template of a fresh database per scenario, so that no scenario sees another's rows.
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { startEmbeddedDatabase } from '../dist/src/database/embedded-database.js';
import { migrateDatabase } from '../dist/src/database/migrate.js';
import { cardFingerprint } from '../dist/src/payments/rules/card.js';

/**
 * Payments of another merchant already in every scenario's database (BENCH_HISTORY, default
 * 100 000; 0 for none), with the statistics autovacuum would have gathered: a gateway in
 * production has both. On an empty, never-analysed database the planner costs every table at a
 * page or two, and a statement planned then keeps that plan on its connection until statistics
 * change; autovacuum looks once a minute, longer than a round, so every round would measure plans
 * for tables that do not exist (a sequential scan of a table grown to 10 000s of rows per batch).
 */
export const HISTORY = Number(process.env.BENCH_HISTORY ?? 100_000);
const HISTORY_MERCHANT = 'mer_BENCHHISTORY00000000000000';

export async function startDatabaseServer() {
  const stamp = Date.now();
  const template = `gateway_bench_${stamp}_template`;
  let serverUrl;
  let stopServer;
  let kind;
  if (process.env.DATABASE_URL) {
    kind = 'DATABASE_URL';
    serverUrl = process.env.DATABASE_URL;
    await withClient(serverUrl, (client) => client.query(`CREATE DATABASE "${template}" ENCODING 'UTF8' TEMPLATE template0`));
    stopServer = async () => undefined;
  } else {
    kind = 'embedded';
    const dir = await mkdtemp(path.join(tmpdir(), 'gateway-bench-'));
    const embedded = await startEmbeddedDatabase({ dataDir: path.join(dir, 'pgdata'), port: await freePort(), database: template });
    serverUrl = embedded.url;
    stopServer = async () => {
      await embedded.stop();
      await rm(dir, { recursive: true, force: true });
    };
  }
  const templateUrl = databaseUrl(serverUrl, template);
  await migrateDatabase(templateUrl);
  if (HISTORY > 0) {
    await withClient(templateUrl, (client) =>
      client.query(`INSERT INTO merchants (id, name, created_at) VALUES ($1, 'bench history', now() - interval '1 year')`, [HISTORY_MERCHANT]),
    );
    // One a minute up to an hour ago: older than anything a scenario creates or lists first.
    await seedPayments(templateUrl, {
      merchantId: HISTORY_MERCHANT,
      count: HISTORY,
      tag: 'history',
      newestAt: new Date(Date.now() - 3_600_000),
      stepMs: 60_000,
      fingerprint: cardFingerprint('bench-history', '4242424242424242'),
    });
    await withClient(templateUrl, (client) => client.query('VACUUM (ANALYZE)'));
  }
  const version = await withClient(templateUrl, async (client) => (await client.query('SHOW server_version')).rows[0].server_version);

  const created = [];
  let counter = 0;
  return {
    kind,
    version,
    /** A fresh, migrated, empty database; its URL. */
    async createDatabase(label) {
      const name = `gateway_bench_${stamp}_${++counter}_${label.replace(/[^a-z0-9]/gi, '_').toLowerCase()}`.slice(0, 63);
      await withClient(serverUrl, (client) => client.query(`CREATE DATABASE "${name}" TEMPLATE "${template}"`));
      created.push(name);
      return databaseUrl(serverUrl, name);
    },
    async dropDatabase(url) {
      const name = new URL(url).pathname.slice(1);
      await withClient(serverUrl, (client) => client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`));
      created.splice(created.indexOf(name), 1);
    },
    async stop() {
      if (kind === 'DATABASE_URL') {
        await withClient(serverUrl, async (client) => {
          for (const name of [...created, template]) await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
        });
      }
      await stopServer();
    },
  };
}

/**
 * `count` valid payments of one merchant in one `INSERT … SELECT … FROM generate_series`, newest
 * at `newestAt`, one every `stepMs` before it: 70 % captured, 10 % declined, 10 % refunded, 10 %
 * failed (no authorised or pending ones, which the background workers would pick up).
 * Every NOT NULL column and CHECK constraint is satisfied; no events are written.
 */
export async function seedPayments(url, { merchantId, count, tag, newestAt, stepMs, fingerprint }) {
  await withClient(url, (client) =>
    client.query(
      `INSERT INTO payments (id, merchant_id, status, payment_history_status, amount, currency, capture_requested,
                             amount_captured, amount_refunded, amount_refund_pending, card_brand, card_bin, card_last4,
                             card_expiry_month, card_expiry_year, card_holder_name, card_fingerprint, bank_reference,
                             decline_code, failure_reason, reference, description, metadata, check_attempts,
                             created_at, updated_at)
       SELECT -- hex digits are a subset of the ULID alphabet: valid pay_ ids, in time order
              'pay_' || upper(lpad(to_hex((extract(epoch FROM t) * 1000)::bigint), 12, '0'))
                     || upper(substr(md5($2 || ':' || i), 1, 14)),
              $1,
              CASE k WHEN 7 THEN 'declined' WHEN 8 THEN 'refunded' WHEN 9 THEN 'failed' ELSE 'captured' END,
              CASE WHEN k >= 7 THEN 'finished' ELSE 'active' END,
              a, CASE WHEN k % 3 = 0 THEN 'USD' ELSE 'EUR' END, true,
              CASE WHEN k IN (7, 9) THEN 0 ELSE a END,
              CASE WHEN k = 8 THEN a ELSE 0 END,
              0, 'visa', '424242', '4242', 12, 2030, NULL, $6,
              CASE WHEN k = 9 THEN NULL ELSE 'bnk_' || upper(substr(md5('bank:' || $2 || ':' || i), 1, 26)) END,
              CASE WHEN k = 7 THEN 'card_declined' END,
              CASE WHEN k = 9 THEN 'processing_error' END,
              'order-' || i, NULL, jsonb_build_object('seed', $2::text), 0, t, t
         FROM (SELECT i, i % 10 AS k, 100 + (i * 37) % 100000 AS a,
                      date_trunc('milliseconds', $3::timestamptz - make_interval(secs => i * $4::double precision / 1000)) AS t
                 FROM generate_series(1, $5::integer) AS i) AS s`,
      [merchantId, tag, newestAt, stepMs, count, fingerprint],
    ),
  );
}

/** After a bulk seed: statistics and the visibility map, so that autovacuum does not start mid-run. */
export async function vacuumAnalyze(url) {
  await withClient(url, (client) => client.query('VACUUM (ANALYZE) payments'));
}

export async function countPayments(url) {
  return withClient(url, async (client) => Number((await client.query('SELECT count(*) AS n FROM payments')).rows[0].n));
}

export async function withClient(url, work) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

function databaseUrl(serverUrl, name) {
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

export function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}
