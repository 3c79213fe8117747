import { Logger, type OnApplicationShutdown } from '@nestjs/common';
import { Redis } from 'ioredis';

/** Counts hits per key in fixed windows. */
export interface RateLimitStore {
  /** Counts one hit; returns the window's hits so far and the milliseconds until it resets. */
  hit(key: string, windowMs: number): Promise<{ hits: number; resetMs: number }>;
}

export const RateLimitStore = Symbol('RateLimitStore');

/** One instance's counters: enough for a single instance, or for a per-instance limit. */
export class MemoryRateLimitStore implements RateLimitStore, OnApplicationShutdown {
  private readonly windows = new Map<string, { hits: number; resetAt: number }>();
  private readonly sweeper = setInterval(() => this.sweep(), 10_000).unref();

  async hit(key: string, windowMs: number): Promise<{ hits: number; resetMs: number }> {
    const now = Date.now();
    let window = this.windows.get(key);
    if (!window || window.resetAt <= now) {
      window = { hits: 0, resetAt: now + windowMs };
      this.windows.set(key, window);
    }
    window.hits++;
    return { hits: window.hits, resetMs: window.resetAt - now };
  }

  onApplicationShutdown(): void {
    clearInterval(this.sweeper);
  }

  private sweep(): void {
    const now = Date.now();
    for (const [key, window] of this.windows) if (window.resetAt <= now) this.windows.delete(key);
  }
}

/** INCR, and PEXPIRE on the first hit of a window: atomic in one script. */
const INCREMENT = `
local hits = redis.call('INCR', KEYS[1])
if hits == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
return { hits, redis.call('PTTL', KEYS[1]) }`;

/** Counters in Redis (REDIS_URL), shared by every instance. */
export class RedisRateLimitStore implements RateLimitStore, OnApplicationShutdown {
  private readonly redis: Redis;

  private readonly logger = new Logger('Redis');
  private lastErrorLoggedAt = 0;

  constructor(url: string) {
    // Fail fast while Redis is away (the guard then lets requests through), and say so in the log.
    this.redis = new Redis(url, { maxRetriesPerRequest: 1, enableOfflineQueue: false });
    this.redis.on('error', (error: Error) => {
      if (Date.now() - this.lastErrorLoggedAt < 10_000) return;
      this.lastErrorLoggedAt = Date.now();
      this.logger.warn(`Redis unavailable: ${error.message}`);
    });
  }

  async hit(key: string, windowMs: number): Promise<{ hits: number; resetMs: number }> {
    const [hits, pttl] = (await this.redis.eval(INCREMENT, 1, `gateway:rate:${key}`, windowMs)) as [number, number];
    return { hits, resetMs: pttl > 0 ? pttl : windowMs };
  }

  onApplicationShutdown(): void {
    // Counters need no goodbye; disconnect() also stops reconnecting to a Redis that is away.
    this.redis.disconnect();
  }
}
