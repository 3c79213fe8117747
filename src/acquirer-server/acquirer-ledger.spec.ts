import { AcquirerLedger, REVERSED_DECLINE_CODE, authorizationBehaviour, type LedgerEvent } from './acquirer-ledger.js';
import type { AuthorizationRequest } from './protocol-requests.js';

const request = (overrides: Partial<AuthorizationRequest> = {}, number = '4242424242424242'): AuthorizationRequest => ({
  reference: 'att_1',
  amount: 1000,
  currency: 'EUR',
  capture: false,
  card: { number, brand: 'visa', last4: number.slice(-4) },
  ...overrides,
});

const body = (answer: { body: unknown }) => answer.body as Record<string, unknown>;

describe(authorizationBehaviour.name, () => {
  it('follows the card table', () => {
    expect(authorizationBehaviour('4000000000009995', { referenceReversed: false, softDecline: false })).toEqual({
      kind: 'declined',
      declineCode: 'insufficient_funds',
    });
    expect(authorizationBehaviour('4000000000000101', { referenceReversed: false, softDecline: false })).toEqual({
      kind: 'declined',
      declineCode: 'issuer_unavailable',
    });
  });

  it('soft-declines every card in the soft_decline mode', () => {
    expect(authorizationBehaviour('4242424242424242', { referenceReversed: false, softDecline: true })).toEqual({
      kind: 'declined',
      declineCode: 'issuer_unavailable',
    });
  });

  it('declines a reversed reference whatever the card and the mode', () => {
    expect(authorizationBehaviour('4242424242424242', { referenceReversed: true, softDecline: true })).toEqual({
      kind: 'declined',
      declineCode: REVERSED_DECLINE_CODE,
    });
  });
});

describe(AcquirerLedger.name, () => {
  let events: LedgerEvent[];
  let sut: AcquirerLedger;
  beforeEach(() => {
    events = [];
    sut = new AcquirerLedger((event) => events.push(event));
  });

  describe('authorize', () => {
    it('approves, records brand and last4 only, and journals the record', () => {
      const answer = sut.authorize(request(), false);
      expect(answer).toEqual({
        status: 201,
        body: { id: expect.stringMatching(/^auth_/), reference: 'att_1', status: 'approved', decline_code: null, captured: false, reversed: false },
        late: false,
      });
      const [record] = sut.records().authorizations;
      expect(record).toMatchObject({ card: { brand: 'visa', last4: '4242' }, amount: 1000, captured_amount: 0 });
      expect(JSON.stringify(sut.records())).not.toContain('4242424242424242');
      expect(events).toEqual([{ type: 'authorization', record }]);
    });

    it('captures at once when asked', () => {
      expect(body(sut.authorize(request({ capture: true }), false)).captured).toBe(true);
    });

    it('answers a repeated reference with the first authorisation, never a second one', () => {
      const first = sut.authorize(request(), false);
      const again = sut.authorize(request({ amount: 5 }, '4000000000000002'), false);
      expect(again.body).toEqual(first.body);
      expect(sut.records().authorizations).toHaveLength(1);
    });

    it('records nothing for the processing-error card and answers 500', () => {
      expect(sut.authorize(request({}, '4000000000000119'), false).status).toBe(500);
      expect(sut.records().authorizations).toHaveLength(0);
      expect(sut.lookUp('att_1').status).toBe(404);
    });

    it('records the timeout card as approved before answering late', () => {
      const answer = sut.authorize(request({}, '4000000000000259'), false);
      expect(answer).toMatchObject({ status: 201, late: true, body: { status: 'approved' } });
      expect(sut.lookUp('att_1')).toMatchObject({ status: 200, body: { status: 'approved' } });
    });

    it('leaves the ledger unchanged when the journal cannot be written', () => {
      const failing = new AcquirerLedger(() => {
        throw new Error('disk full');
      });
      expect(() => failing.authorize(request(), false)).toThrow('disk full');
      expect(failing.lookUp('att_1').status).toBe(404);
    });
  });

  describe('reverse', () => {
    it('reverses an approved authorisation, and a new POST with its reference is declined', () => {
      sut.authorize(request(), false);
      expect(sut.reverse('att_1')).toEqual({ status: 200, body: { reference: 'att_1', reversed: true } });
      expect(body(sut.authorize(request(), false))).toMatchObject({ status: 'declined', decline_code: REVERSED_DECLINE_CODE });
      expect(sut.records().authorizations).toHaveLength(1);
      expect(body(sut.lookUp('att_1')).reversed).toBe(true);
    });

    it('refuses a reference that never arrived: a late authorisation is recorded as declined', () => {
      expect(body(sut.reverse('att_late'))).toEqual({ reference: 'att_late', reversed: false });
      expect(body(sut.authorize(request({ reference: 'att_late' }), false))).toMatchObject({ status: 'declined', decline_code: REVERSED_DECLINE_CODE });
      expect(body(sut.lookUp('att_late')).status).toBe('declined');
    });

    it('reverses nothing for a declined authorisation', () => {
      sut.authorize(request({}, '4000000000000002'), false);
      expect(body(sut.reverse('att_1')).reversed).toBe(false);
    });

    it('fails a capture after the reversal', () => {
      const id = body(sut.authorize(request(), false)).id as string;
      sut.reverse('att_1');
      expect(body(sut.capture(id, 1000)).status).toBe('failed');
    });
  });

  describe('capture, void and refund', () => {
    let id: string;
    beforeEach(() => {
      id = body(sut.authorize(request(), false)).id as string;
    });

    it('answers 404 for an unknown authorisation', () => {
      expect(sut.capture('auth_nope', 1).status).toBe(404);
      expect(sut.void('auth_nope').status).toBe(404);
      expect(sut.refund('auth_nope', 1, 're_1').status).toBe(404);
    });

    it('captures up to the authorised amount, 422 above, and only once', () => {
      expect(sut.capture(id, 1001)).toMatchObject({ status: 422, body: { error: { param: 'amount' } } });
      expect(sut.capture(id, 600)).toMatchObject({ status: 201, body: { status: 'succeeded' } });
      expect(sut.capture(id, 100)).toMatchObject({ status: 201, body: { status: 'failed' } });
      expect(sut.records().authorizations[0]!.captured_amount).toBe(600);
    });

    it('voids an uncaptured authorisation once; a capture after it fails', () => {
      expect(body(sut.void(id)).status).toBe('succeeded');
      expect(body(sut.void(id)).status).toBe('failed');
      expect(body(sut.capture(id, 1000)).status).toBe('failed');
    });

    it('refunds up to what is captured, 422 above', () => {
      expect(sut.refund(id, 1, 're_0').status).toBe(422);
      sut.capture(id, 1000);
      expect(body(sut.refund(id, 700, 're_1')).status).toBe('succeeded');
      expect(sut.refund(id, 301, 're_2')).toMatchObject({ status: 422, body: { error: { param: 'amount' } } });
      expect(body(sut.refund(id, 300, 're_3')).status).toBe('succeeded');
    });

    it('answers a repeated refund reference with the first refund, never a second one', () => {
      sut.capture(id, 1000);
      const first = sut.refund(id, 700, 're_1');
      expect(sut.refund(id, 700, 're_1').body).toEqual(first.body);
      expect(sut.records().refunds).toHaveLength(1);
    });
  });

  it('restores from its events the same records, operations and refusals', () => {
    const id = body(sut.authorize(request({ capture: true }), false)).id as string;
    sut.refund(id, 400, 're_1');
    sut.reverse('att_gone');
    sut.keepAnswer('/authorizations k', { status: 201, body: '{"x":1}' });

    const restored = new AcquirerLedger();
    restored.restore(JSON.parse(JSON.stringify(events)) as LedgerEvent[]);
    expect(restored.records()).toEqual(sut.records());
    expect(restored.answerFor('/authorizations k')).toEqual({ status: 201, body: '{"x":1}' });
    expect(restored.refund(id, 601, 're_2').status).toBe(422);
    expect(body(restored.authorize(request({ reference: 'att_gone' }), false)).decline_code).toBe(REVERSED_DECLINE_CODE);
  });
});
