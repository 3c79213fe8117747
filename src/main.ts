import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import type { Server, ServerResponse } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { createApp } from './app.factory.js';
import { AppConfig, ConfigError, LOG_LEVELS, loadConfig, type LogLevel } from './config/config.js';
import type { EmbeddedDatabase } from './database/embedded-database.js';
import { migrateDatabase } from './database/migrate.js';
import { Lifecycle } from './health/lifecycle.js';
import { AppLogger } from './logging/app-logger.js';

const logger = new Logger('Bootstrap');
/** Past the bank's timeout, what a request still needs to record the outcome. */
const REQUEST_DRAIN_MARGIN_MS = 5000;

async function bootstrap(): Promise<void> {
  let config: AppConfig;
  try {
    config = loadConfig(process.env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    console.error(`Invalid configuration: ${error.message}`);
    process.exit(1);
  }
  const appLogger = new AppLogger(config.logFormat, logLevels(config.logLevel));
  Logger.overrideLogger(appLogger);

  let embedded: EmbeddedDatabase | undefined;
  if (!config.databaseUrl) {
    logger.log(`DATABASE_URL is unset: starting the embedded PostgreSQL in ${config.embeddedDatabaseDir}`);
    // Loaded only when needed: a deployment with DATABASE_URL never touches the embedded server.
    const { startEmbeddedDatabase } = await import('./database/embedded-database.js');
    embedded = await startEmbeddedDatabase({
      dataDir: config.embeddedDatabaseDir,
      port: config.embeddedDatabasePort,
      database: 'gateway',
      log: (line) => new Logger('PostgreSQL').verbose(line),
      notice: (line) => logger.warn(line),
    });
    config = config.withDatabaseUrl(embedded.url);
  }
  if (embedded || config.migrationsRun) {
    const applied = await migrateDatabase(config.databaseUrl!);
    logger.log(applied.length > 0 ? `Applied migrations: ${applied.join(', ')}` : 'The schema is up to date');
  }

  const app = await createApp(config, appLogger);
  const lifecycle = app.get(Lifecycle);
  const server = app.getHttpServer() as Server;
  const keepAlive = closeKeepAliveWhenStopping(server, lifecycle);
  /**
   * SIGTERM: report not-ready (and keep serving for SHUTDOWN_DELAY_MS while load balancers
   * notice), stop accepting connections, finish the requests in flight, stop the background
   * loops, close the pool, and stop the embedded database last.
   */
  const shutdown = async (signal: string) => {
    if (lifecycle.stopping) return;
    lifecycle.stopping = true;
    logger.log(`${signal} received: finishing requests in flight, then stopping`);
    keepAlive.stopping();
    try {
      if (config.shutdownDelayMs > 0) await sleep(config.shutdownDelayMs);
      // No new connections; then the requests being handled finish, those whose clients have
      // gone included (a payment recorded and sent to the bank is settled), before the pool
      // closes under them. A bank that never answers is cut off by BANK_TIMEOUT_MS.
      server.close();
      if (!(await lifecycle.requestsDone(config.bankTimeoutMs + REQUEST_DRAIN_MARGIN_MS))) {
        logger.warn(`${lifecycle.requestsInFlight} request(s) still running; stopping anyway`);
      }
      await app.close();
      await embedded?.stop();
      logger.log('Stopped cleanly');
      appLogger.flush();
      process.exit(0);
    } catch (error) {
      logger.error(`Shutdown failed: ${(error as Error).stack ?? String(error)}`);
      appLogger.flush();
      process.exit(1);
    }
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));

  await app.listen(config.port);
  logger.log(`Listening on http://localhost:${config.port} (Swagger UI at /docs)`);
}

/**
 * Node's server.close() waits for every keep-alive connection to end, and closes only those idle
 * at that moment: a connection busy then, and reused by its client (a load balancer's health
 * checks), would keep the process from ever stopping. Once stopping, every response (those
 * already in flight included) closes its connection: clients reconnect, elsewhere.
 */
function closeKeepAliveWhenStopping(server: Server, lifecycle: Lifecycle): { stopping(): void } {
  const open = new Set<ServerResponse>();
  server.prependListener('request', (_request, response: ServerResponse) => {
    if (lifecycle.stopping) {
      response.shouldKeepAlive = false;
      return;
    }
    open.add(response);
    response.once('close', () => open.delete(response));
  });
  return {
    stopping: () => {
      for (const response of open) response.shouldKeepAlive = false;
    },
  };
}

/** LOG_LEVEL=warn logs errors and warnings; each level includes the ones before it. */
function logLevels(level: LogLevel): LogLevel[] {
  return LOG_LEVELS.slice(0, LOG_LEVELS.indexOf(level) + 1);
}

bootstrap().catch((error: unknown) => {
  // Whatever was thrown, the operator reads a sentence, never "undefined".
  const reason = error instanceof Error ? (error.stack ?? error.message) : error === undefined ? 'no reason given' : String(error);
  logger.error(`Start-up failed: ${reason}`);
  process.exit(1);
});
