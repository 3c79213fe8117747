import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';

/**
 * What a route that may be reclaimed gets from its Idempotency-Key: the token to record on
 * what it creates, and whether an earlier holder of the key (a request that died, or could
 * not store its response) may have created it already: then the route answers that instead
 * of running again.
 */
export interface IdempotencyClaim {
  token: string;
  reclaimed: boolean;
}

export type ClaimedRequest = Request & { idempotencyClaim?: IdempotencyClaim };

/**
 * A POST whose effect is findable by its key's token (or that changes nothing when run
 * again): its key is leased, and a retry may take it over once the lease has expired. Without
 * it, a key left in flight stays `409` until purged.
 */
export const IdempotencyReclaimable = Reflector.createDecorator<true>({ transform: () => true });

/** The request's claim on its Idempotency-Key; undefined when it was sent without one. */
export const CurrentIdempotencyClaim = createParamDecorator(
  (_: unknown, context: ExecutionContext): IdempotencyClaim | undefined => context.switchToHttp().getRequest<ClaimedRequest>().idempotencyClaim,
);
