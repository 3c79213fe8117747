import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { GatewayError } from '../common/errors.js';
import { ApiKeysService } from './api-keys.service.js';
import type { AuthenticatedRequest } from './principal.decorator.js';
import { Public, Roles } from './roles.decorator.js';

/** Every route needs `Authorization: Bearer <key>` unless marked @Public; @Roles narrows who. */
@Injectable()
export class ApiKeyGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly apiKeys: ApiKeysService,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride(Public, targets)) return true;

    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const header = request.headers.authorization;
    if (!header) {
      throw new GatewayError('api_key_missing', 'No API key provided: send "Authorization: Bearer <key>"');
    }
    const match = /^Bearer +(\S+)$/i.exec(header);
    const principal = match ? await this.apiKeys.authenticate(match[1]!) : undefined;
    if (!principal) throw new GatewayError('api_key_invalid', 'Invalid API key');

    const roles = this.reflector.getAllAndOverride(Roles, targets);
    if (roles && !roles.includes(principal.role)) {
      throw new GatewayError('permission_denied', 'This route needs the admin key');
    }
    request.principal = principal;
    return true;
  }
}
