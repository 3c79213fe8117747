import { CanActivate, ExecutionContext, Injectable, Logger } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Response } from 'express';
import type { AuthenticatedRequest } from '../auth/principal.decorator.js';
import { GatewayError } from '../common/errors.js';
import { AppConfig } from '../config/config.js';
import { idempotentReplays } from '../metrics/metrics.js';
import { idempotencyScope, parseIdempotencyKey, requestFingerprint, MAX_KEY_LENGTH } from './idempotency-key.js';
import { IdempotencyExempt } from './idempotency-exempt.decorator.js';
import { IdempotencyReclaimable, type ClaimedRequest } from './idempotency-reclaim.decorator.js';
import { IdempotencyService } from './idempotency.service.js';

type RawBodyRequest = AuthenticatedRequest & ClaimedRequest & { rawBody?: Buffer };

/**
 * `Idempotency-Key` on every POST (IETF draft semantics): the first request runs and its
 * successful response is kept; the same key with the same request replays it byte for
 * byte; a different request is 422; a request still in flight is 409, until its lease
 * expires on a route marked `@IdempotencyReclaimable()`.
 *
 * A guard, not an interceptor: Nest runs every route that has an interceptor, even one that
 * lets the request through, inside an rxjs pipeline, which cost ~15 % of the app's CPU per
 * payment (docs/performance.md). Registered after the key guard (Nest runs global guards in
 * the order they are registered), it claims the key once the caller is known and before
 * anything validates the body, as an interceptor would; the outcome is stored just before the
 * response is sent.
 */
@Injectable()
export class IdempotencyGuard implements CanActivate {
  private readonly logger = new Logger('Idempotency');

  constructor(
    private readonly keys: IdempotencyService,
    private readonly reflector: Reflector,
    private readonly config: AppConfig,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<RawBodyRequest>();
    const header = request.headers['idempotency-key'];
    if (request.method !== 'POST' || header === undefined || !request.principal) return true;
    if (this.reflector.get(IdempotencyExempt, context.getHandler())) return true;

    const key = typeof header === 'string' ? parseIdempotencyKey(header) : undefined;
    if (key === undefined) {
      throw new GatewayError(
        'parameter_invalid',
        `Idempotency-Key must be 1 to ${MAX_KEY_LENGTH} printable ASCII characters, bare or as a quoted string`,
        'Idempotency-Key',
      );
    }
    const scope = idempotencyScope(request.principal);
    const fingerprint = requestFingerprint(this.config.cardFingerprintSecret, request.method, request.originalUrl, request.rawBody);

    const reclaimable = this.reflector.get(IdempotencyReclaimable, context.getHandler()) ?? false;
    const decision = await this.keys.begin(scope, key, fingerprint, reclaimable ? this.config.idempotencyLeaseMs : null);
    const response = context.switchToHttp().getResponse<Response>();
    switch (decision.kind) {
      case 'in_use':
        throw new GatewayError('idempotency_key_in_use', 'A request with this Idempotency-Key is still in flight; retry later');
      case 'reused':
        throw new GatewayError(
          'idempotency_key_reused',
          'This Idempotency-Key was used with another request (method, path or body); use a new key',
        );
      case 'replay':
        idempotentReplays.inc();
        response.status(decision.status).setHeader('Idempotent-Replayed', 'true').type('application/json').send(decision.body);
        // The handler must not run. Nest answers `false` with a 403, which the error filter
        // drops: the replay is already sent.
        return false;
      case 'proceed': {
        const { lease, token, reclaimed } = decision;
        if (token !== null) request.idempotencyClaim = { token, reclaimed };
        // Not the key itself: merchants put anything in it, a card number included.
        if (reclaimed) this.logger.warn(`Took over an Idempotency-Key left in flight past its lease (${request.method} ${request.path})`);
        beforeSending(response, (status, body) =>
          status < 400
            ? // Done is done: if the response cannot be stored, the key stays in flight (409
              // until its lease expires, or until purged) rather than being freed for a second run.
              this.keys
                .complete(scope, key, lease, status, body)
                .catch((error: unknown) => this.logger.error(`Could not store the response for an Idempotency-Key: ${(error as Error).message}`))
            : this.keys
                .abandon(scope, key, lease)
                .catch((error: unknown) => this.logger.warn(`Could not free an Idempotency-Key after an error: ${(error as Error).message}`)),
        );
        return true;
      }
    }
  }
}

/**
 * Runs `first` with the response's status and body when the response is sent (the handler's
 * answer or the error filter's: every POST answers JSON, a string by then), and sends it once
 * `first` is done. `first` handles its own failures.
 */
function beforeSending(response: Response, first: (status: number, body: string) => Promise<void>): void {
  const send = response.send;
  response.send = function (this: Response, body?: unknown) {
    response.send = send;
    first(this.statusCode, String(body))
      .then(() => send.call(this, body))
      // Never an unhandled rejection: a response that cannot be sent closes its connection.
      .catch(() => this.destroy());
    return this;
  } as Response['send'];
}
