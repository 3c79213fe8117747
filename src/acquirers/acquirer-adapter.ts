/**
 * One acquirer, as the router sees it: the calls of the acquirer protocol (API.md, "The
 * acquirer protocol"), each result classified for the failover rules (API.md, "Failover").
 * An adapter never throws for what the acquirer did or did not answer: every outcome is a
 * value, and "unknown" is only ever said when the acquirer may have acted.
 */

/** What the gateway asks an acquirer to authorise. The card number and CVV exist only here, in memory. */
export interface AuthorizationCall {
  /** The attempt's id (`att_…`): the acquirer's reference and the POST's Idempotency-Key. */
  reference: string;
  amount: number;
  currency: string;
  capture: boolean;
  card: { number: string; cvv: string; expiryMonth: number; expiryYear: number; holderName: string | null };
}

/** Soft decline codes (API.md): another acquirer may approve. */
export const SOFT_DECLINE_CODES: ReadonlySet<string> = new Set(['issuer_unavailable', 'try_again_later']);

/** How a call went wrong, for the attempt row; never card data. */
export interface CallFailure {
  /** e.g. `connect ECONNREFUSED 127.0.0.1:4100`, `timeout after 2000 ms`, `HTTP 503`. */
  error: string;
  httpStatus: number | null;
}

export type AuthorizationResult =
  /** `acquirerReference`: the acquirer's own id of the authorisation (captures, voids and refunds name it). */
  | { kind: 'approved'; acquirerReference: string; captured: boolean; httpStatus: number | null }
  | { kind: 'declined'; acquirerReference: string | null; declineCode: string; soft: boolean; httpStatus: number | null }
  /** Certainly not processed: refused before sending, 429, 503, 401/403. The next acquirer may be tried. */
  | ({ kind: 'not_processed' } & CallFailure)
  /** Maybe processed: a timeout or lost connection after sending, 500/502/504, an unreadable answer. Never another acquirer. */
  | ({ kind: 'unknown' } & CallFailure)
  /** The acquirer refused the request itself (400/422): the payment fails, with `failureReason` or `acquirer_error`. */
  | ({ kind: 'error'; failureReason?: string } & CallFailure);

/** What the acquirer knows of an authorisation reference, asked again. */
export type AuthorizationLookup =
  | Extract<AuthorizationResult, { kind: 'approved' | 'declined' }>
  | { kind: 'not_found' }
  | ({ kind: 'unknown' } & CallFailure);

/** A capture, void or refund at the acquirer holding the authorisation. */
export type OperationResult =
  | { kind: 'succeeded'; acquirerReference: string | null; httpStatus: number | null }
  | { kind: 'failed'; acquirerReference: string | null; httpStatus: number | null }
  | ({ kind: 'not_processed' } & CallFailure)
  | ({ kind: 'unknown' } & CallFailure)
  | ({ kind: 'error' } & CallFailure);

export type ReversalResult = { kind: 'reversed'; reversed: boolean } | ({ kind: 'not_processed' | 'unknown' | 'error' } & CallFailure);

export interface AcquirerAdapter {
  authorize(call: AuthorizationCall): Promise<AuthorizationResult>;
  lookUp(reference: string): Promise<AuthorizationLookup>;
  /** Voids what the reference authorised, and makes the acquirer refuse the reference from then on. */
  reverse(reference: string): Promise<ReversalResult>;
  /** `idempotencyKey`: the gateway's id of the operation (e.g. `pay_…/capture`, `re_…`). */
  capture(acquirerReference: string, amount: number, idempotencyKey: string): Promise<OperationResult>;
  void(acquirerReference: string, idempotencyKey: string): Promise<OperationResult>;
  refund(acquirerReference: string, amount: number, refundId: string): Promise<OperationResult>;
  /** Frees connections; called when the acquirer is changed or the app stops. */
  close(): Promise<void>;
}
