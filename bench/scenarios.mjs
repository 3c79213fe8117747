// The scenarios. Each runs on a fresh database (a copy of the migrated template), starts its own
// servers, and returns its figures. A/B scenarios run the app (A) and the reference (B) in
// alternation, A, B, A, B, both servers up for the whole scenario.
import autocannon from 'autocannon';
import { createServer as createHttpServer } from 'node:http';
import { countPayments, seedPayments, vacuumAnalyze } from './database.mjs';
import { measure, summarize, warmUp } from './load.mjs';
import { openLoop } from './open-loop.mjs';
import { ACQUIRER_KEY, ADMIN_KEY, FINGERPRINT_SECRET, createMerchant, expectJson, json, sampleRss, startAcquirer, startApp, startReference } from './servers.mjs';
import { cardFingerprint } from '../dist/src/payments/rules/card.js';

export function paymentBody() {
  return {
    amount: 1050,
    currency: 'EUR',
    card: { number: '4242424242424242', expiry_month: 12, expiry_year: 2030, cvv: '123' },
    reference: 'bench',
  };
}

const createRequest = (key, headers = {}) => ({ method: 'POST', path: '/v1/payments', headers: json(key, headers), body: JSON.stringify(paymentBody()) });

/**
 * Acquirer servers over loopback HTTP (`npm run acquirer`, each its own process), one per entry
 * of `acquirers` (its `mode`, and `latencyMs` for `slow`), the merchant routed to them in that
 * order. They are stopped with the scenario.
 */
async function routedToAcquirers({ app, key, merchantId, cleanups }, acquirers) {
  const servers = [];
  for (const { mode, latencyMs } of acquirers) servers.push(await startAcquirer(mode, latencyMs));
  cleanups.push(...servers.map((acquirer) => () => acquirer.stop()));
  const ids = [];
  for (const [i, acquirer] of servers.entries()) {
    const body = { name: `bench-${i}-${merchantId.slice(-6)}`, kind: 'http', base_url: acquirer.base, api_key: ACQUIRER_KEY, timeout_ms: 2000 };
    ids.push((await expectJson(await fetch(`${app.base}/v1/admin/acquirers`, { method: 'POST', headers: json(ADMIN_KEY), body: JSON.stringify(body) }), 201)).id);
  }
  const routing = { rules: [], default: ids };
  await expectJson(await fetch(`${app.base}/v1/admin/merchants/${merchantId}/routing`, { method: 'PUT', headers: json(ADMIN_KEY), body: JSON.stringify(routing) }), 200);
  const first = await expectJson(await fetch(`${app.base}/v1/payments`, { method: 'POST', headers: json(key), body: JSON.stringify(paymentBody()) }), 201);
  const expected = ids[acquirers.findIndex(({ mode }) => mode !== 'down')];
  if (first.status !== 'captured' || first.acquirer_id !== expected) throw new Error(`routed payment not as expected: ${JSON.stringify(first)}`);
  return [createRequest(key)];
}

export const SCENARIOS = [
  {
    name: 'create-c50',
    description: 'POST /v1/payments, BANK_SIMULATOR_LATENCY_MS=0, 50 connections; app vs reference',
    env: { BANK_SIMULATOR_LATENCY_MS: '0', DATABASE_POOL_SIZE: '10' },
    connections: 50,
    withReference: true,
    prepare: async ({ key }) => [createRequest(key)],
  },
  {
    name: 'create-fixed-rate',
    description:
      "POST /v1/payments at a fixed rate of half the reference's maximum (create-c50's reference req/s if it ran before, else a flat-out probe), open loop, up to 200 connections; app vs reference, p99 compared",
    env: { BANK_SIMULATOR_LATENCY_MS: '0', DATABASE_POOL_SIZE: '10' },
    connections: 200,
    probeConnections: 50,
    withReference: true,
    run: runFixedRateScenario,
  },
  {
    name: 'request-log-c50',
    description:
      'POST /v1/payments as create-c50, the app at the default LOG_LEVEL=log (a log line per request, stdout to /dev/null) vs the same app at LOG_LEVEL=warn (no request log)',
    env: { BANK_SIMULATOR_LATENCY_MS: '0', DATABASE_POOL_SIZE: '10', LOG_LEVEL: 'log' },
    connections: 50,
    variant: { name: 'no-log', env: { LOG_LEVEL: 'warn' } },
    prepare: async ({ key }) => [createRequest(key)],
  },
  {
    name: 'get-c50',
    description: 'GET /v1/payments/{id}, 50 connections, rotating over 300 payments (100 with --quick) created through the app beforehand; app vs reference',
    env: { BANK_SIMULATOR_LATENCY_MS: '0', DATABASE_POOL_SIZE: '10' },
    connections: 50,
    withReference: true,
    prepare: async ({ app, key, quick }) => {
      const ids = [];
      for (let batch = 0; batch < (quick ? 5 : 15); batch++) {
        const created = await Promise.all(
          Array.from({ length: 20 }, async () =>
            expectJson(await fetch(`${app.base}/v1/payments`, { method: 'POST', headers: json(key), body: JSON.stringify(paymentBody()) }), 201),
          ),
        );
        ids.push(...created.map((payment) => payment.id));
      }
      return ids.map((id) => ({ method: 'GET', path: `/v1/payments/${id}`, headers: { authorization: `Bearer ${key}` } }));
    },
  },
  {
    name: 'list-page',
    description:
      'GET /v1/payments?limit=20 (first page, newest first) of one merchant, 50 connections, app only: with 10 k payments of the measured merchant (besides the history every scenario starts with, bench/database.mjs), then after seeding 1 M more for another merchant',
    env: { BANK_SIMULATOR_LATENCY_MS: '0', DATABASE_POOL_SIZE: '10' },
    connections: 50,
    run: runListScenario,
  },
  {
    name: 'acquirers-healthy-c50',
    description:
      'POST /v1/payments routed to two acquirer servers over loopback HTTP (npm run acquirer), the first healthy, 50 connections, app only: against create-c50, the cost of an out-of-process acquirer',
    env: { DATABASE_POOL_SIZE: '10' },
    connections: 50,
    prepare: (ctx) => routedToAcquirers(ctx, [{ mode: 'normal' }, { mode: 'normal' }]),
  },
  {
    name: 'acquirers-failover-c50',
    description:
      'The same with the first acquirer down (503): the first payments try it and fail over to the second; after ACQUIRER_FAILURE_THRESHOLD (5) failures it is skipped until each cool-down probe; app only',
    env: { DATABASE_POOL_SIZE: '10' },
    connections: 50,
    prepare: (ctx) => routedToAcquirers(ctx, [{ mode: 'down' }, { mode: 'normal' }]),
  },
  {
    name: 'create-bank-latency-200',
    description:
      'POST /v1/payments, BANK_SIMULATOR_LATENCY_MS=200, 200 connections: each connection waits 200 ms for the bank, so the ideal is 1000 req/s; app vs reference (which waits the same 200 ms, then inserts its row)',
    env: { BANK_SIMULATOR_LATENCY_MS: '200', DATABASE_POOL_SIZE: '20' },
    connections: 200,
    withReference: true,
    ideal: 200 / 0.2,
    prepare: async ({ key }) => [createRequest(key)],
  },
  {
    name: 'acquirer-latency-200',
    description:
      'POST /v1/payments routed to one acquirer server (npm run acquirer) in slow mode, 200 ms per authorisation, 200 connections, app only: the ideal is 1000 req/s',
    env: { DATABASE_POOL_SIZE: '20' },
    connections: 200,
    ideal: 200 / 0.2,
    prepare: (ctx) => routedToAcquirers(ctx, [{ mode: 'slow', latencyMs: 200 }]),
  },
  {
    name: 'idempotent-replay-c50',
    description: 'POST /v1/payments replayed: the same Idempotency-Key and body every time (the first response again), 50 connections, app only',
    env: { BANK_SIMULATOR_LATENCY_MS: '0', DATABASE_POOL_SIZE: '10' },
    connections: 50,
    prepare: async ({ app, key }) => {
      const request = createRequest(key, { 'idempotency-key': 'bench-replay-0001' });
      const send = () => fetch(`${app.base}${request.path}`, { method: 'POST', headers: request.headers, body: request.body });
      await expectJson(await send(), 201);
      const replay = await send();
      await expectJson(replay, 201);
      if (replay.headers.get('idempotent-replayed') !== 'true') throw new Error('idempotent-replay-c50: the second request was not a replay');
      return [request];
    },
  },
  {
    name: 'create-keyed-c50',
    description: 'POST /v1/payments with a new Idempotency-Key each (as a client that retries safely sends them), 50 connections, app only: compare with create-c50',
    env: { BANK_SIMULATOR_LATENCY_MS: '0', DATABASE_POOL_SIZE: '10' },
    connections: 50,
    prepare: async ({ key }) => {
      let sent = 0;
      const run = `${process.pid}-${Date.now()}`;
      return [{ ...createRequest(key), setupRequest: (request) => ({ ...request, headers: { ...request.headers, 'idempotency-key': `bench-${run}-${++sent}` } }) }];
    },
  },
  {
    name: 'create-bank-latency-200-c50',
    description: 'POST /v1/payments, BANK_SIMULATOR_LATENCY_MS=200, 50 connections, app only: not CPU-bound, so it shows whether anything waits on a pool slot while the bank answers (ideal 250 req/s)',
    env: { BANK_SIMULATOR_LATENCY_MS: '200', DATABASE_POOL_SIZE: '10' },
    connections: 50,
    ideal: 50 / 0.2,
    prepare: async ({ key }) => [createRequest(key)],
  },
  {
    name: 'webhook-delivery',
    description: 'events delivered per second to a local receiver: payments created at 20 connections (2 events each), every event to one endpoint, app only',
    env: { WEBHOOK_WORKER_INTERVAL_MS: '50', DATABASE_POOL_SIZE: '20' },
    run: runWebhookScenario,
  },
];

/** A fresh database for the scenario, dropped afterwards. */
async function withDatabase(ctx, label, work) {
  const url = await ctx.db.createDatabase(label);
  try {
    return await work(url);
  } finally {
    await ctx.db.dropDatabase(url);
  }
}

export async function runScenario(scenario, ctx) {
  return withDatabase(ctx, scenario.name, async (url) => {
    if (scenario.run) return scenario.run(scenario, ctx, url);
    const app = await startApp(url, scenario.env);
    let reference;
    const cleanups = [];
    try {
      const { merchantId, key } = await createMerchant(app, 'bench');
      if (scenario.withReference) reference = await startReference(url, scenario.env);
      // An A/B of one layer: the same app with one setting changed, in alternating rounds.
      if (scenario.variant) reference = await startApp(url, { ...scenario.env, ...scenario.variant.env }, scenario.variant.nodeArgs ?? [], scenario.variant.name);
      const requests = await scenario.prepare({ app, key, merchantId, quick: ctx.quick, cleanups });
      const servers = reference ? [app, reference] : [app];
      if (scenario.withReference) await checkSameAnswers(scenario.name, app, reference, requests[0]);
      log(`  started: ${servers.map((server) => `${server.name} in ${server.startupMs} ms`).join(', ')}`);
      const sides = await alternate(servers, { connections: scenario.connections, requests }, ctx.timing);
      return finish(scenario, sides);
    } finally {
      for (const cleanup of cleanups) await cleanup();
      await reference?.stop();
      await app.stop();
    }
  });
}

/**
 * Warms each server (unless `warm` is false), then A, B, A, B (or A, A): rounds × servers
 * measured runs. `fixedRate`: each round is an open-loop run at `load.rate` instead of a
 * closed-loop one, and a side's better round is the one with the lower p99.
 */
async function alternate(servers, load, timing, { warm = true, fixedRate = false } = {}) {
  if (warm) for (const server of servers) await warmUp(server, { ...load, seconds: timing.warmup });
  const rounds = Object.fromEntries(servers.map((server) => [server.name, []]));
  for (let round = 0; round < timing.rounds; round++) {
    for (const server of servers) {
      const result = await (fixedRate ? openLoop : measure)(server, { ...load, seconds: timing.seconds });
      rounds[server.name].push(result);
      const driver = fixedRate ? `, sent ${result.sentRps} req/s, scheduled→socket p99 ${result.socketWaitP99} ms, at most ${result.maxInFlight} in flight` : '';
      log(
        `  ${server.name.padEnd(9)} round ${round + 1}: ${result.rps} req/s, p50 ${result.p50} ms, p99 ${result.p99} ms, ${result.errors} errors, ` +
          `peak RSS ${result.peakRssMb} MB, steal ${result.stealPercent ?? '?'} %${driver}`,
      );
    }
  }
  return Object.fromEntries(Object.entries(rounds).map(([name, list]) => [name, { ...summarize(list, { byLatency: fixedRate }), rounds: list }]));
}

function finish(scenario, sides) {
  const result = {
    name: scenario.name,
    description: scenario.description,
    connections: scenario.connections,
    env: scenario.env,
    sides,
  };
  if (sides.reference) result.ratio = round2(sides.app.rps / sides.reference.rps);
  if (scenario.variant) {
    result.variant = scenario.variant;
    result.ratio = round2(sides.app.rps / sides[scenario.variant.name].rps);
  }
  if (scenario.ideal) {
    result.ideal = scenario.ideal;
    result.vsIdeal = round2(sides.app.rps / scenario.ideal);
    if (sides.reference) result.referenceVsIdeal = round2(sides.reference.rps / scenario.ideal);
  }
  return result;
}

/**
 * Before measuring, one request to each: both must answer 2xx with the same fields, so the two
 * sides are known to do comparable work (the values differ: ids, timestamps).
 */
async function checkSameAnswers(name, app, reference, request) {
  const answers = await Promise.all(
    [app, reference].map(async (server) => {
      const response = await fetch(`${server.base}${request.path}`, { method: request.method, headers: request.headers, body: request.body });
      return { status: response.status, body: await response.json() };
    }),
  );
  const [a, b] = answers;
  if (a.status !== b.status) throw new Error(`${name}: the app answered ${a.status}, the reference ${b.status}: ${JSON.stringify(b.body)}`);
  const shape = (value, prefix = '') =>
    value && typeof value === 'object' && !Array.isArray(value)
      ? Object.keys(value).flatMap((key) => [`${prefix}${key}`, ...shape(value[key], `${prefix}${key}.`)])
      : [];
  const [ka, kb] = [shape(a.body).sort().join(), shape(b.body).sort().join()];
  if (ka !== kb) throw new Error(`${name}: the app's and the reference's answers differ in shape:\n  ${ka}\n  ${kb}`);
  for (const field of ['status', 'amount', 'currency', 'amount_captured', 'history_status']) {
    if (a.body[field] !== b.body[field]) throw new Error(`${name}: ${field} differs: app ${a.body[field]}, reference ${b.body[field]}`);
  }
  if (a.body.card.fingerprint !== b.body.card.fingerprint) throw new Error(`${name}: the card fingerprints differ`);
  if (request.method === 'POST') {
    // The row the reference wrote reads back through the app exactly as the reference answered.
    const readBack = await expectJson(await fetch(`${app.base}/v1/payments/${b.body.id}`, { headers: { authorization: request.headers.authorization } }), 200);
    if (JSON.stringify(readBack) !== JSON.stringify(b.body)) {
      throw new Error(`${name}: the reference's payment reads back differently through the app:\n  ${JSON.stringify(readBack)}\n  ${JSON.stringify(b.body)}`);
    }
  }
}

/**
 * p99 at a fixed rate: both servers driven open loop (bench/open-loop.mjs) at half the
 * reference's maximum create rate, measured in this run: create-c50's reference figure when that
 * scenario ran before, else a flat-out probe of the reference here (closed-loop rounds at
 * `probeConnections` after both have warmed up, as many as a side's measured rounds, the better kept).
 */
async function runFixedRateScenario(scenario, ctx, url) {
  const app = await startApp(url, scenario.env);
  let reference;
  try {
    const { key } = await createMerchant(app, 'bench');
    reference = await startReference(url, scenario.env);
    const requests = [createRequest(key)];
    await checkSameAnswers(scenario.name, app, reference, requests[0]);
    log(`  started: app in ${app.startupMs} ms, reference in ${reference.startupMs} ms`);
    const probeLoad = { connections: scenario.probeConnections, requests };
    for (const server of [app, reference]) await warmUp(server, { ...probeLoad, seconds: ctx.timing.warmup });
    const earlier = ctx.results?.find((result) => result.name === 'create-c50')?.sides.reference;
    let maximum;
    if (earlier) maximum = { rps: earlier.rps, source: 'create-c50' };
    else {
      // As many flat-out rounds as a side gets measured, the better one kept (as for every side).
      const probes = [];
      for (let round = 0; round < ctx.timing.rounds; round++) {
        probes.push(await measure(reference, { ...probeLoad, seconds: ctx.timing.seconds }));
        log(`  reference flat out: ${probes.at(-1).rps} req/s (p99 ${probes.at(-1).p99} ms, ${probes.at(-1).errors} errors)`);
      }
      const best = probes.reduce((a, b) => (b.rps > a.rps ? b : a));
      maximum = { rps: best.rps, source: `probe at ${scenario.probeConnections} connections`, probes };
    }
    const rate = Math.floor(maximum.rps / 2);
    log(`  fixed rate ${rate} req/s, half the reference's ${maximum.rps} req/s (${maximum.source})`);
    const sides = await alternate([app, reference], { connections: scenario.connections, requests, rate }, ctx.timing, { warm: false, fixedRate: true });
    return {
      name: scenario.name,
      description: scenario.description,
      connections: scenario.connections,
      env: scenario.env,
      rate,
      referenceMaximum: maximum,
      sides,
      // p99 app ÷ p99 reference: issue 14 asks for at most 1.5.
      ratio: round2(sides.app.p99 / sides.reference.p99),
      ratioOf: 'p99',
    };
  } finally {
    await reference?.stop();
    await app.stop();
  }
}

/** The list page at two table sizes, on one app process; app only. */
async function runListScenario(scenario, ctx, url) {
  const sizes = ctx.quick ? { merchant: 1_000, other: 10_000 } : { merchant: 10_000, other: 1_000_000 };
  const app = await startApp(url, scenario.env);
  try {
    const measured = await createMerchant(app, 'bench list');
    const other = await createMerchant(app, 'bench bulk');
    const fingerprint = cardFingerprint(FINGERPRINT_SECRET, '4242424242424242');
    const now = Date.now();
    const load = {
      connections: scenario.connections,
      requests: [{ method: 'GET', path: '/v1/payments?limit=20', headers: { authorization: `Bearer ${measured.key}` } }],
    };
    const phases = [];
    const seed = async (merchantId, count, tag, stepMs) => {
      const started = performance.now();
      await seedPayments(url, { merchantId, count, tag, newestAt: new Date(now - 60_000), stepMs, fingerprint });
      await vacuumAnalyze(url);
      return Math.round((performance.now() - started) / 100) / 10;
    };
    // The measured merchant: one payment a minute; the other: the same period, 100 times denser.
    const spanMs = sizes.merchant * 60_000;
    const seedSeconds = [await seed(measured.merchantId, sizes.merchant, 'list', 60_000)];
    for (const [label, extra] of [
      ['small', null],
      ['large', () => seed(other.merchantId, sizes.other, 'bulk', spanMs / sizes.other)],
    ]) {
      if (extra) {
        log(`  seeding ${sizes.other} payments of another merchant …`);
        seedSeconds.push(await extra());
      }
      const rows = await countPayments(url);
      const page = await expectJson(await fetch(`${app.base}${load.requests[0].path}`, { headers: load.requests[0].headers }), 200);
      if (page.data.length !== 20 || page.data.some((payment) => payment.merchant_id !== measured.merchantId)) {
        throw new Error('list-page: the first page is not 20 payments of the measured merchant');
      }
      log(`  ${label}: ${rows} payments in the table`);
      const sides = await alternate([app], load, ctx.timing);
      phases.push({ label, rows, sides });
    }
    const [small, large] = phases;
    return {
      name: scenario.name,
      description: scenario.description,
      connections: scenario.connections,
      env: scenario.env,
      merchantRows: sizes.merchant,
      seedSeconds,
      phases,
      // ≥ 1 means the large table served as many pages per second as the small one.
      ratio: round2(large.sides.app.rps / small.sides.app.rps),
    };
  } finally {
    await app.stop();
  }
}

/** Events delivered per second: payments are created (2 events each), then the receiver counts. */
async function runWebhookScenario(scenario, ctx, url) {
  const payments = ctx.quick ? 300 : 2000;
  const received = [];
  const receiver = createHttpServer((req, res) => {
    req.resume();
    req.on('end', () => {
      received.push(performance.now());
      res.writeHead(200).end();
    });
  });
  await new Promise((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  const app = await startApp(url, scenario.env);
  try {
    const { key } = await createMerchant(app, 'bench');
    await expectJson(
      await fetch(`${app.base}/v1/webhook-endpoints`, {
        method: 'POST',
        headers: json(key),
        body: JSON.stringify({ url: `http://127.0.0.1:${receiver.address().port}/hooks`, events: ['*'] }),
      }),
      201,
    );
    const rss = sampleRss(app.pid);
    const started = performance.now();
    const load = await autocannon({ url: app.base, connections: 20, amount: payments, requests: [createRequest(key)] });
    const expected = payments * 2;
    const deadline = Date.now() + 120_000;
    while (received.length < expected && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
    const memory = rss.stop();
    const seconds = ((received.at(-1) ?? performance.now()) - started) / 1000;
    const result = {
      name: scenario.name,
      description: scenario.description,
      env: scenario.env,
      payments,
      expectedEvents: expected,
      deliveredEvents: received.length,
      seconds: Math.round(seconds * 10) / 10,
      eventsPerSecond: Math.round(received.length / seconds),
      createErrors: load.non2xx + load.errors + load.timeouts,
      errors: expected - received.length + load.non2xx + load.errors + load.timeouts,
      peakRssMb: memory.peakRssMb,
    };
    log(`  ${result.deliveredEvents}/${expected} events in ${result.seconds} s: ${result.eventsPerSecond} events/s, peak RSS ${result.peakRssMb} MB`);
    return result;
  } finally {
    await app.stop();
    receiver.close();
  }
}

const round2 = (value) => Math.round(value * 100) / 100;

export function log(line) {
  process.stderr.write(`${line}\n`);
}
