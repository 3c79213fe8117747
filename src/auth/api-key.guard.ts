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
import { PeopleOnly, Public, Roles } from './roles.decorator.js';
import { requestContext } from '../common/request-context.js';
import { isMerchantRole } from '../users/user.entity.js';

/**
 * Every route needs `Authorization: Bearer <key>`, or a person's session cookie, unless marked
 * @Public; @Roles and @PeopleOnly narrow who.
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
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const current = requestContext.current();
    // Where from, for the audit trail: a sign-in (public) is audited too.
    if (current) current.peer = request;
    if (this.reflector.getAllAndOverride(Public, targets)) return true;

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

    request.principal = principal;
    return this.permitted(context, request);
  }

  /** The route's roles, and who the audit trail names as having made the request. */
  private permitted(context: ExecutionContext, request: AuthenticatedRequest): true {
    const targets = [context.getHandler(), context.getClass()];
    const { principal, signedIn } = request;
    const roles = this.reflector.getAllAndOverride(Roles, targets);
    if (roles && !roles.includes(principal.role)) {
      throw new GatewayError('permission_denied', signedIn ? 'Your role cannot use this route' : 'This route needs the admin key');
    }
    const people = this.reflector.getAllAndOverride(PeopleOnly, targets);
    if (people && !(signedIn && people.includes(signedIn.user.role))) {
      throw new GatewayError('permission_denied', `This route is for people signed in as ${people.join(' or ')}`);
    }
    const current = requestContext.current();
    if (current) current.caller = principal;
    return true;
  }

  /**
   * A person's session: staff admins act like the admin key, a merchant's people within their
   * merchant; support and merchant viewers read and change nothing but their own session. A
   * request that changes something must also carry the session's CSRF token, which another
   * site cannot read.
   */
  private async signedIn(context: ExecutionContext, request: AuthenticatedRequest, token: string): Promise<boolean> {
    const found = await this.sessions.authenticate(token);
    if (!found) throw new GatewayError('session_invalid', 'The session has ended or expired; sign in again');
    const targets = [context.getHandler(), context.getClass()];
    const { user } = found;
    if (!isSafeMethod(request.method)) {
      if (!this.sessions.csrfMatches(found.session, request.header('x-csrf-token'))) {
        throw new GatewayError('csrf_token_invalid', "Send the session's CSRF token in X-CSRF-Token");
      }
      if ((user.role === 'support' || user.role === 'merchant_viewer') && !this.reflector.getAllAndOverride(SessionRoute, targets)) {
        throw new GatewayError('permission_denied', `${user.role === 'support' ? 'Support users' : 'Merchant viewers'} can read, not change`);
      }
    }
    request.principal = isMerchantRole(user.role)
      ? { role: 'merchant', keyId: null, merchantId: user.merchantId!, userId: user.id }
      : { role: 'admin', keyId: null, userId: user.id };
    request.signedIn = found;
    return this.permitted(context, request);
  }
}
