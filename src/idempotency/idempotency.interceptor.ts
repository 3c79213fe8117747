import { CallHandler, ExecutionContext, Injectable, Logger, NestInterceptor } from '@nestjs/common';
import { HTTP_CODE_METADATA } from '@nestjs/common/constants.js';
import { Reflector } from '@nestjs/core';
import type { Response } from 'express';
import { catchError, concatMap, from, Observable, of, throwError } from 'rxjs';
import type { AuthenticatedRequest } from '../auth/principal.decorator.js';
import { GatewayError } from '../common/errors.js';
import { AppConfig } from '../config/config.js';
import { idempotentReplays } from '../metrics/metrics.js';
import { idempotencyScope, parseIdempotencyKey, requestFingerprint, MAX_KEY_LENGTH } from './idempotency-key.js';
import { IdempotencyExempt } from './idempotency-exempt.decorator.js';
import { IdempotencyReclaimable, type ClaimedRequest } from './idempotency-reclaim.decorator.js';
import { IdempotencyService } from './idempotency.service.js';

export type RawBodyRequest = AuthenticatedRequest & ClaimedRequest & { rawBody?: Buffer };

/**
 * `Idempotency-Key` on every POST (IETF draft semantics): the first request runs and its
 * successful response is kept; the same key with the same request replays it byte for
 * byte; a different request is 422; a request still in flight is 409, until its lease
 * expires on a route marked `@IdempotencyReclaimable()`.
 */
@Injectable()
export class IdempotencyInterceptor implements NestInterceptor {
  private readonly logger = new Logger('Idempotency');

  constructor(
    private readonly keys: IdempotencyService,
    private readonly reflector: Reflector,
    private readonly config: AppConfig,
  ) {}

  async intercept(context: ExecutionContext, next: CallHandler): Promise<Observable<unknown>> {
    const request = context.switchToHttp().getRequest<RawBodyRequest>();
    const header = request.headers['idempotency-key'];
    if (request.method !== 'POST' || header === undefined || !request.principal) return next.handle();
    if (this.reflector.get(IdempotencyExempt, context.getHandler())) return next.handle();

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
    switch (decision.kind) {
      case 'in_use':
        throw new GatewayError('idempotency_key_in_use', 'A request with this Idempotency-Key is still in flight; retry later');
      case 'reused':
        throw new GatewayError(
          'idempotency_key_reused',
          'This Idempotency-Key was used with another request (method, path or body); use a new key',
        );
      case 'replay': {
        const response = context.switchToHttp().getResponse<Response>();
        response.setHeader('Idempotent-Replayed', 'true');
        idempotentReplays.inc();
        // JSON.stringify of the parsed body gives back the stored bytes.
        return of(JSON.parse(decision.body) as unknown);
      }
      case 'proceed': {
        const { lease, token, reclaimed } = decision;
        if (token !== null) request.idempotencyClaim = { token, reclaimed };
        // Not the key itself: merchants put anything in it, a card number included.
        if (reclaimed) this.logger.warn(`Took over an Idempotency-Key left in flight past its lease (${request.method} ${request.path})`);
        const status = this.reflector.get<number | undefined>(HTTP_CODE_METADATA, context.getHandler()) ?? 201;
        return next.handle().pipe(
          // Done is done: if the response cannot be stored, the key stays in flight (409 until
          // its lease expires, or until purged) rather than being freed for a second run.
          concatMap((body) =>
            from(
              this.keys
                .complete(scope, key, lease, status, JSON.stringify(body))
                .catch((error: unknown) => this.logger.error(`Could not store the response for an Idempotency-Key: ${(error as Error).message}`))
                .then(() => body),
            ),
          ),
          catchError((error: unknown) => from(this.keys.abandon(scope, key, lease)).pipe(concatMap(() => throwError(() => error)))),
        );
      }
    }
  }
}
