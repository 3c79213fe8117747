import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Response } from 'express';
import { GatewayError } from '../common/errors.js';
import { AuthFailureLimiter } from '../rate-limit/auth-failure-limiter.js';
import { retryAfterSeconds } from '../rate-limit/rate-limit.guard.js';
import { isSafeMethod, sessionToken } from '../sessions/session-cookie.js';
import { SessionRoute } from '../sessions/session-route.decorator.js';
import { SessionsService } from '../sessions/sessions.service.js';
import { ApiKeysService } from './api-keys.service.js';
import type { AuthenticatedRequest } from './principal.decorator.js';
import { Public, Roles } from './roles.decorator.js';

/**
 * Every route needs `Authorization: Bearer <key>`, or a person's session cookie, unless marked
 * @Public; @Roles narrows who.
 */
@Injectable()
export class ApiKeyGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly apiKeys: ApiKeysService,
    private readonly failures: AuthFailureLimiter,
    private readonly sessions: SessionsService,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride(Public, targets)) return true;

    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const header = request.headers.authorization;
    if (!header) {
      // A key always wins: the cookie is read only without one, so key requests cost no more.
      const token = sessionToken(request.headers.cookie);
      if (token === undefined) throw new GatewayError('api_key_missing', 'No API key provided: send "Authorization: Bearer <key>"');
      return this.signedIn(context, request, token);
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

  /**
   * A person's session: the admin role acts like the admin key; support reads everything and
   * changes nothing but its own session. A request that changes something must also carry the
   * session's CSRF token, which another site cannot read.
   */
  private async signedIn(context: ExecutionContext, request: AuthenticatedRequest, token: string): Promise<boolean> {
    const found = await this.sessions.authenticate(token);
    if (!found) throw new GatewayError('session_invalid', 'The session has ended or expired; sign in again');
    const targets = [context.getHandler(), context.getClass()];
    if (!isSafeMethod(request.method)) {
      if (!this.sessions.csrfMatches(found.session, request.header('x-csrf-token'))) {
        throw new GatewayError('csrf_token_invalid', "Send the session's CSRF token in X-CSRF-Token");
      }
      if (found.user.role === 'support' && !this.reflector.getAllAndOverride(SessionRoute, targets)) {
        throw new GatewayError('permission_denied', 'Support users can read, not change');
      }
    }
    request.principal = { role: 'admin', keyId: null, userId: found.user.id };
    request.signedIn = found;
    return true;
  }
}
