import { createHmac } from 'node:crypto';
import type { Principal } from '../auth/principal.js';

export const MAX_KEY_LENGTH = 255;

/**
 * The key as sent: bare (`Idempotency-Key: 8e03…`) or as a structured-field string
 * (`Idempotency-Key: "8e03…"`, RFC 8941, with `\"` and `\\` escapes). Undefined when it is
 * neither, is empty, or is longer than 255 characters.
 */
export function parseIdempotencyKey(header: string): string | undefined {
  let key = header.trim();
  if (key.startsWith('"')) {
    const match = /^"((?:[\x20\x21\x23-\x5b\x5d-\x7e]|\\["\\])*)"$/.exec(key);
    if (!match) return undefined;
    key = match[1]!.replace(/\\(["\\])/g, '$1');
  } else if (!/^[\x21-\x7e]+$/.test(key)) {
    return undefined;
  }
  return key.length >= 1 && key.length <= MAX_KEY_LENGTH ? key : undefined;
}

/**
 * What makes two requests "the same": method, path and body bytes. Keyed with a secret, so
 * that a card number inside the body cannot be recovered from the stored fingerprint.
 */
export function requestFingerprint(secret: string, method: string, path: string, body: Buffer | undefined): string {
  return createHmac('sha256', secret)
    .update(`${method} ${path}\n`)
    .update(body ?? Buffer.alloc(0))
    .digest('base64url');
}

/**
 * Whose keys a key is checked against: one merchant in one mode, or the admin. A test key's
 * scope is its merchant id with `:test` appended, so that a test request and a live request
 * with the same key never replay one another; a live key's is the bare merchant id, as before
 * modes existed (and as the previous release writes it during a rolling update).
 */
export function idempotencyScope(principal: Principal): string {
  if (principal.role === 'admin') return 'admin';
  return principal.livemode === false ? `${principal.merchantId}:test` : principal.merchantId;
}
