import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiResponse } from '@nestjs/swagger';

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

const EXAMPLES: Record<number, { description: string; type: string; code: string; message: string; param: string | null }> = {
  400: { description: 'Invalid request: malformed JSON, unknown, missing or bad field (param names it)', type: 'invalid_request_error', code: 'card_number_invalid', message: 'card.number fails the Luhn check', param: 'card.number' },
  401: { description: 'No key, or an unknown or revoked key', type: 'authentication_error', code: 'api_key_invalid', message: 'Invalid API key', param: null },
  403: { description: 'A merchant key on an admin route', type: 'permission_error', code: 'permission_denied', message: 'This route needs the admin key', param: null },
  404: { description: 'No such object visible to this key', type: 'not_found_error', code: 'resource_missing', message: 'No such payment', param: 'id' },
  409: { description: 'The operation does not fit the payment\'s status', type: 'invalid_state_error', code: 'invalid_state', message: 'A pending payment cannot be archived', param: null },
  413: { description: 'A body over 100 kB', type: 'invalid_request_error', code: 'body_too_large', message: 'The request body exceeds 100 kB', param: null },
};

/** Documents the contract's error body for each status a route can answer with. */
export function ApiErrors(...statuses: number[]): MethodDecorator & ClassDecorator {
  return applyDecorators(
    ...statuses.map((status) => {
      const example = EXAMPLES[status];
      return ApiResponse({
        status,
        description: example?.description,
        type: ErrorResponse,
        example: example && {
          error: { type: example.type, code: example.code, message: example.message, param: example.param, request_id: 'req_01JDQ3R6X8M2K9V4T7B5N1C0AZ' },
        },
      });
    }),
  );
}
