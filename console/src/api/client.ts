import createClient, { type Middleware } from 'openapi-fetch';
import type { components, paths } from './schema';

export type Schemas = components['schemas'];

/** The current session's CSRF token: sent as X-CSRF-Token with every request that changes something. */
let csrfToken: string | null = null;

export function setCsrfToken(token: string | null): void {
  csrfToken = token;
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

function withCsrf(method: string, headers: Headers): void {
  if (!SAFE_METHODS.has(method.toUpperCase()) && csrfToken !== null) headers.set('X-CSRF-Token', csrfToken);
}

const csrf: Middleware = {
  onRequest({ request }) {
    withCsrf(request.method, request.headers);
    return request;
  },
};

/** The typed client of the public API (paths from openapi.json); the session cookie goes along. */
export const api = createClient<paths>({ baseUrl: '', credentials: 'same-origin' });
api.use(csrf);

/** Any failure of a call: the API's `{error: {code, message, param}}` and the response's X-Request-Id. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly param: string | null,
    readonly requestId: string | null,
  ) {
    super(message);
    this.name = 'ApiError';
  }

  static fromBody(response: Response, body: unknown): ApiError {
    const requestId = response.headers.get('X-Request-Id');
    const error = (body as { error?: { code?: unknown; message?: unknown; param?: unknown } } | undefined)?.error;
    if (error && typeof error.message === 'string') {
      return new ApiError(response.status, String(error.code ?? 'error'), error.message, typeof error.param === 'string' ? error.param : null, requestId);
    }
    return new ApiError(response.status, 'http_error', `The gateway answered ${response.status} ${response.statusText}`.trim(), null, requestId);
  }

  static network(cause: unknown): ApiError {
    return new ApiError(0, 'network_error', `The gateway could not be reached (${cause instanceof Error ? cause.message : String(cause)})`, null, null);
  }
}

/** The data of a typed call, or its ApiError thrown. */
export async function unwrap<T>(call: Promise<{ data?: T; error?: unknown; response: Response }>): Promise<T> {
  let result: { data?: T; error?: unknown; response: Response };
  try {
    result = await call;
  } catch (cause) {
    throw ApiError.network(cause);
  }
  if (!result.response.ok) throw ApiError.fromBody(result.response, result.error);
  return result.data as T;
}

/** `?a=1&b=2` of the defined, non-empty values; '' when none. */
export function queryString(query: Record<string, string | undefined>): string {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(query)) if (value !== undefined && value !== '') params.set(name, value);
  const text = params.toString();
  return text === '' ? '' : `?${text}`;
}

/** The defined, non-empty values only: what a typed call's `query` gets. */
export function compact<T extends Record<string, string | undefined>>(query: T): Partial<T> {
  const out: Partial<T> = {};
  for (const [name, value] of Object.entries(query)) if (value !== undefined && value !== '') (out as Record<string, string>)[name] = value;
  return out;
}
