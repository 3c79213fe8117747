import { rm } from 'node:fs/promises';

export default async function globalTeardown() {
  const embedded = globalThis.__EMBEDDED_DATABASE__;
  if (!embedded) return;
  await embedded.database.stop();
  await rm(embedded.dir, { recursive: true, force: true });
}
