import { Logger, type NestMiddleware } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { Lifecycle } from '../health/lifecycle.js';
import { httpRequestDuration } from '../metrics/metrics.js';
import { newId } from './ids.js';
import { RequestContext, requestContext, serverTiming } from './request-context.js';

/**
 * Gives every request an id and a timing context, and stamps `X-Request-Id` and
 * `Server-Timing` on every response, errors included, just before the headers go out.
 *
 * Counts the requests being handled, from here until the response is ended. A handler goes
 * on after its client has gone (the payment is recorded, the bank asked) and still ends its
 * response, then: shutdown waits for that, not for the connection to close.
 */
export class RequestContextMiddleware implements NestMiddleware {
  private readonly logger = new Logger('HTTP');

  constructor(private readonly lifecycle: Lifecycle) {}

  use(req: Request, res: Response, next: NextFunction): void {
    const context: RequestContext = { requestId: newId('request'), startedAt: performance.now(), dbMs: 0, bankMs: 0 };
    res.setHeader('X-Request-Id', context.requestId);
    const writeHead = res.writeHead;
    res.writeHead = function (this: Response, ...args: unknown[]) {
      this.setHeader('Server-Timing', serverTiming(context));
      return (writeHead as (...a: unknown[]) => Response).apply(this, args);
    } as Response['writeHead'];
    const lifecycle = this.lifecycle;
    lifecycle.requestStarted();
    const end = res.end;
    res.end = function (this: Response, ...args: unknown[]) {
      res.end = end;
      lifecycle.requestEnded();
      return (end as (...a: unknown[]) => Response).apply(this, args);
    } as Response['end'];
    res.on('finish', () => {
      const elapsed = performance.now() - context.startedAt;
      const route = (req.route as { path?: string } | undefined)?.path ?? 'unmatched';
      httpRequestDuration.observe({ method: req.method, route, status: String(res.statusCode) }, elapsed / 1000);
      const ms = elapsed.toFixed(1);
      // The path only: query strings and bodies never reach the log. The request id is not in
      // the message: the logger adds it to every line written in the request's context, this one too.
      this.logger.log(`${req.method} ${req.path} ${res.statusCode} ${ms}ms`);
    });
    requestContext.run(context, next);
  }
}
