import { BeforeApplicationShutdown, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import pg from 'pg';
import { AppConfig } from '../config/config.js';
import { ApiKeyCache } from './api-key-cache.js';

/** The channel the api_keys triggers announce a revoked key's hash on (see the migration). */
const REVOKED_CHANNEL = 'api_key_revoked';
const MAX_CACHED_KEYS = 10_000;
const RECONNECT_MS = 1000;

/**
 * Listens, on a connection of its own, for the database's announcements of revoked keys and
 * keeps this instance's key cache true to them. While that connection is down the cache is
 * closed: every request asks the database, as if there were no cache.
 */
@Injectable()
export class ApiKeyRevocations implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('ApiKeyRevocations');
  readonly cache: ApiKeyCache;
  private client: pg.Client | undefined;
  private reconnect: NodeJS.Timeout | undefined;
  private stopped = false;

  constructor(private readonly config: AppConfig) {
    this.cache = new ApiKeyCache(config.apiKeyCacheTtlMs, MAX_CACHED_KEYS);
  }

  /** Whether revocations are heard right now, and so whether cached keys are trusted. */
  get listening(): boolean {
    return this.client !== undefined;
  }

  async onApplicationBootstrap(): Promise<void> {
    if (this.config.apiKeyCacheTtlMs > 0) await this.listen();
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.reconnect);
    this.cache.close();
    const client = this.client;
    this.client = undefined;
    await client?.end().catch(() => undefined);
  }

  private async listen(): Promise<void> {
    const client = new pg.Client({
      connectionString: this.config.databaseUrl,
      application_name: 'payment-gateway-key-revocations',
      keepAlive: true,
      connectionTimeoutMillis: this.config.databasePoolTimeoutMs,
      query_timeout: this.config.databaseStatementTimeoutMs,
    });
    let lost = false;
    const onLost = (error?: Error) => {
      if (lost) return;
      lost = true;
      this.cache.close();
      if (this.client === client) this.client = undefined;
      void client.end().catch(() => undefined);
      if (this.stopped) return;
      this.logger.warn(`Not listening for key revocations (${error?.message ?? 'connection closed'}): keys are checked on every request until it reconnects`);
      this.reconnect = setTimeout(() => void this.listen(), RECONNECT_MS);
      this.reconnect.unref();
    };
    client.on('notification', (message) => {
      if (message.payload) this.cache.revoked(message.payload);
    });
    client.on('error', onLost);
    client.on('end', () => onLost());
    try {
      await client.connect();
      await client.query(`LISTEN ${REVOKED_CHANNEL}`);
    } catch (error) {
      onLost(error as Error);
      return;
    }
    if (lost || this.stopped) return;
    this.client = client;
    this.cache.open();
  }
}
