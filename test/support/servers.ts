import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Redis } from 'ioredis';
import { startEmbeddedDatabase, type EmbeddedDatabase } from '../../src/database/embedded-database.js';
import { migrateDatabase } from '../../src/database/migrate.js';
import { freePort, waitFor } from './processes.js';

/**
 * Servers a test starts for itself, to freeze (`kill -STOP`) without disturbing the suite's
 * shared database or the machine's Redis. All on loopback.
 */
export interface FreezableServer {
  url: string;
  /** SIGSTOP to the server and every process it forked: it accepts connections but never answers. */
  freeze(): Promise<void>;
  /** SIGCONT to the same. */
  thaw(): Promise<void>;
  stop(): Promise<void>;
}

/** The pid and every descendant of it, from /proc. */
async function processTree(root: number): Promise<number[]> {
  const parents = new Map<number, number>();
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = await readFile(`/proc/${entry}/stat`, 'utf8').catch(() => '');
    // The command name (2nd field) is in parentheses and may hold spaces: parse after it.
    const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
    if (ppid) parents.set(Number(entry), ppid);
  }
  const tree = [root];
  for (let i = 0; i < tree.length; i++) for (const [pid, ppid] of parents) if (ppid === tree[i]) tree.push(pid);
  return tree;
}

function signalTree(root: () => number, signal: NodeJS.Signals): () => Promise<void> {
  return async () => {
    for (const pid of await processTree(root())) {
      try {
        process.kill(pid, signal);
      } catch {
        // Gone meanwhile (a backend whose client left).
      }
    }
  };
}

/** A PostgreSQL of its own, migrated, in a temporary directory. */
export async function startPrivateDatabase(): Promise<FreezableServer> {
  const dir = await mkdtemp(path.join(tmpdir(), 'gateway-frozen-pg-'));
  const dataDir = path.join(dir, 'pgdata');
  const database: EmbeddedDatabase = await startEmbeddedDatabase({ dataDir, port: await freePort(), database: 'gateway' });
  await migrateDatabase(database.url);
  const postmaster = Number((await readFile(path.join(dataDir, 'postmaster.pid'), 'utf8')).split('\n')[0]);
  const thaw = signalTree(() => postmaster, 'SIGCONT');
  return {
    url: database.url,
    freeze: signalTree(() => postmaster, 'SIGSTOP'),
    thaw,
    stop: async () => {
      await thaw();
      await database.stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** A redis-server of its own (the machine's binary), keeping nothing on disk. */
export async function startPrivateRedis(): Promise<FreezableServer> {
  const port = await freePort();
  const child: ChildProcess = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], {
    stdio: 'ignore',
  });
  const exited = new Promise((resolve) => child.once('exit', resolve));
  const url = `redis://127.0.0.1:${port}`;
  const probe = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
  probe.on('error', () => undefined);
  await waitFor(async () => {
    try {
      if (probe.status !== 'ready') await probe.connect();
      return (await probe.ping()) === 'PONG';
    } catch {
      return false;
    }
  }, `redis-server on port ${port}`);
  probe.disconnect();
  const thaw = signalTree(() => child.pid!, 'SIGCONT');
  return {
    url,
    freeze: signalTree(() => child.pid!, 'SIGSTOP'),
    thaw,
    stop: async () => {
      await thaw();
      child.kill('SIGKILL');
      await exited;
    },
  };
}
