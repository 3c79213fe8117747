import type { AuthorizationLookup, AuthorizationResult } from '../acquirer-adapter.js';

/** What the router does after one acquirer's answer to an authorisation (API.md, "Failover"). */
export type FailoverStep =
  /** Approved, or declined with a hard code: the payment's outcome; no other acquirer is tried. */
  | { kind: 'final'; result: Extract<AuthorizationResult, { kind: 'approved' | 'declined' }> }
  /** Certainly not processed (or a soft decline): the next acquirer, if any. */
  | { kind: 'next' }
  /** Maybe processed: the payment stays pending and this acquirer is asked again; never another. */
  | { kind: 'pending' }
  /** The acquirer refused the request itself. */
  | { kind: 'failed'; failureReason: string };

export function stepAfter(result: AuthorizationResult): FailoverStep {
  switch (result.kind) {
    case 'approved':
      return { kind: 'final', result };
    case 'declined':
      return result.soft ? { kind: 'next' } : { kind: 'final', result };
    case 'not_processed':
      return { kind: 'next' };
    case 'unknown':
      return { kind: 'pending' };
    case 'error':
      return { kind: 'failed', failureReason: result.failureReason ?? 'acquirer_error' };
  }
}

/** Every acquirer was tried (or skipped) and none took the payment. */
export type Exhausted =
  | { kind: 'declined'; declineCode: string; acquirerReference: string | null }
  | { kind: 'failed'; failureReason: 'acquirers_unavailable' };

/**
 * When the route is exhausted: declined with the last soft code, if an acquirer soft-declined;
 * failed otherwise (every acquirer down, refusing, or skipped).
 */
export function whenExhausted(results: readonly AuthorizationResult[]): Exhausted {
  const lastSoftDecline = results.findLast((result) => result.kind === 'declined');
  return lastSoftDecline?.kind === 'declined'
    ? { kind: 'declined', declineCode: lastSoftDecline.declineCode, acquirerReference: lastSoftDecline.acquirerReference }
    : { kind: 'failed', failureReason: 'acquirers_unavailable' };
}

/** What the reconciler does with an acquirer's answer about an authorisation whose outcome was unknown. */
export type Resolution =
  | { kind: 'settle'; result: Extract<AuthorizationLookup, { kind: 'approved' | 'declined' }> }
  /** The acquirer never saw it: reverse it (so it never will), then the payment fails. */
  | { kind: 'reverse_then_fail'; failureReason: 'bank_unavailable' }
  /** Still unknown: ask again later. */
  | { kind: 'ask_again' };

export function resolutionOf(lookup: AuthorizationLookup): Resolution {
  switch (lookup.kind) {
    case 'approved':
    case 'declined':
      return { kind: 'settle', result: lookup };
    case 'not_found':
      return { kind: 'reverse_then_fail', failureReason: 'bank_unavailable' };
    case 'unknown':
      return { kind: 'ask_again' };
  }
}
