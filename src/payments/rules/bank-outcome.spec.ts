import { applyAuthorizationOutcome } from './bank-outcome.js';

describe(applyAuthorizationOutcome.name, () => {
  it('approved with capture: captured for the whole amount', () => {
    expect(applyAuthorizationOutcome({ kind: 'approved', bankReference: 'bnk_1', acquirerId: 'acq_1' }, 1234, true)).toEqual({
      status: 'captured',
      historyStatus: 'active',
      amountCaptured: 1234,
      bankReference: 'bnk_1',
      acquirerId: 'acq_1',
      declineCode: null,
      failureReason: null,
    });
  });

  it('approved without capture: authorized, nothing captured', () => {
    expect(applyAuthorizationOutcome({ kind: 'approved', bankReference: 'bnk_2' }, 1234, false)).toEqual({
      status: 'authorized',
      historyStatus: 'active',
      amountCaptured: 0,
      bankReference: 'bnk_2',
      acquirerId: null,
      declineCode: null,
      failureReason: null,
    });
  });

  it.each([true, false])('declined (capture %s): finished with the decline code', (capture) => {
    expect(
      applyAuthorizationOutcome({ kind: 'declined', bankReference: 'bnk_3', declineCode: 'insufficient_funds', acquirerId: 'acq_1' }, 500, capture),
    ).toEqual({
      status: 'declined',
      historyStatus: 'finished',
      amountCaptured: 0,
      bankReference: 'bnk_3',
      // A declined payment is held by no acquirer.
      acquirerId: null,
      declineCode: 'insufficient_funds',
      failureReason: null,
    });
  });

  it('declined without a bank reference keeps it null', () => {
    const changes = applyAuthorizationOutcome({ kind: 'declined', bankReference: null, declineCode: 'card_declined' }, 500, true);
    expect(changes.bankReference).toBeNull();
    expect(changes.declineCode).toBe('card_declined');
  });

  it.each([true, false])('failed (capture %s): finished with the failure reason', (capture) => {
    expect(applyAuthorizationOutcome({ kind: 'failed', failureReason: 'processing_error' }, 500, capture)).toEqual({
      status: 'failed',
      historyStatus: 'finished',
      amountCaptured: 0,
      bankReference: null,
      acquirerId: null,
      declineCode: null,
      failureReason: 'processing_error',
    });
  });
});
