import { spawn } from 'node:child_process';
import path from 'node:path';
import { call, freePort, kill, type AppProcess, type Env } from './processes.js';
import { waitFor } from './wait-for.js';

/** What `npm run acquirer` runs. The build must be current (`npm run build`). */
export const ACQUIRER_MAIN = path.resolve('dist/src/acquirer-server/main.js');
export const ACQUIRER_KEY = 'acq_test_key';

export interface AcquirerProcess extends AppProcess {
  /** POST /_control: `mode`, and `latency_ms` when given. */
  setMode(mode: string, latencyMs?: number): Promise<void>;
  /** GET /_records: what this acquirer really recorded. */
  records(): Promise<AcquirerRecords>;
}

export interface AcquirerRecords {
  authorizations: { id: string; reference: string; status: string; decline_code: string | null; captured_amount: number; reversed: boolean }[];
  captures: { id: string; authorization_id: string; amount: number; status: string }[];
  voids: { id: string; authorization_id: string; status: string }[];
  refunds: { id: string; authorization_id: string; amount: number; reference: string; status: string }[];
  reversals: { reference: string; reversed: boolean }[];
}

/** Spawns the acquirer server on loopback (a free port unless ACQUIRER_PORT is given), without waiting. */
export async function spawnAcquirer(env: Env = {}): Promise<AcquirerProcess> {
  const port = env.ACQUIRER_PORT !== undefined ? Number(env.ACQUIRER_PORT) : await freePort();
  const merged: Env = { ...process.env, ...env, ACQUIRER_PORT: String(port) };
  for (const [name, value] of Object.entries(merged)) if (value === undefined) delete merged[name];
  const child = spawn(process.execPath, [ACQUIRER_MAIN], { env: merged as NodeJS.ProcessEnv, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('close', (code) => resolve(code)));
  const base = `http://127.0.0.1:${port}`;
  const key = env.ACQUIRER_API_KEY ?? ACQUIRER_KEY;
  return {
    base,
    port,
    child,
    output: () => output,
    exited,
    async setMode(mode, latencyMs) {
      const answer = await call(base, 'POST', '/_control', key, { mode, ...(latencyMs !== undefined && { latency_ms: latencyMs }) });
      if (answer.status !== 200) throw new Error(`Setting the acquirer's mode: ${answer.status} ${answer.text}`);
    },
    async records() {
      const answer = await call<AcquirerRecords>(base, 'GET', '/_records', key);
      if (answer.status !== 200) throw new Error(`Reading the acquirer's records: ${answer.status} ${answer.text}`);
      return answer.body;
    },
  };
}

/** `spawnAcquirer`, then waits until GET /_health answers; kills it if it never does. */
export async function startAcquirer(env: Env = {}): Promise<AcquirerProcess> {
  const acquirer = await spawnAcquirer(env);
  let ended = false;
  void acquirer.exited.then(() => (ended = true));
  try {
    await waitFor(
      async () => {
        if (ended) throw new Error(`The acquirer server exited before it was ready; output:\n${acquirer.output()}`);
        try {
          const response = await fetch(`${acquirer.base}/_health`);
          await response.arrayBuffer();
          return response.status === 200;
        } catch {
          return false;
        }
      },
      () => `${acquirer.base}/_health; output so far:\n${acquirer.output()}`,
    );
    return acquirer;
  } catch (error) {
    await kill(acquirer);
    throw error;
  }
}
