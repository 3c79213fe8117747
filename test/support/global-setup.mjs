// Plain JS on purpose: Jest loads global set-up outside its ESM transform, so this uses the
// build (`pretest` runs it) for the embedded server and the migrations.
import { mkdtemp } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startEmbeddedDatabase } from '../../dist/src/database/embedded-database.js';
import { migrateDatabase } from '../../dist/src/database/migrate.js';

/**
 * A real PostgreSQL for the e2e suite: DATABASE_URL when set (CI's second run), otherwise an
 * embedded server in a temporary directory. Migrations are applied once, here.
 */
export default async function globalSetup() {
  if (!process.env.DATABASE_URL) {
    const dir = await mkdtemp(path.join(tmpdir(), 'gateway-test-'));
    const database = await startEmbeddedDatabase({
      dataDir: path.join(dir, 'pgdata'),
      port: await freePort(),
      database: 'gateway_test',
    });
    globalThis.__EMBEDDED_DATABASE__ = { database, dir };
    process.env.DATABASE_URL = database.url;
  }
  await migrateDatabase(process.env.DATABASE_URL);
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
