import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import { finalize, type Observable } from 'rxjs';
import { Lifecycle } from './lifecycle.js';

/**
 * Counts the handlers running. A handler goes on after its client has gone (the payment is
 * recorded, the bank asked): shutdown waits for it to end, not for the connection to close.
 * Registered first, so that it wraps the other interceptors' work too (storing an
 * idempotent response).
 */
@Injectable()
export class InFlightInterceptor implements NestInterceptor {
  constructor(private readonly lifecycle: Lifecycle) {}

  intercept(_context: ExecutionContext, next: CallHandler): Observable<unknown> {
    this.lifecycle.requestStarted();
    return next.handle().pipe(finalize(() => this.lifecycle.requestEnded()));
  }
}
