import { CanActivate, ExecutionContext, Inject, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request, Response } from 'express';
import { createHash } from 'node:crypto';
import { Public } from '../auth/roles.decorator.js';
import { GatewayError } from '../common/errors.js';
import { AppConfig } from '../config/config.js';
import { rateLimited } from '../metrics/metrics.js';
import { RateLimitStore } from './rate-limit.store.js';

const WINDOW_MS = 1000;

/**
 * RATE_LIMIT_PER_KEY requests per second per API key, across all routes (and, with
 * REDIS_URL, across all instances). Requests without a key are counted by address.
 *
 * Hand-written rather than @nestjs/throttler: its guard fails closed (a storage error is a 500
 * on every request) where this one must fail open within REDIS_TIMEOUT_MS, and the Redis
 * storage for it (@nest-lab/throttler-storage-redis 1.2) does not support Nest 12. The
 * storage would be this file's Redis store again, behind a guard that does the same.
 */
@Injectable()
export class RateLimitGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly config: AppConfig,
    @Inject(RateLimitStore) private readonly store: RateLimitStore,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const limit = this.config.rateLimitPerKey;
    if (limit === 0 || this.reflector.getAllAndOverride(Public, [context.getHandler(), context.getClass()])) return true;
    const request = context.switchToHttp().getRequest<Request>();
    const response = context.switchToHttp().getResponse<Response>();
    // Fail open: a Redis that is away or slow must not take the API down with it.
    const counted = await this.store.hit(tracker(request), WINDOW_MS);
    if (!counted) return true;
    const { hits, resetMs } = counted;
    response.setHeader('RateLimit-Limit', limit);
    response.setHeader('RateLimit-Remaining', Math.max(0, limit - hits));
    if (hits <= limit) return true;
    rateLimited.inc();
    response.setHeader('Retry-After', retryAfterSeconds(resetMs));
    throw new GatewayError('rate_limited', `Too many requests for this API key: at most ${limit} per second; retry later`);
  }
}

export function retryAfterSeconds(resetMs: number): number {
  return Math.max(1, Math.ceil(resetMs / 1000));
}

function tracker(request: Request): string {
  const token = /^Bearer +(\S+)$/i.exec(request.headers.authorization ?? '')?.[1];
  return token ? `key:${createHash('sha256').update(token).digest('hex')}` : `ip:${request.ip ?? 'unknown'}`;
}
