import type { BankOutcome } from '../bank-gateway.js';

/** What the simulated bank does for a card: answer now, or only after the gateway gave up. */
export type SimulatedBehaviour =
  | { kind: 'declined'; declineCode: string }
  | { kind: 'failed'; failureReason: string }
  | { kind: 'approved' }
  | { kind: 'timeout' };

/** The contract's test-card table; every other valid card is approved. */
export const TEST_CARDS: Readonly<Record<string, SimulatedBehaviour>> = Object.freeze({
  '4000000000000002': { kind: 'declined', declineCode: 'card_declined' },
  '4000000000009995': { kind: 'declined', declineCode: 'insufficient_funds' },
  '4000000000000069': { kind: 'declined', declineCode: 'expired_card' },
  '4000000000000127': { kind: 'declined', declineCode: 'incorrect_cvc' },
  '4000000000000119': { kind: 'failed', failureReason: 'processing_error' },
  // A soft decline: with several acquirers routed, the gateway tries the next one.
  '4000000000000101': { kind: 'declined', declineCode: 'issuer_unavailable' },
  '4000000000000259': { kind: 'timeout' },
});

export function deterministicBehaviour(cardNumber: string): SimulatedBehaviour {
  return Object.hasOwn(TEST_CARDS, cardNumber) ? TEST_CARDS[cardNumber]! : { kind: 'approved' };
}

/** The prototype's behaviour: approve at random, decline the rest. */
export function randomBehaviour(approvalRate: number, random: () => number = Math.random): SimulatedBehaviour {
  return random() < approvalRate ? { kind: 'approved' } : { kind: 'declined', declineCode: 'card_declined' };
}

export function outcomeOf(behaviour: Exclude<SimulatedBehaviour, { kind: 'timeout' }>, bankReference: string): BankOutcome {
  switch (behaviour.kind) {
    case 'approved':
      return { kind: 'approved', bankReference };
    case 'declined':
      return { kind: 'declined', bankReference, declineCode: behaviour.declineCode };
    case 'failed':
      return { kind: 'failed', failureReason: behaviour.failureReason };
  }
}
