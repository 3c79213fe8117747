import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Response } from 'express';
import { GatewayError } from '../common/errors.js';
import { AuthFailureLimiter } from '../rate-limit/auth-failure-limiter.js';
import { retryAfterSeconds } from '../rate-limit/rate-limit.guard.js';
import { ApiKeysService } from './api-keys.service.js';
import type { AuthenticatedRequest } from './principal.decorator.js';
import { Public, Roles } from './roles.decorator.js';

/** Every route needs `Authorization: Bearer <key>` unless marked @Public; @Roles narrows who. */
@Injectable()
export class ApiKeyGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly apiKeys: ApiKeysService,
    private readonly failures: AuthFailureLimiter,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride(Public, targets)) return true;

    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const header = request.headers.authorization;
    if (!header) {
      throw new GatewayError('api_key_missing', 'No API key provided: send "Authorization: Bearer <key>"');
    }
    const key = /^Bearer +(\S+)$/i.exec(header)?.[1];
    let principal = key === undefined ? undefined : this.apiKeys.fromMemory(key);
    if (!principal) {
      // Only what would reach the database is limited: a known key is never held up.
      const address = request.ip ?? 'unknown';
      const blockedMs = await this.failures.blockedFor(address);
      if (blockedMs !== undefined) {
        context.switchToHttp().getResponse<Response>().setHeader('Retry-After', retryAfterSeconds(blockedMs));
        throw new GatewayError('rate_limited', 'Too many failed authentications from this address; retry later');
      }
      principal = key === undefined ? undefined : await this.apiKeys.authenticate(key);
      if (!principal) {
        await this.failures.failed(address);
        throw new GatewayError('api_key_invalid', 'Invalid API key');
      }
    }

    const roles = this.reflector.getAllAndOverride(Roles, targets);
    if (roles && !roles.includes(principal.role)) {
      throw new GatewayError('permission_denied', 'This route needs the admin key');
    }
    request.principal = principal;
    return true;
  }
}
