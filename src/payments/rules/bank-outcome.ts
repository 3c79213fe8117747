import type { BankOutcome } from '../../bank/bank-gateway.js';
import { historyStatusFor, type HistoryStatus, type PaymentStatus } from './payment-state.js';

export interface OutcomeChanges {
  status: PaymentStatus;
  historyStatus: HistoryStatus;
  amountCaptured: number;
  bankReference: string | null;
  /** The acquirer holding the authorisation: the one that approved it, none otherwise. */
  acquirerId: string | null;
  declineCode: string | null;
  failureReason: string | null;
}

/** What the bank's answer to an authorisation makes of a pending payment. */
export function applyAuthorizationOutcome(outcome: BankOutcome, amount: number, capture: boolean): OutcomeChanges {
  switch (outcome.kind) {
    case 'approved': {
      const status = capture ? 'captured' : 'authorized';
      return {
        status,
        historyStatus: historyStatusFor(status),
        amountCaptured: capture ? amount : 0,
        bankReference: outcome.bankReference,
        acquirerId: outcome.acquirerId ?? null,
        declineCode: null,
        failureReason: null,
      };
    }
    case 'declined':
      return {
        status: 'declined',
        historyStatus: 'finished',
        amountCaptured: 0,
        bankReference: outcome.bankReference,
        acquirerId: null,
        declineCode: outcome.declineCode,
        failureReason: null,
      };
    case 'failed':
      return {
        status: 'failed',
        historyStatus: 'finished',
        amountCaptured: 0,
        bankReference: null,
        acquirerId: null,
        declineCode: null,
        failureReason: outcome.failureReason,
      };
  }
}
