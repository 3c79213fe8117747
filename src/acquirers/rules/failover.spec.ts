import type { AuthorizationResult } from '../acquirer-adapter.js';
import { resolutionOf, stepAfter, whenExhausted } from './failover.js';

const approved: AuthorizationResult = { kind: 'approved', acquirerReference: 'auth_1', captured: true, httpStatus: 201 };
const hardDecline: AuthorizationResult = { kind: 'declined', acquirerReference: 'auth_2', declineCode: 'card_declined', soft: false, httpStatus: 201 };
const softDecline: AuthorizationResult = { kind: 'declined', acquirerReference: 'auth_3', declineCode: 'issuer_unavailable', soft: true, httpStatus: 201 };
const refused: AuthorizationResult = { kind: 'not_processed', error: 'connect ECONNREFUSED 127.0.0.1:4100', httpStatus: null };
const unavailable: AuthorizationResult = { kind: 'not_processed', error: 'HTTP 503', httpStatus: 503 };
const lost: AuthorizationResult = { kind: 'unknown', error: 'connection reset after the request was sent', httpStatus: null };
const badRequest: AuthorizationResult = { kind: 'error', error: 'HTTP 422', httpStatus: 422 };

describe(stepAfter.name, () => {
  it.each([
    ['approved: final', approved, { kind: 'final', result: approved }],
    ['a hard decline: final', hardDecline, { kind: 'final', result: hardDecline }],
    ['a soft decline: the next acquirer', softDecline, { kind: 'next' }],
    ['refused before sending: the next acquirer', refused, { kind: 'next' }],
    ['503: the next acquirer', unavailable, { kind: 'next' }],
    ['lost after sending: pending, never another acquirer', lost, { kind: 'pending' }],
    ['400/422: failed, acquirer_error', badRequest, { kind: 'failed', failureReason: 'acquirer_error' }],
  ])('%s', (_label, result, expected) => {
    expect(stepAfter(result)).toEqual(expected);
  });
});

describe(whenExhausted.name, () => {
  it('is declined with the last soft code when an acquirer soft-declined', () => {
    const second = { ...softDecline, declineCode: 'try_again_later', acquirerReference: 'auth_4' } as AuthorizationResult;
    expect(whenExhausted([softDecline, refused, second, unavailable])).toEqual({
      kind: 'declined',
      declineCode: 'try_again_later',
      acquirerReference: 'auth_4',
    });
  });

  it('is failed, acquirers_unavailable, when none answered (or none was tried)', () => {
    expect(whenExhausted([refused, unavailable])).toEqual({ kind: 'failed', failureReason: 'acquirers_unavailable' });
    expect(whenExhausted([])).toEqual({ kind: 'failed', failureReason: 'acquirers_unavailable' });
  });
});

describe(resolutionOf.name, () => {
  it('settles with what the acquirer found', () => {
    expect(resolutionOf(approved as never)).toEqual({ kind: 'settle', result: approved });
    expect(resolutionOf(hardDecline as never)).toEqual({ kind: 'settle', result: hardDecline });
  });

  it('reverses, then fails, what the acquirer never received', () => {
    expect(resolutionOf({ kind: 'not_found' })).toEqual({ kind: 'reverse_then_fail', failureReason: 'bank_unavailable' });
  });

  it('asks again while the answer is still unknown', () => {
    expect(resolutionOf({ kind: 'unknown', error: 'HTTP 500', httpStatus: 500 })).toEqual({ kind: 'ask_again' });
  });
});
