import { TEST_CARDS, deterministicBehaviour, outcomeOf, randomBehaviour, type SimulatedBehaviour } from './test-cards.js';

describe(deterministicBehaviour.name, () => {
  it.each<[string, SimulatedBehaviour]>([
    ['4000000000000002', { kind: 'declined', declineCode: 'card_declined' }],
    ['4000000000009995', { kind: 'declined', declineCode: 'insufficient_funds' }],
    ['4000000000000069', { kind: 'declined', declineCode: 'expired_card' }],
    ['4000000000000127', { kind: 'declined', declineCode: 'incorrect_cvc' }],
    ['4000000000000119', { kind: 'failed', failureReason: 'processing_error' }],
    ['4000000000000101', { kind: 'declined', declineCode: 'issuer_unavailable' }],
    ['4000000000000259', { kind: 'timeout' }],
  ])('%s → %j', (card, behaviour) => {
    expect(deterministicBehaviour(card)).toEqual(behaviour);
  });

  it('the table has exactly those seven cards', () => {
    expect(Object.keys(TEST_CARDS)).toHaveLength(7);
  });

  it.each(['4242424242424242', '5555555555554444', '378282246310005', '4000000000000010'])('%s is approved', (card) => {
    expect(deterministicBehaviour(card)).toEqual({ kind: 'approved' });
  });

});

describe(randomBehaviour.name, () => {
  it.each<[number, number, SimulatedBehaviour]>([
    [0.79, 0.8, { kind: 'approved' }],
    [0.8, 0.8, { kind: 'declined', declineCode: 'card_declined' }],
    [0, 0.8, { kind: 'approved' }],
    [0.999, 1, { kind: 'approved' }],
    [0, 0, { kind: 'declined', declineCode: 'card_declined' }],
  ])('random() = %d with rate %d → %j', (draw, rate, behaviour) => {
    expect(randomBehaviour(rate, () => draw)).toEqual(behaviour);
  });
});

describe(outcomeOf.name, () => {
  it('approved carries the bank reference', () => {
    expect(outcomeOf({ kind: 'approved' }, 'bnk_x')).toEqual({ kind: 'approved', bankReference: 'bnk_x' });
  });

  it('declined carries the reference and the decline code', () => {
    expect(outcomeOf({ kind: 'declined', declineCode: 'incorrect_cvc' }, 'bnk_y')).toEqual({
      kind: 'declined',
      bankReference: 'bnk_y',
      declineCode: 'incorrect_cvc',
    });
  });

  it('failed carries the failure reason and no reference', () => {
    expect(outcomeOf({ kind: 'failed', failureReason: 'processing_error' }, 'bnk_z')).toEqual({
      kind: 'failed',
      failureReason: 'processing_error',
    });
  });
});
