import { Logger, type OnApplicationShutdown } from '@nestjs/common';
import { Redis } from 'ioredis';

/** A fixed window's hits so far and the milliseconds until it resets. */
export interface WindowCount {
  hits: number;
  resetMs: number;
}

/**
 * Counts hits per key in fixed windows. `undefined` means "not counted": the store could not
 * answer in time, and the caller lets the request through (fail open).
 */
export interface RateLimitStore {
  /** Counts one hit. */
  hit(key: string, windowMs: number): Promise<WindowCount | undefined>;
  /** The window's hits so far, without counting one; `{ hits: 0 }` when no window is open. */
  peek(key: string): Promise<WindowCount | undefined>;
}

export const RateLimitStore = Symbol('RateLimitStore');

/** One instance's counters: enough for a single instance, or for a per-instance limit. */
export class MemoryRateLimitStore implements RateLimitStore, OnApplicationShutdown {
  private readonly windows = new Map<string, { hits: number; resetAt: number }>();
  private readonly sweeper = setInterval(() => this.sweep(), 10_000).unref();

  async hit(key: string, windowMs: number): Promise<WindowCount> {
    const now = Date.now();
    let window = this.windows.get(key);
    if (!window || window.resetAt <= now) {
      window = { hits: 0, resetAt: now + windowMs };
      this.windows.set(key, window);
    }
    window.hits++;
    return { hits: window.hits, resetMs: window.resetAt - now };
  }

  async peek(key: string): Promise<WindowCount> {
    const now = Date.now();
    const window = this.windows.get(key);
    return window && window.resetAt > now ? { hits: window.hits, resetMs: window.resetAt - now } : { hits: 0, resetMs: 0 };
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

const READ = `return { tonumber(redis.call('GET', KEYS[1]) or '0'), redis.call('PTTL', KEYS[1]) }`;

/** After a failed or late command, Redis is left alone this long: no request waits on it meanwhile. */
export const REDIS_PAUSE_MS = 1000;
/** At most one warning about an unavailable Redis per this period, however many requests pass. */
export const REDIS_WARNING_INTERVAL_MS = 10_000;

export interface RedisStoreOptions {
  url: string;
  /** Deadline of each command (REDIS_TIMEOUT_MS). */
  timeoutMs: number;
  now?: () => number;
}

/**
 * Counters in Redis (REDIS_URL), shared by every instance. Every command has a deadline: a
 * Redis that is down, refuses, or is alive but silent (frozen, partitioned) costs a request at
 * most `timeoutMs`, once; then Redis is skipped for REDIS_PAUSE_MS and requests go through
 * uncounted, as with no Redis at all.
 */
export class RedisRateLimitStore implements RateLimitStore, OnApplicationShutdown {
  private readonly redis: Redis;
  private readonly logger = new Logger('Redis');
  private readonly now: () => number;
  private pausedUntil = 0;
  private lastWarningAt = -Infinity;

  constructor(options: RedisStoreOptions) {
    this.now = options.now ?? Date.now;
    this.redis = new Redis(options.url, {
      commandTimeout: options.timeoutMs,
      connectTimeout: Math.max(options.timeoutMs, 1000),
      // Nothing waits for a connection: while Redis is away, commands fail at once.
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
    });
    this.redis.on('error', (error: Error) => this.warn(error));
  }

  async hit(key: string, windowMs: number): Promise<WindowCount | undefined> {
    const reply = await this.eval(INCREMENT, `gateway:rate:${key}`, [windowMs]);
    return reply && { hits: reply[0], resetMs: reply[1] > 0 ? reply[1] : windowMs };
  }

  async peek(key: string): Promise<WindowCount | undefined> {
    const reply = await this.eval(READ, `gateway:rate:${key}`, []);
    return reply && { hits: reply[0], resetMs: Math.max(0, reply[1]) };
  }

  onApplicationShutdown(): void {
    // Counters need no goodbye; disconnect() also stops reconnecting to a Redis that is away.
    this.redis.disconnect();
  }

  private async eval(script: string, key: string, args: number[]): Promise<[number, number] | undefined> {
    if (this.now() < this.pausedUntil) return undefined;
    try {
      return (await this.redis.eval(script, 1, key, ...args)) as [number, number];
    } catch (error) {
      this.pausedUntil = this.now() + REDIS_PAUSE_MS;
      this.warn(error as Error);
      return undefined;
    }
  }

  private warn(error: Error): void {
    if (this.now() - this.lastWarningAt < REDIS_WARNING_INTERVAL_MS) return;
    this.lastWarningAt = this.now();
    this.logger.warn(`Redis unavailable, requests are not counted until it answers: ${error.message}`);
  }
}
