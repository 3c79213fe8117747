import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { freePort, kill, spawnMain, startReady, waitFor, type AppProcess } from './support/processes.js';

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

/**
 * A newcomer closes the terminal (or the app is killed with -9): the embedded PostgreSQL it
 * started is left running. The next `npm start` must still work.
 */
describe('An embedded PostgreSQL left running (e2e)', () => {
  let dir: string;
  let env: Record<string, string | undefined>;
  const apps: AppProcess[] = [];

  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'gateway-orphan-'));
    env = { EMBEDDED_DATABASE_DIR: path.join(dir, 'postgres'), EMBEDDED_DATABASE_PORT: String(await freePort()) };
  });
  afterAll(async () => {
    for (const app of apps) await kill(app);
    // A last orphan, if a test failed half-way.
    const pid = Number((await readFile(path.join(dir, 'postgres', 'postmaster.pid'), 'utf8').catch(() => '')).split('\n')[0]);
    if (pid > 0 && alive(pid)) process.kill(pid, 'SIGQUIT');
    await rm(dir, { recursive: true, force: true });
  });

  const postmaster = async () => Number((await readFile(path.join(dir, 'postgres', 'postmaster.pid'), 'utf8')).split('\n')[0]);

  it('is stopped by the next start, which then serves; a clean stop leaves nothing running', async () => {
    const first = await startReady(env);
    apps.push(first);
    const orphan = await postmaster();
    first.child.kill('SIGKILL');
    await first.exited;
    expect(alive(orphan)).toBe(true);

    const second = await startReady(env);
    apps.push(second);
    expect(second.output()).toContain(`Stopping the embedded PostgreSQL (pid ${orphan}) left running`);
    expect(second.output()).not.toContain('undefined');
    expect(alive(orphan)).toBe(false);
    const health = await fetch(`${second.base}/health/ready`);
    expect(health.status).toBe(200);

    const server = await postmaster();
    second.child.kill('SIGTERM');
    expect(await second.exited).toBe(0);
    await waitFor(() => !alive(server), 'the embedded server stopped with the app');
  }, 90_000);

  it('is not taken from a gateway that is still running: the second start says so in plain words', async () => {
    const running = await startReady(env);
    apps.push(running);
    const second = spawnMain({ ...env, PORT: String(await freePort()) });
    apps.push(second);
    expect(await second.exited).toBe(1);
    expect(second.output()).toContain(`belongs to another gateway that is still running (pid ${running.child.pid})`);
    expect(second.output()).not.toContain('undefined');
    // The first one never noticed.
    expect((await fetch(`${running.base}/health/ready`)).status).toBe(200);
  }, 90_000);
});
