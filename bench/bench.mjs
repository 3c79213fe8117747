// `npm run bench [-- --quick] [-- --scenario=<name>]`: load scenarios against the built app
// (dist/), on a real PostgreSQL: DATABASE_URL if set (a fresh database is created on that
// server), otherwise an embedded one in a temporary directory. Prints one table per run.
import autocannon from 'autocannon';
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer as createHttpServer } from 'node:http';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { startEmbeddedDatabase } from '../dist/src/database/embedded-database.js';
import { migrateDatabase } from '../dist/src/database/migrate.js';

const args = new Set(process.argv.slice(2));
const quick = args.has('--quick');
const only = [...args].find((arg) => arg.startsWith('--scenario='))?.split('=')[1];
const ADMIN_KEY = 'bench-admin-key-0123456789abcdef';

const SCENARIOS = [
  {
    name: 'create-bank-latency-200-c50',
    description: 'POST /v1/payments, BANK_SIMULATOR_LATENCY_MS=200, 50 connections: not CPU-bound, so it shows whether anything waits on a pool slot while the bank answers',
    env: { BANK_SIMULATOR_LATENCY_MS: '200', DATABASE_POOL_SIZE: '10' },
    connections: 50,
    ideal: 50 / 0.2,
    target: 0.8,
    request: (key) => ({ method: 'POST', path: '/v1/payments', headers: json(key), body: JSON.stringify(paymentBody()) }),
  },
  {
    name: 'create-bank-latency-200',
    description: 'POST /v1/payments, BANK_SIMULATOR_LATENCY_MS=200, 200 connections',
    env: { BANK_SIMULATOR_LATENCY_MS: '200', DATABASE_POOL_SIZE: '20' },
    connections: 200,
    // Each connection waits 200 ms for the bank: 200 connections can do at most 1000 req/s.
    ideal: 200 / 0.2,
    target: 0.8,
    request: (key) => ({ method: 'POST', path: '/v1/payments', headers: json(key), body: JSON.stringify(paymentBody()) }),
  },
];

/** Events delivered per second: payments are created (2 events each), then the receiver counts. */
const WEBHOOK_SCENARIO = {
  name: 'webhook-delivery',
  description: 'events delivered per second to a local receiver (every event to one endpoint)',
  env: { WEBHOOK_WORKER_INTERVAL_MS: '50', DATABASE_POOL_SIZE: '20' },
};

function json(key) {
  return { authorization: `Bearer ${key}`, 'content-type': 'application/json' };
}

function paymentBody() {
  return {
    amount: 1050,
    currency: 'EUR',
    card: { number: '4242424242424242', expiry_month: 12, expiry_year: 2030, cvv: '123' },
    reference: 'bench',
  };
}

async function main() {
  const database = await provideDatabase();
  const results = [];
  try {
    for (const scenario of SCENARIOS.filter((s) => !only || s.name === only)) {
      results.push(await runScenario(scenario, database.url));
    }
    if (!only || only === WEBHOOK_SCENARIO.name) results.push(await runWebhookScenario(database.url));
  } finally {
    await database.stop();
  }
  console.log(`\nnode ${process.version}, ${quick ? 'quick' : 'full'} run, ${new Date().toISOString()}`);
  console.table(results);
}

async function provideDatabase() {
  const name = `gateway_bench_${Date.now()}`;
  if (process.env.DATABASE_URL) {
    const admin = new pg.Client({ connectionString: process.env.DATABASE_URL });
    await admin.connect();
    await admin.query(`CREATE DATABASE "${name}" ENCODING 'UTF8' TEMPLATE template0`);
    await admin.end();
    const url = new URL(process.env.DATABASE_URL);
    url.pathname = `/${name}`;
    await migrateDatabase(url.toString());
    return {
      url: url.toString(),
      stop: async () => {
        const client = new pg.Client({ connectionString: process.env.DATABASE_URL });
        await client.connect();
        await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
        await client.end();
      },
    };
  }
  const dir = await mkdtemp(path.join(tmpdir(), 'gateway-bench-'));
  const embedded = await startEmbeddedDatabase({ dataDir: path.join(dir, 'pgdata'), port: await freePort(), database: name });
  await migrateDatabase(embedded.url);
  return {
    url: embedded.url,
    stop: async () => {
      await embedded.stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

async function runScenario(scenario, databaseUrl) {
  const port = await freePort();
  const app = spawn(process.execPath, ['dist/src/main.js'], {
    env: { ...process.env, DATABASE_URL: databaseUrl, ADMIN_API_KEY: ADMIN_KEY, PORT: String(port), LOG_LEVEL: 'warn', ...scenario.env },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  const base = `http://127.0.0.1:${port}`;
  try {
    await waitUntilReady(base);
    const key = await merchantKey(base);
    const warmup = quick ? 1 : 3;
    const duration = quick ? 5 : 15;
    await load(base, scenario, key, warmup);
    const result = await load(base, scenario, key, duration);
    const rps = result.requests.average;
    return {
      scenario: scenario.name,
      'req/s': Math.round(rps),
      'p50 ms': result.latency.p50,
      'p99 ms': result.latency.p99,
      errors: result.errors + result.timeouts + result.non2xx,
      'vs ideal': scenario.ideal ? `${Math.round((rps / scenario.ideal) * 100)} %` : '',
      target: scenario.target ? `${scenario.target * 100} %` : '',
    };
  } finally {
    app.kill('SIGTERM');
    await new Promise((resolve) => app.once('exit', resolve));
  }
}

async function runWebhookScenario(databaseUrl) {
  const payments = quick ? 300 : 2000;
  const received = [];
  const receiver = createHttpServer((req, res) => {
    req.resume();
    req.on('end', () => {
      received.push(performance.now());
      res.writeHead(200).end();
    });
  });
  await new Promise((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  const port = await freePort();
  const app = spawn(process.execPath, ['dist/src/main.js'], {
    env: { ...process.env, DATABASE_URL: databaseUrl, ADMIN_API_KEY: ADMIN_KEY, PORT: String(port), LOG_LEVEL: 'warn', ...WEBHOOK_SCENARIO.env },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  const base = `http://127.0.0.1:${port}`;
  try {
    await waitUntilReady(base);
    const key = await merchantKey(base);
    await fetch(`${base}/v1/webhook-endpoints`, {
      method: 'POST',
      headers: json(key),
      body: JSON.stringify({ url: `http://127.0.0.1:${receiver.address().port}/hooks`, events: ['*'] }),
    });
    const started = performance.now();
    await autocannon({
      url: base,
      connections: 20,
      amount: payments,
      requests: [{ method: 'POST', path: '/v1/payments', headers: json(key), body: JSON.stringify(paymentBody()) }],
    });
    const expected = payments * 2;
    const deadline = Date.now() + 120_000;
    while (received.length < expected && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
    const seconds = (received.at(-1) - started) / 1000;
    return {
      scenario: WEBHOOK_SCENARIO.name,
      'req/s': '',
      'p50 ms': '',
      'p99 ms': '',
      errors: expected - received.length,
      'vs ideal': '',
      target: '',
      'events/s': Math.round(received.length / seconds),
    };
  } finally {
    app.kill('SIGTERM');
    await new Promise((resolve) => app.once('exit', resolve));
    receiver.close();
  }
}

function load(base, scenario, key, seconds) {
  return autocannon({ url: base, connections: scenario.connections, duration: seconds, requests: [scenario.request(key)] });
}

async function merchantKey(base) {
  const merchant = await (await fetch(`${base}/v1/admin/merchants`, { method: 'POST', headers: json(ADMIN_KEY), body: '{"name":"bench"}' })).json();
  const key = await (await fetch(`${base}/v1/admin/merchants/${merchant.id}/api-keys`, { method: 'POST', headers: json(ADMIN_KEY) })).json();
  return key.key;
}

async function waitUntilReady(base) {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    try {
      if ((await fetch(`${base}/health/ready`)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error('the app did not become ready');
}

function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

await main();
