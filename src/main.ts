import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { createApp } from './app.factory.js';
import { AppConfig, ConfigError, LOG_LEVELS, loadConfig, type LogLevel } from './config/config.js';
import type { EmbeddedDatabase } from './database/embedded-database.js';
import { migrateDatabase } from './database/migrate.js';

const logger = new Logger('Bootstrap');

async function bootstrap(): Promise<void> {
  let config: AppConfig;
  try {
    config = loadConfig(process.env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    console.error(`Invalid configuration: ${error.message}`);
    process.exit(1);
  }

  let embedded: EmbeddedDatabase | undefined;
  if (!config.databaseUrl) {
    logger.log(`DATABASE_URL is unset: starting the embedded PostgreSQL in ${config.embeddedDatabaseDir}`);
    // Loaded only when needed: a deployment with DATABASE_URL never touches the embedded server.
    const { startEmbeddedDatabase } = await import('./database/embedded-database.js');
    embedded = await startEmbeddedDatabase({
      dataDir: config.embeddedDatabaseDir,
      port: config.embeddedDatabasePort,
      database: 'gateway',
    });
    config = config.withDatabaseUrl(embedded.url);
  }
  if (embedded || config.migrationsRun) {
    const applied = await migrateDatabase(config.databaseUrl!);
    logger.log(applied.length > 0 ? `Applied migrations: ${applied.join(', ')}` : 'The schema is up to date');
  }

  const app = await createApp(config, logLevels(config.logLevel));
  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.log(`${signal} received: finishing requests in flight, then stopping`);
    await app.close();
    await embedded?.stop();
    process.exit(0);
  };
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
  process.once('SIGINT', () => void shutdown('SIGINT'));

  await app.listen(config.port);
  logger.log(`Listening on http://localhost:${config.port} (Swagger UI at /docs)`);
}

/** LOG_LEVEL=warn logs errors and warnings; each level includes the ones before it. */
function logLevels(level: LogLevel): LogLevel[] {
  return LOG_LEVELS.slice(0, LOG_LEVELS.indexOf(level) + 1);
}

bootstrap().catch((error: unknown) => {
  logger.error(`Start-up failed: ${error instanceof Error ? error.stack : String(error)}`);
  process.exit(1);
});
