import {
  SOFT_DECLINE_CODES,
  type AuthorizationLookup,
  type AuthorizationResult,
  type CallFailure,
  type OperationResult,
  type ReversalResult,
} from '../acquirer-adapter.js';

/**
 * What one HTTP call to an acquirer came to, before any meaning is given to it: either an
 * answer (its status, and its body unless it could not be read whole), or no answer, with
 * whether the acquirer may have received the whole request (`sent`).
 */
export type Exchange =
  | { kind: 'answered'; status: number; body: string | null; error?: string }
  | { kind: 'failed'; sent: boolean; error: string };

type Failed<K extends string> = { kind: K } & CallFailure;
type Unsuccessful = Failed<'not_processed' | 'unknown' | 'error'>;

/**
 * What an answer's status says about a POST, before its body is read (API.md, "Failover").
 * - 401/403 (our credentials), 408 (the acquirer gave up waiting for the request), 429, 503:
 *   the acquirer refused to start, so the next acquirer may be tried.
 * - 409: the acquirer knows the Idempotency-Key already (a call with it may be in flight), so
 *   it may have acted: unknown, resolved by a lookup.
 * - Other 4xx (400, 404, 422, …): the acquirer rejected the request as written; trying it
 *   again, here or elsewhere, would not change that.
 * - 3xx: never followed (the target was checked, a redirect's is not), and unknown rather than
 *   error: a `303 See Other` is how a server answers a POST it has processed.
 * - Any other 5xx, or a 2xx other than 200/201 (e.g. `202 Accepted`): the acquirer may have
 *   acted without saying how.
 */
export function statusOutcome(status: number): 'answered' | 'not_processed' | 'unknown' | 'error' {
  if (status === 200 || status === 201) return 'answered';
  if ([401, 403, 408, 429, 503].includes(status)) return 'not_processed';
  if (status === 409) return 'unknown';
  if (status >= 400 && status < 500) return 'error';
  return 'unknown';
}

/** A 200/201 answer's status and body, or the failure the exchange is instead. */
function answerOrFailure(exchange: Exchange): { status: number; body: string } | Unsuccessful {
  if (exchange.kind === 'failed') {
    return { kind: exchange.sent ? 'unknown' : 'not_processed', error: exchange.error, httpStatus: null };
  }
  const outcome = statusOutcome(exchange.status);
  if (outcome !== 'answered') return { kind: outcome, error: `HTTP ${exchange.status}`, httpStatus: exchange.status };
  if (exchange.body === null) {
    return { kind: 'unknown', error: `HTTP ${exchange.status} with an unreadable answer${exchange.error ? ` (${exchange.error})` : ''}`, httpStatus: exchange.status };
  }
  return { status: exchange.status, body: exchange.body };
}

function malformed(status: number): Failed<'unknown'> {
  return { kind: 'unknown', error: `HTTP ${status} with a malformed answer`, httpStatus: status };
}

function parseObject(body: string): Record<string, unknown> | null {
  try {
    const value: unknown = JSON.parse(body);
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

function nonEmptyString(value: unknown): value is string {
  return typeof value === 'string' && value.length > 0;
}

type Authorization = Extract<AuthorizationResult, { kind: 'approved' | 'declined' }>;

/**
 * An authorisation object of the protocol, or null when it is not one, or not the one asked
 * for: an answer naming another reference is no answer to this call.
 */
export function parseAuthorization(body: string, reference: string, httpStatus: number): Authorization | null {
  const object = parseObject(body);
  if (!object || object.reference !== reference) return null;
  if (object.status === 'approved') {
    if (!nonEmptyString(object.id) || typeof object.captured !== 'boolean') return null;
    return { kind: 'approved', acquirerReference: object.id, captured: object.captured, httpStatus };
  }
  if (object.status === 'declined') {
    if (!nonEmptyString(object.decline_code)) return null;
    if (object.id !== undefined && object.id !== null && !nonEmptyString(object.id)) return null;
    const declineCode = object.decline_code;
    return { kind: 'declined', acquirerReference: object.id ?? null, declineCode, soft: SOFT_DECLINE_CODES.has(declineCode), httpStatus };
  }
  return null;
}

export function classifyAuthorization(exchange: Exchange, reference: string): AuthorizationResult {
  const answer = answerOrFailure(exchange);
  if ('kind' in answer) return answer;
  return parseAuthorization(answer.body, reference, answer.status) ?? malformed(answer.status);
}

/**
 * A lookup only says "not found" on a 404; anything else that is not the authorisation asked
 * for (a refusal included) leaves the outcome unknown, since "not found" leads to a reversal
 * and `failed`.
 */
export function classifyLookup(exchange: Exchange, reference: string): AuthorizationLookup {
  if (exchange.kind === 'failed') return { kind: 'unknown', error: exchange.error, httpStatus: null };
  if (exchange.status === 404) return { kind: 'not_found' };
  if (exchange.status !== 200) return { kind: 'unknown', error: `HTTP ${exchange.status}`, httpStatus: exchange.status };
  const answer = answerOrFailure(exchange);
  if ('kind' in answer) return { ...answer, kind: 'unknown' };
  return parseAuthorization(answer.body, reference, answer.status) ?? malformed(answer.status);
}

export function classifyOperation(exchange: Exchange): OperationResult {
  const answer = answerOrFailure(exchange);
  if ('kind' in answer) return answer;
  const object = parseObject(answer.body);
  if (!object || !nonEmptyString(object.id) || (object.status !== 'succeeded' && object.status !== 'failed')) return malformed(answer.status);
  return { kind: object.status, acquirerReference: object.id, httpStatus: answer.status };
}

export function classifyReversal(exchange: Exchange, reference: string): ReversalResult {
  const answer = answerOrFailure(exchange);
  if ('kind' in answer) return answer;
  const object = parseObject(answer.body);
  if (!object || object.reference !== reference || typeof object.reversed !== 'boolean') return malformed(answer.status);
  return { kind: 'reversed', reversed: object.reversed };
}
