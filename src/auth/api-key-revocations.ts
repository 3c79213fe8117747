import { Injectable } from '@nestjs/common';
import { AppConfig } from '../config/config.js';
import { DatabaseNotifications } from '../database/database-notifications.js';
import { ApiKeyCache } from './api-key-cache.js';

/** The channel the api_keys triggers announce a revoked key's hash on (see the migration). */
const REVOKED_CHANNEL = 'api_key_revoked';
const MAX_CACHED_KEYS = 10_000;

/**
 * Keeps this instance's key cache true to the database's announcements of revoked keys, heard
 * on the instance's notification connection (`DatabaseNotifications`). While that connection
 * is down the cache is closed: every request asks the database, as if there were no cache.
 */
@Injectable()
export class ApiKeyRevocations {
  readonly cache: ApiKeyCache;

  constructor(
    config: AppConfig,
    private readonly notifications: DatabaseNotifications,
  ) {
    this.cache = new ApiKeyCache(config.apiKeyCacheTtlMs, MAX_CACHED_KEYS);
    // Without a cache there is nothing to keep true, and no need to listen for it.
    if (config.apiKeyCacheTtlMs > 0) {
      notifications.subscribe({
        channel: REVOKED_CHANNEL,
        notified: (hash) => {
          if (hash) this.cache.revoked(hash);
        },
        opened: () => this.cache.open(),
        closed: () => this.cache.close(),
      });
    }
  }

  /** Whether revocations are heard right now, and so whether cached keys are trusted. */
  get listening(): boolean {
    return this.notifications.listening;
  }
}
