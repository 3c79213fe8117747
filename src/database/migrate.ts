import type { DataSource, Migration } from 'typeorm';

// Any fixed number: every instance contends for the same advisory lock.
const MIGRATION_LOCK_ID = 4_271_903_112;

/** Applies pending migrations while holding an advisory lock, so instances starting together take turns. */
export async function runMigrationsLocked(dataSource: DataSource): Promise<Migration[]> {
  const runner = dataSource.createQueryRunner();
  await runner.connect();
  try {
    await runner.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_ID]);
    try {
      return await dataSource.runMigrations({ transaction: 'each' });
    } finally {
      await runner.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_ID]);
    }
  } finally {
    await runner.release();
  }
}

/** Connects, applies what is pending under the lock, disconnects: for start-up and test set-up. */
export async function migrateDatabase(url: string): Promise<string[]> {
  const { DataSource } = await import('typeorm');
  const { dataSourceOptions } = await import('./data-source-options.js');
  const dataSource = await new DataSource(dataSourceOptions(url, 2)).initialize();
  try {
    return (await runMigrationsLocked(dataSource)).map((migration) => migration.name);
  } finally {
    await dataSource.destroy();
  }
}
