// `npm run bench:cpu [-- --route=create|get] [-- --server=app|reference] [-- --rate=300] [-- --connections=50] [-- --seconds=15] [-- --profile=<dir>]`
// Where the time goes: drives one route of the built app at a fixed rate (not flat out, so the
// figures do not depend on how the machine shares its two cores) and reports the CPU time the app
// process and the PostgreSQL server processes spent per request, read from /proc (Linux only).
// With --profile, the app also writes a V8 CPU profile (node --cpu-prof) into that directory, and
// the measured run's samples are attributed to the app's layers (bench/layers.mjs).
// The database is the bench's: DATABASE_URL's server, or an embedded one.
import autocannon from 'autocannon';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { startDatabaseServer } from './database.mjs';
import { attributeLayers, layerTable } from './layers.mjs';
import { paymentBody } from './scenarios.mjs';
import { createMerchant, expectJson, json, startApp, startReference } from './servers.mjs';

const options = Object.fromEntries(
  process.argv.slice(2).map((arg) => {
    const [, name, value] = /^--([a-z]+)=(.+)$/.exec(arg) ?? [];
    if (!['route', 'server', 'rate', 'connections', 'seconds', 'profile'].includes(name)) {
      console.error(`unknown argument ${arg}; see the first line of bench/cpu.mjs`);
      process.exit(2);
    }
    return [name, value];
  }),
);
const route = options.route ?? 'create';
const serverName = options.server ?? 'app';
const rate = Number(options.rate ?? 300);
const connections = Number(options.connections ?? 50);
const seconds = Number(options.seconds ?? 15);

const TICKS_PER_SECOND = 100; // USER_HZ, as /proc/<pid>/stat counts
/** CPU seconds a process has used so far (user + system), or 0 once it is gone. */
function processCpu(pid) {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND;
  } catch {
    return 0;
  }
}
/** The same for all PostgreSQL processes together (backends, WAL writer, checkpointer, …). */
function postgresCpu() {
  let total = 0;
  for (const pid of readdirSync('/proc').filter((entry) => /^\d+$/.test(entry))) {
    try {
      if (readFileSync(`/proc/${pid}/comm`, 'utf8').trim() === 'postgres') total += processCpu(pid);
    } catch {
      // gone meanwhile
    }
  }
  return total;
}
function machine() {
  const fields = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
  return { total: fields.reduce((sum, value) => sum + value, 0), idle: fields[3], steal: fields[7] ?? 0 };
}

const db = await startDatabaseServer();
const url = await db.createDatabase(`cpu_${route}`);
const nodeArgs = options.profile ? ['--cpu-prof', `--cpu-prof-dir=${path.resolve(options.profile)}`] : [];
// The reference (bench/nest-reference/) serves the same two routes over the app's tables: the
// app starts first for its migrations and the merchant's key, then steps aside.
const app = await startApp(url, { BANK_SIMULATOR_LATENCY_MS: '0' }, serverName === 'app' ? nodeArgs : []);
let server = app;
const startedMs = Date.now();
/** V8's profile timestamps are the monotonic clock's, in µs. */
const monotonicUs = () => Number(process.hrtime.bigint() / 1000n);
let measured;
try {
  const { key } = await createMerchant(app, 'cpu');
  if (serverName === 'reference') {
    await app.stop();
    server = await startReference(url, {}, nodeArgs);
  }
  const create = { method: 'POST', path: '/v1/payments', headers: json(key), body: JSON.stringify(paymentBody()) };
  let requests = [create];
  if (route === 'get') {
    const created = await expectJson(await fetch(`${server.base}${create.path}`, create), 201);
    requests = [{ method: 'GET', path: `/v1/payments/${created.id}`, headers: { authorization: `Bearer ${key}` } }];
  }
  const load = (duration) => autocannon({ url: server.base, connections, duration, requests, overallRate: rate });
  await load(5); // warm-up: the JIT, the pool, the caches
  const before = { app: processCpu(server.pid), postgres: postgresCpu(), machine: machine() };
  const fromUs = monotonicUs();
  const result = await load(seconds);
  measured = { fromUs, toUs: monotonicUs(), requests: result.requests.total };
  const after = { app: processCpu(server.pid), postgres: postgresCpu(), machine: machine() };
  const n = result.requests.total;
  const perRequest = (key) => ((1000 * (after[key] - before[key])) / n).toFixed(2);
  const share = (key) => Math.round((100 * (after.machine[key] - before.machine[key])) / (after.machine.total - before.machine.total));
  console.log(
    `${serverName}: ${route} at ${rate} req/s, ${connections} connections, ${seconds} s: ${n} requests, ${result.non2xx + result.errors} errors; ` +
      `CPU per request: app ${perRequest('app')} ms, PostgreSQL ${perRequest('postgres')} ms; ` +
      `machine idle ${share('idle')} %, steal ${share('steal')} %`,
  );
} finally {
  await server.stop();
  await app.stop();
  await db.dropDatabase(url);
  await db.stop();
}
if (options.profile && measured) {
  // The app writes its profile as it exits: the newest one in the directory, from this run.
  const dir = path.resolve(options.profile);
  const file = readdirSync(dir)
    .filter((name) => name.endsWith('.cpuprofile'))
    .map((name) => ({ name, mtime: statSync(path.join(dir, name)).mtimeMs }))
    .filter(({ mtime }) => mtime >= startedMs)
    .sort((a, b) => b.mtime - a.mtime)[0];
  if (!file) throw new Error(`no .cpuprofile written in ${dir}`);
  const profile = JSON.parse(readFileSync(path.join(dir, file.name), 'utf8'));
  console.log(`\n${path.join(dir, file.name)}, the measured ${seconds} s only:\n`);
  console.log(layerTable(attributeLayers(profile, measured), measured.requests));
}
