/**
 * Every error the gateway answers with, by code. The HTTP status and the contract's
 * error type for each code live here and nowhere else (see api-error.filter.ts).
 */
export const ERROR_CODES = {
  parameter_missing: { status: 400, type: 'invalid_request_error' },
  parameter_invalid: { status: 400, type: 'invalid_request_error' },
  parameter_unknown: { status: 400, type: 'invalid_request_error' },
  card_number_invalid: { status: 400, type: 'invalid_request_error' },
  card_expired: { status: 400, type: 'invalid_request_error' },
  amount_too_large: { status: 400, type: 'invalid_request_error' },
  invalid_json: { status: 400, type: 'invalid_request_error' },
  request_malformed: { status: 400, type: 'invalid_request_error' },
  request_timeout: { status: 408, type: 'invalid_request_error' },
  body_too_large: { status: 413, type: 'invalid_request_error' },
  unsupported_media_type: { status: 415, type: 'invalid_request_error' },
  headers_too_large: { status: 431, type: 'invalid_request_error' },
  api_key_missing: { status: 401, type: 'authentication_error' },
  api_key_invalid: { status: 401, type: 'authentication_error' },
  invalid_credentials: { status: 401, type: 'authentication_error' },
  session_invalid: { status: 401, type: 'authentication_error' },
  password_incorrect: { status: 400, type: 'invalid_request_error' },
  email_taken: { status: 409, type: 'invalid_request_error' },
  csrf_token_invalid: { status: 403, type: 'permission_error' },
  permission_denied: { status: 403, type: 'permission_error' },
  resource_missing: { status: 404, type: 'not_found_error' },
  route_not_found: { status: 404, type: 'not_found_error' },
  method_not_allowed: { status: 405, type: 'invalid_request_error' },
  invalid_state: { status: 409, type: 'invalid_state_error' },
  idempotency_key_in_use: { status: 409, type: 'idempotency_error' },
  idempotency_key_reused: { status: 422, type: 'idempotency_error' },
  rate_limited: { status: 429, type: 'rate_limit_error' },
  internal_error: { status: 500, type: 'api_error' },
  bank_error: { status: 502, type: 'api_error' },
  service_unavailable: { status: 503, type: 'api_error' },
} as const satisfies Record<string, { status: number; type: string }>;

export type ErrorCode = keyof typeof ERROR_CODES;

/** A refusal the gateway explains to the caller: a code, a message and the field at fault. */
export class GatewayError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly param: string | null = null,
  ) {
    super(message);
    this.name = 'GatewayError';
  }

  get status(): number {
    return ERROR_CODES[this.code].status;
  }

  get type(): string {
    return ERROR_CODES[this.code].type;
  }
}

export const notFound = (what: string, param: string | null = 'id'): GatewayError =>
  new GatewayError('resource_missing', `No such ${what}`, param);

export const invalidParam = (param: string, message: string): GatewayError =>
  new GatewayError('parameter_invalid', message, param);
