import { ArgumentsHost, Catch, ExceptionFilter, HttpException, HttpStatus, Logger } from '@nestjs/common';
import type { Request, Response } from 'express';
import { isDatabaseTimeout, isDatabaseUnavailable } from '../database/database-errors.js';
import { ERROR_CODES, ErrorCode, GatewayError } from './errors.js';
import { requestContext } from './request-context.js';

export interface ErrorBody {
  error: {
    type: string;
    code: string;
    message: string;
    param: string | null;
    request_id: string | null;
  };
}

const CODE_BY_HTTP_STATUS: Partial<Record<number, ErrorCode>> = {
  [HttpStatus.BAD_REQUEST]: 'parameter_invalid',
  [HttpStatus.UNAUTHORIZED]: 'api_key_invalid',
  [HttpStatus.FORBIDDEN]: 'permission_denied',
  [HttpStatus.NOT_FOUND]: 'route_not_found',
  [HttpStatus.METHOD_NOT_ALLOWED]: 'method_not_allowed',
  [HttpStatus.PAYLOAD_TOO_LARGE]: 'body_too_large',
  [HttpStatus.UNSUPPORTED_MEDIA_TYPE]: 'unsupported_media_type',
  [HttpStatus.TOO_MANY_REQUESTS]: 'rate_limited',
  [HttpStatus.SERVICE_UNAVAILABLE]: 'service_unavailable',
};

/**
 * The one place where anything thrown becomes the contract's error body. Unknown errors
 * are logged with the request id and answered with a bare 500, so no SQL or stack leaks.
 */
@Catch()
export class ApiErrorFilter implements ExceptionFilter {
  private readonly logger = new Logger('ApiErrorFilter');

  catch(exception: unknown, host: ArgumentsHost): void {
    const response = host.switchToHttp().getResponse<Response>();
    const request = host.switchToHttp().getRequest<Request>();
    const error = this.toGatewayError(exception, request);
    const requestId = requestContext.current()?.requestId ?? null;
    if (error.code === 'service_unavailable') {
      const cause = exception instanceof GatewayError ? '' : ` [${requestId}]: ${describe(exception)}`;
      this.logger.warn(`${request.method} ${request.path}: ${error.message}${cause}`);
      if (!response.headersSent) response.setHeader('Retry-After', '1');
    } else if (error.status >= 500) {
      this.logger.error(
        `${request.method} ${request.path} failed [${requestId}]: ${describe(exception)}`,
        exception instanceof Error ? exception.stack : undefined,
      );
    }
    // Already answered: a stream that failed midway, or an Idempotency-Key's replay, which its
    // guard sends itself before refusing the handler (Nest's 403 for that refusal lands here).
    if (response.headersSent) return;
    const body: ErrorBody = {
      error: { type: error.type, code: error.code, message: error.message, param: error.param, request_id: requestId },
    };
    response.status(error.status).json(body);
  }

  private toGatewayError(exception: unknown, request: Request): GatewayError {
    if (exception instanceof GatewayError) return exception;
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      const code = CODE_BY_HTTP_STATUS[status];
      if (code === 'route_not_found') {
        return new GatewayError(code, `No route ${request.method} ${request.path}`);
      }
      if (code) return new GatewayError(code, httpMessage(exception, code));
      if (status < 500) return new GatewayError('parameter_invalid', exception.message);
    }
    if (isDatabaseTimeout(exception)) {
      return new GatewayError('service_unavailable', 'The database did not answer in time. Retry later, with the same Idempotency-Key.');
    }
    if (isDatabaseUnavailable(exception)) {
      return new GatewayError('service_unavailable', 'The database is unavailable; nothing was changed. Retry later.');
    }
    return new GatewayError('internal_error', 'An internal error occurred; nothing was changed. Retry later.');
  }
}

function httpMessage(exception: HttpException, code: ErrorCode): string {
  const response = exception.getResponse();
  if (typeof response === 'object' && response !== null && 'message' in response) {
    const { message } = response as { message: unknown };
    if (typeof message === 'string') return message;
  }
  return exception.message || `${ERROR_CODES[code].type}`;
}

function describe(exception: unknown): string {
  return exception instanceof Error ? `${exception.name}: ${exception.message}` : String(exception);
}
