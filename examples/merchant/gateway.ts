import createClient from 'openapi-fetch';
import type { components, paths } from './gateway-api.js';

export type Payment = components['schemas']['PaymentResponse'];

/**
 * The gateway's API, typed from its own OpenAPI document (`openapi.json`, the one served at
 * `/docs-json`): a wrong path, field or type is a compile error in this file, not a 400 in
 * production.
 */
export function gatewayClient(baseUrl: string, apiKey: string) {
  return createClient<paths>({
    baseUrl,
    headers: { Authorization: `Bearer ${apiKey}` },
    // Every call has a deadline: a gateway that does not answer is an error, not a hung order.
    fetch: (request) => fetch(request, { signal: AbortSignal.timeout(15_000) }),
  });
}

export type GatewayClient = ReturnType<typeof gatewayClient>;

/** The gateway's error body, as every 4xx and 5xx carries it. */
export class GatewayError extends Error {
  constructor(
    readonly status: number,
    readonly body: { error?: { type?: string; code?: string; message?: string; request_id?: string } } | undefined,
  ) {
    super(`${status} ${body?.error?.code ?? 'error'}: ${body?.error?.message ?? 'no body'} (${body?.error?.request_id ?? 'no request id'})`);
  }
}

/** The data of a call, or a GatewayError with the gateway's code and request id. */
export function unwrap<T>(result: { data?: T; error?: unknown; response: Response }): T {
  if (result.data === undefined) throw new GatewayError(result.response.status, result.error as GatewayError['body']);
  return result.data;
}
