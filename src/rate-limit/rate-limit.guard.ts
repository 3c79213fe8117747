import { CanActivate, ExecutionContext, Inject, Injectable, Logger } from '@nestjs/common';
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
 * REDIS_URL, across all instances). Requests without a key are counted by address. Runs
 * before authentication, so floods of wrong keys are limited too.
 */
@Injectable()
export class RateLimitGuard implements CanActivate {
  private readonly logger = new Logger('RateLimit');

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
    const counted = await this.store.hit(tracker(request), WINDOW_MS).catch((error: unknown) => {
      // Fail open: an unreachable Redis must not take the API down with it.
      this.logger.warn(`Rate limit store unavailable, request not counted: ${(error as Error).message}`);
      return undefined;
    });
    if (!counted) return true;
    const { hits, resetMs } = counted;
    response.setHeader('RateLimit-Limit', limit);
    response.setHeader('RateLimit-Remaining', Math.max(0, limit - hits));
    if (hits <= limit) return true;
    rateLimited.inc();
    response.setHeader('Retry-After', Math.max(1, Math.ceil(resetMs / 1000)));
    throw new GatewayError('rate_limited', `Too many requests for this API key: at most ${limit} per second; retry later`);
  }
}

function tracker(request: Request): string {
  const token = /^Bearer +(\S+)$/i.exec(request.headers.authorization ?? '')?.[1];
  return token ? `key:${createHash('sha256').update(token).digest('hex')}` : `ip:${request.ip ?? 'unknown'}`;
}
