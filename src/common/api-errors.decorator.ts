import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiResponse } from '@nestjs/swagger';
import { ERROR_CODES, type ErrorCode } from './errors.js';

class ErrorDetail {
  @ApiProperty({ example: 'invalid_request_error' })
  type: string;

  @ApiProperty({ example: 'parameter_invalid' })
  code: string;

  @ApiProperty({ example: 'amount must be an integer' })
  message: string;

  @ApiProperty({ type: String, nullable: true, example: 'amount' })
  param: string | null;

  @ApiProperty({ example: 'req_01JDQ3R6X8M2K9V4T7B5N1C0AZ' })
  request_id: string;
}

export class ErrorResponse {
  @ApiProperty({ type: ErrorDetail })
  error: ErrorDetail;
}

/** One error a route really answers with: its code (which fixes the status and type), message and param. */
export interface ErrorExample {
  code: ErrorCode;
  message: string;
  param?: string | null;
}

/** What each status means, as the contract's error table says. */
const DESCRIPTIONS: Record<number, string> = {
  400: 'Invalid request: malformed JSON, an unknown, missing or bad field (`param` names it)',
  401: 'No key, or an unknown or revoked key',
  403: 'The key may not use this route (a merchant key on an admin route)',
  404: 'No such object visible to this key',
  409: 'In flight under the same Idempotency-Key, or not possible in the object\'s state',
  413: 'A body over 100 kB',
  422: 'The Idempotency-Key was used with another request',
  429: 'Too many requests for this key (`Retry-After` says when to retry)',
  500: 'A fault of the gateway; nothing half-written stays behind',
};

/** Errors that read the same on every route that can answer them. */
const COMMON: Record<number, ErrorExample> = {
  400: { code: 'parameter_unknown', message: 'Unknown parameter: colour', param: 'colour' },
  401: { code: 'api_key_invalid', message: 'Invalid API key' },
  403: { code: 'permission_denied', message: 'This route needs the admin key' },
  409: { code: 'idempotency_key_in_use', message: 'A request with this Idempotency-Key is still in flight; retry later' },
  413: { code: 'body_too_large', message: 'The request body exceeds 100 kB' },
  422: { code: 'idempotency_key_reused', message: 'This Idempotency-Key was used with another request (method, path or body); use a new key' },
  429: { code: 'rate_limited', message: 'Too many requests for this API key: at most 100 per second; retry later' },
  500: { code: 'internal_error', message: 'An internal error occurred; nothing was changed. Retry later.' },
};

/** A 404 for a missing object, as notFound() words it. */
export const missing = (what: string, param: string | null = 'id'): ErrorExample => ({ code: 'resource_missing', message: `No such ${what}`, param });

/** A 409 for an operation the object's state does not allow. */
export const wrongState = (message: string): ErrorExample => ({ code: 'invalid_state', message });

/** A 400 naming the field at fault. */
export const invalid = (param: string, message: string, code: ErrorCode = 'parameter_invalid'): ErrorExample => ({ code, message, param });

const body = ({ code, message, param = null }: ErrorExample) => ({
  error: { type: ERROR_CODES[code].type, code, message, param, request_id: 'req_01JDQ3R6X8M2K9V4T7B5N1C0AZ' },
});

/**
 * Documents the contract's error body for each error a route can answer with: a status for the
 * errors every route words the same (401, 403, 409 in flight, 413, 422, 429, 500, and 400 for an
 * unknown field), or the route's own examples (a 404 names what is missing). Several examples of
 * one status are listed side by side.
 */
export function ApiErrors(...errors: (number | ErrorExample)[]): MethodDecorator & ClassDecorator {
  const byStatus = new Map<number, ErrorExample[]>();
  for (const error of errors) {
    const example = typeof error === 'number' ? COMMON[error] : error;
    if (!example) throw new Error(`ApiErrors: status ${String(error)} needs the route's own example`);
    const status = ERROR_CODES[example.code].status;
    byStatus.set(status, [...(byStatus.get(status) ?? []), example]);
  }
  return applyDecorators(
    ...[...byStatus].map(([status, examples]) =>
      ApiResponse({
        status,
        description: DESCRIPTIONS[status] ?? examples[0]!.message,
        type: ErrorResponse,
        ...(examples.length === 1
          ? { example: body(examples[0]!) }
          : { examples: Object.fromEntries(examples.map((example, index) => [`${example.code}_${index + 1}`, { summary: example.message, value: body(example) }])) }),
      }),
    ),
  );
}
