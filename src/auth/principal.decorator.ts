import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import type { Request } from 'express';
import type { SignedIn } from '../sessions/sessions.service.js';
import type { Principal } from './principal.js';

/** `signedIn`: the session and its person, when a session cookie authenticated the request. */
export type AuthenticatedRequest = Request & { principal: Principal; signedIn?: SignedIn };

/** The caller the guard authenticated. */
export const CurrentPrincipal = createParamDecorator(
  (_: unknown, context: ExecutionContext): Principal => context.switchToHttp().getRequest<AuthenticatedRequest>().principal,
);
