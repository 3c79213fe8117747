import { Reflector } from '@nestjs/core';

/**
 * A POST whose response carries a secret shown once (an API key, a webhook secret): its
 * response is never stored for replay, so Idempotency-Key is ignored there. Retrying such a
 * request makes a second object; the unused first one can be revoked or deleted.
 */
export const IdempotencyExempt = Reflector.createDecorator<true>({ transform: () => true });
