import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { ROUTE_ARGS_METADATA } from '@nestjs/common/constants.js';
import { RouteParamtypes } from '@nestjs/common/enums/route-paramtypes.enum.js';
import type { Request } from 'express';
import { GatewayError } from './errors.js';

/**
 * What a route that takes no body refuses in one: anything but an empty JSON object, each key
 * being an unknown parameter as it would be on a route with a DTO (`__proto__` included).
 */
export function bodylessRouteError(body: unknown): GatewayError | undefined {
  if (body === undefined) return undefined;
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    return new GatewayError('parameter_invalid', 'The request body must be a JSON object', null);
  }
  const [key] = Object.keys(body);
  return key === undefined ? undefined : new GatewayError('parameter_unknown', `Unknown parameter: ${key}`, key);
}

/**
 * The validation pipe sees a body only where a handler declares `@Body()`; on every other route
 * (…/void, …/archive, …/resend, every GET and DELETE) a body would be ignored in
 * silence. A global guard registered after the key guard and before the Idempotency-Key's
 * (IdempotencyModule): it runs after authentication and before a key is claimed.
 */
@Injectable()
export class BodylessRouteGuard implements CanActivate {
  private readonly takesBody = new WeakMap<object, boolean>();

  canActivate(context: ExecutionContext): boolean {
    if (!this.declaresBody(context)) {
      const error = bodylessRouteError(context.switchToHttp().getRequest<Request>().body);
      if (error) throw error;
    }
    return true;
  }

  private declaresBody(context: ExecutionContext): boolean {
    const handler = context.getHandler();
    let known = this.takesBody.get(handler);
    if (known === undefined) {
      // Nest's own record of a handler's parameters, keyed `${RouteParamtypes}:${index}`.
      const args = (Reflect.getMetadata(ROUTE_ARGS_METADATA, context.getClass(), handler.name) ?? {}) as Record<string, unknown>;
      known = Object.keys(args).some((key) => key.split(':')[0] === String(RouteParamtypes.BODY));
      this.takesBody.set(handler, known);
    }
    return known;
  }
}
