import type { RequestHandler } from 'express';
import helmet from 'helmet';

/**
 * helmet's headers, worked out once. With helmet's default options they are the same for
 * every request (no nonces, nothing read from the request), so the dozen middlewares helmet
 * chains on each request become one loop over a fixed list.
 */
export function securityHeaders(): RequestHandler {
  const headers = helmetHeaders();
  return (_request, response, next) => {
    for (const [name, value] of headers) response.setHeader(name, value);
    next();
  };
}

/** What helmet sets (and does not remove) on a response to `request`. */
export function helmetHeaders(request: object = {}): [string, string][] {
  const headers = new Map<string, string>();
  const response = {
    setHeader: (name: string, value: unknown) => headers.set(name, String(value)),
    removeHeader: (name: string) => headers.delete(name),
  };
  let done = false;
  helmet()(request as never, response as never, () => (done = true));
  if (!done) throw new Error('helmet did not finish synchronously: its headers cannot be worked out once');
  return [...headers];
}

/**
 * `Cache-Control: no-store` on every API response: some carry a secret shown once (a new
 * `sk_…` key, a webhook endpoint's `whsec_…` secret) and the others a merchant's payments;
 * no proxy or client cache may keep any of them. Nothing under /v1 is worth caching anyway.
 */
export function noStore(): RequestHandler {
  return (_request, response, next) => {
    response.setHeader('Cache-Control', 'no-store');
    next();
  };
}
