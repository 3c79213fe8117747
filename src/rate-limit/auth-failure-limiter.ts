import { Inject, Injectable } from '@nestjs/common';
import { AppConfig } from '../config/config.js';
import { rateLimited } from '../metrics/metrics.js';
import { RateLimitStore } from './rate-limit.store.js';

const WINDOW_MS = 60_000;

/**
 * AUTH_FAILURE_LIMIT_PER_MINUTE failed authentications per client address. Every unknown key
 * costs a database lookup, and the per-key limit cannot see a flood of different wrong keys:
 * this counts them by where they come from. Like the per-key limit, it fails open.
 */
@Injectable()
export class AuthFailureLimiter {
  constructor(
    private readonly config: AppConfig,
    @Inject(RateLimitStore) private readonly store: RateLimitStore,
  ) {}

  /** Milliseconds until the address may try again, or undefined when it may now. */
  async blockedFor(address: string): Promise<number | undefined> {
    const limit = this.config.authFailureLimitPerMinute;
    if (limit === 0) return undefined;
    const counted = await this.store.peek(key(address));
    if (!counted || counted.hits < limit) return undefined;
    rateLimited.inc();
    return counted.resetMs;
  }

  async failed(address: string): Promise<void> {
    if (this.config.authFailureLimitPerMinute > 0) await this.store.hit(key(address), WINDOW_MS);
  }
}

const key = (address: string) => `auth-failures:${address}`;
