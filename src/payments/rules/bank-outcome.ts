import type { BankOutcome } from '../../bank/bank-gateway.js';
import { historyStatusFor, type HistoryStatus, type PaymentStatus } from './payment-state.js';

export interface OutcomeChanges {
  status: PaymentStatus;
  historyStatus: HistoryStatus;
  amountCaptured: number;
  bankReference: string | null;
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
        declineCode: outcome.declineCode,
        failureReason: null,
      };
    case 'failed':
      return {
        status: 'failed',
        historyStatus: 'finished',
        amountCaptured: 0,
        bankReference: null,
        declineCode: null,
        failureReason: outcome.failureReason,
      };
  }
}
