// The two servers under test, each its own child process (so that its memory is its own):
// the built app (dist/src/main.js) and the minimal Nest reference (dist/bench/nest-reference/main.js).
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort } from './database.mjs';

export const ADMIN_KEY = 'bench-admin-key-0123456789abcdef';
export const FINGERPRINT_SECRET = 'bench-card-fingerprint-secret-0123456789';

/** The app's environment in every scenario; a scenario adds to it (bank latency, pool size, …). */
const APP_ENV = {
  ADMIN_API_KEY: ADMIN_KEY,
  CARD_FINGERPRINT_SECRET: FINGERPRINT_SECRET,
  LOG_LEVEL: 'warn',
  // Else every start prints the generated first admin's password.
  ADMIN_PASSWORD: 'bench admin password',
  RATE_LIMIT_PER_KEY: '0',
  WORKERS_ENABLED: 'true',
};

/** The Node that runs the servers under test: BENCH_NODE (`npm run bench:node24` sets it), or this one. */
export const SERVER_NODE = process.env.BENCH_NODE ?? process.execPath;

/** The app runs as `npm start` runs it (without its build): the same Node flags. */
const START_ARGS = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')).scripts.start.split(/\s+/).slice(1);

/**
 * Node flags for every server under test, from BENCH_NODE_ARGS (say `--max-semi-space-size=4`):
 * a flag `npm start` also sets is replaced, not repeated.
 */
const EXTRA_ARGS = (process.env.BENCH_NODE_ARGS ?? '').split(/\s+/).filter(Boolean);

/** `npm start`'s flags and script with `extra` flags: those named there replace `npm start`'s own. */
function nodeArgsWith(extra, startArgs = START_ARGS) {
  const names = new Set(extra.map((arg) => arg.split('=')[0]));
  return [...extra, ...startArgs.filter((arg) => !names.has(arg.split('=')[0]))];
}

/**
 * With BENCH_MEMORY_LOG_DIR set, each server samples its own memory every 100 ms into
 * <dir>/<name>-<n>.jsonl (bench/memory-sampler.cjs).
 */
let memoryLogs = 0;
function memoryLog(name) {
  const dir = process.env.BENCH_MEMORY_LOG_DIR;
  if (!dir) return { args: [], env: {} };
  const file = path.resolve(dir, `${name}-${++memoryLogs}.jsonl`);
  return { args: ['--require', fileURLToPath(new URL('memory-sampler.cjs', import.meta.url))], env: { BENCH_MEMORY_LOG: file } };
}

/** `nodeArgs` go before `npm start`'s own flags (say, `--cpu-prof`) and replace those of the same name; `name` tells two apps of an A/B apart. */
export function startApp(databaseUrl, env = {}, nodeArgs = [], name = 'app') {
  const memory = memoryLog(name);
  return start(name, [...memory.args, ...nodeArgsWith([...EXTRA_ARGS, ...nodeArgs])], { ...APP_ENV, DATABASE_URL: databaseUrl, ...env, ...memory.env });
}

/** The reference gets the same pool size as the app (DATABASE_POOL_SIZE, default 10 in both) and the same bank latency (BANK_SIMULATOR_LATENCY_MS). */
export function startReference(databaseUrl, env = {}, nodeArgs = []) {
  // The app's own heap flags: the two are compared under the same memory limits.
  const memory = memoryLog('reference');
  return start('reference', [...memory.args, ...nodeArgsWith([...EXTRA_ARGS, ...nodeArgs], [...START_ARGS.slice(0, -1), 'dist/bench/nest-reference/main.js'])], {
    ...memory.env,
    CARD_FINGERPRINT_SECRET: FINGERPRINT_SECRET,
    DATABASE_URL: databaseUrl,
    ...(env.DATABASE_POOL_SIZE && { DATABASE_POOL_SIZE: env.DATABASE_POOL_SIZE }),
    ...(env.BANK_SIMULATOR_LATENCY_MS && { BANK_SIMULATOR_LATENCY_MS: env.BANK_SIMULATOR_LATENCY_MS }),
  });
}

/** Should the harness itself die, its servers do not outlive it. */
const live = new Set();
process.once('exit', () => {
  for (const child of live) child.kill('SIGKILL');
});

/**
 * Other people's `npm run build` on this checkout empties dist/ for a few seconds: a server that
 * exits before it is ready is started again, up to three times.
 */
async function start(name, args, env) {
  for (let attempt = 1; ; attempt++) {
    try {
      return await startOnce(name, args, env);
    } catch (error) {
      if (attempt >= 3 || !/exited before/.test(error.message)) throw error;
      process.stderr.write(`  ${error.message}; starting it again in 5 s\n`);
      await new Promise((resolve) => setTimeout(resolve, 5000));
    }
  }
}

async function startOnce(name, args, env) {
  const port = await freePort();
  const child = spawn(SERVER_NODE, args, {
    env: { ...process.env, ...env, PORT: String(port) },
    // A log line per request (LOG_LEVEL=log, the default) goes where a container's stdout would
    // go, a file descriptor that takes it at once, rather than onto the bench's own output.
    stdio: ['ignore', env.LOG_LEVEL === 'warn' || env.LOG_LEVEL === 'error' ? 'inherit' : 'ignore', 'inherit'],
  });
  live.add(child);
  const exited = new Promise((resolve) => child.once('exit', resolve));
  void exited.then(() => live.delete(child));
  const base = `http://127.0.0.1:${port}`;
  const server = {
    name,
    base,
    pid: child.pid,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
  const started = performance.now();
  try {
    await waitUntilReady(base, exited);
    server.startupMs = Math.round(performance.now() - started);
  } catch (error) {
    await server.stop();
    throw new Error(`${name}: ${error.message}`);
  }
  return server;
}

async function waitUntilReady(base, exited) {
  let gone = false;
  void exited.then(() => (gone = true));
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline && !gone) {
    try {
      if ((await fetch(`${base}/health/ready`)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(gone ? 'exited before it was ready' : 'did not become ready within 60 s');
}

/**
 * Samples the process's resident set (VmRSS of /proc/<pid>/status) every 100 ms; stop() gives
 * the largest sample in MB, and VmHWM (the peak since the process started) for reference.
 */
export function sampleRss(pid) {
  let peakKb = 0;
  const read = () => {
    try {
      const status = readFileSync(`/proc/${pid}/status`, 'utf8');
      const rss = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
      if (rss > peakKb) peakKb = rss;
      return status;
    } catch {
      return ''; // not Linux, or the process is gone
    }
  };
  read();
  const timer = setInterval(read, 100);
  return {
    stop() {
      clearInterval(timer);
      const status = read();
      const hwmKb = Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0);
      return { peakRssMb: mb(peakKb), hwmMb: mb(hwmKb) };
    },
  };
}

const mb = (kb) => (kb ? Math.round(kb / 102.4) / 10 : null);

export function json(key, extra = {}) {
  return { authorization: `Bearer ${key}`, 'content-type': 'application/json', ...extra };
}

/** A merchant and one of its keys, made through the app's admin API. */
export async function createMerchant(app, name) {
  const merchant = await expectJson(
    await fetch(`${app.base}/v1/admin/merchants`, { method: 'POST', headers: json(ADMIN_KEY), body: JSON.stringify({ name }) }),
    201,
  );
  const key = await expectJson(await fetch(`${app.base}/v1/admin/merchants/${merchant.id}/api-keys`, { method: 'POST', headers: json(ADMIN_KEY) }), 201);
  return { merchantId: merchant.id, key: key.key };
}

export async function expectJson(response, status) {
  const text = await response.text();
  if (response.status !== status) throw new Error(`${response.url}: expected ${status}, got ${response.status}: ${text.slice(0, 300)}`);
  return JSON.parse(text);
}

export const ACQUIRER_KEY = 'bench-acquirer-key';

/**
 * An acquirer server (`npm run acquirer`) on a free port, in `mode` (with `latencyMs` for `slow`:
 * how long each answer waits); its request log is not kept.
 */
export async function startAcquirer(mode = 'normal', latencyMs) {
  const port = await freePort();
  const child = spawn(SERVER_NODE, ['dist/src/acquirer-server/main.js'], {
    env: { ...process.env, ACQUIRER_PORT: String(port), ACQUIRER_API_KEY: ACQUIRER_KEY, ACQUIRER_MODE: mode, ...(latencyMs !== undefined && { ACQUIRER_LATENCY_MS: String(latencyMs) }) },
    stdio: 'ignore',
  });
  live.add(child);
  const exited = new Promise((resolve) => child.once('exit', resolve));
  void exited.then(() => live.delete(child));
  const base = `http://127.0.0.1:${port}`;
  for (const deadline = Date.now() + 20_000; ; await new Promise((resolve) => setTimeout(resolve, 50))) {
    if (Date.now() > deadline) throw new Error(`acquirer on ${port} not ready`);
    const ok = await fetch(`${base}/_health`).then((response) => response.ok, () => false);
    if (ok) break;
  }
  return {
    base,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}
