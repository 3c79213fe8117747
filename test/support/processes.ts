import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import path from 'node:path';
import { waitFor } from './wait-for.js';

/** Kept importable from here: process tests have always found it beside `start`. */
export { waitFor };

/** What `npm start` runs. The build must be current (`npm run build`). */
export const MAIN = path.resolve('dist/src/main.js');

export type Env = Record<string, string | undefined>;

export interface AppProcess {
  /** `http://127.0.0.1:<port>` (meaningless when PORT is not a valid port). */
  base: string;
  port: number;
  child: ChildProcess;
  /** Everything written to stdout and stderr so far. */
  output: () => string;
  /** The exit code (null when killed by a signal). */
  exited: Promise<number | null>;
}

/** A TCP port free on 127.0.0.1 at the time of asking. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** True when nothing listens on the port any more. */
export function canListen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

/**
 * Spawns `node dist/src/main.js` with the test runner's environment minus DATABASE_URL (a run
 * names its database explicitly, or gets none), plus `env`; `undefined` removes a variable.
 * The port is PORT from `env` when given, else a free one.
 */
export async function start(env: Env): Promise<AppProcess> {
  const port = env.PORT !== undefined ? Number(env.PORT) : await freePort();
  return spawnMain({ ...env, PORT: env.PORT ?? String(port) }, port);
}

/** `start` without picking a port: for runs that must fail before listening, or bring their own PORT. */
export function spawnMain(env: Env, port = Number(env.PORT)): AppProcess {
  const inherited: Env = { ...process.env };
  delete inherited.DATABASE_URL;
  const merged: Env = { ...inherited, NO_COLOR: '1', ...env };
  for (const [name, value] of Object.entries(merged)) if (value === undefined) delete merged[name];
  const child = spawn(process.execPath, [MAIN], { env: merged as NodeJS.ProcessEnv, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  // 'close', not 'exit': by then both pipes are drained, so output() holds every last line.
  const exited = new Promise<number | null>((resolve) => child.once('close', (code) => resolve(code)));
  return { base: `http://127.0.0.1:${port}`, port, child, output: () => output, exited };
}

/** SIGKILLs the process unless it has already ended, and waits for it: for `finally` blocks. */
export async function kill(app: AppProcess | undefined): Promise<void> {
  if (!app) return;
  if (app.child.exitCode === null && app.child.signalCode === null) app.child.kill('SIGKILL');
  await app.exited;
}

/**
 * Waits until `GET /health/ready` answers 200. With `app`, fails at once if the process
 * ends first, and shows its output on failure.
 */
export async function waitUntilReady(base: string, app?: AppProcess, timeoutMs = 30_000): Promise<void> {
  let ended = false;
  void app?.exited.then(() => (ended = true));
  await waitFor(
    async () => {
      if (ended) throw new Error(`The app exited before it was ready; output:\n${app!.output()}`);
      try {
        const response = await fetch(`${base}/health/ready`);
        await response.arrayBuffer();
        return response.status === 200;
      } catch {
        return false;
      }
    },
    () => `${base} ready${app ? `; output so far:\n${app.output()}` : ''}`,
    timeoutMs,
  );
}

/** `start`, then `waitUntilReady`; kills the process if it never gets ready. */
export async function startReady(env: Env): Promise<AppProcess> {
  const app = await start(env);
  try {
    await waitUntilReady(app.base, app);
    return app;
  } catch (error) {
    await kill(app);
    throw error;
  }
}

export interface Answer<T = Record<string, unknown>> {
  status: number;
  headers: Headers;
  /** The body exactly as sent. */
  text: string;
  body: T;
}

/** One JSON request with a bearer key; `headers` adds or overrides headers. */
export async function call<T = Record<string, unknown>>(
  base: string,
  method: string,
  route: string,
  key: string | undefined,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<Answer<T>> {
  const response = await fetch(`${base}${route}`, {
    method,
    headers: {
      ...(key !== undefined && { Authorization: `Bearer ${key}` }),
      ...(body !== undefined && { 'Content-Type': 'application/json' }),
      ...headers,
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  let parsed: unknown;
  try {
    parsed = text === '' ? undefined : JSON.parse(text);
  } catch {
    parsed = text;
  }
  return { status: response.status, headers: response.headers, text, body: parsed as T };
}

/** A fresh merchant and its key, made with the admin key. */
export async function createMerchant(base: string, adminKey: string, name = 'Process test merchant'): Promise<{ id: string; key: string }> {
  const merchant = await call<{ id: string }>(base, 'POST', '/v1/admin/merchants', adminKey, { name });
  if (merchant.status !== 201) throw new Error(`Creating a merchant: ${merchant.status} ${merchant.text}`);
  const key = await call<{ key: string }>(base, 'POST', `/v1/admin/merchants/${merchant.body.id}/api-keys`, adminKey);
  if (key.status !== 201) throw new Error(`Issuing a key: ${key.status} ${key.text}`);
  return { id: merchant.body.id, key: key.body.key };
}
