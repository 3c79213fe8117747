import { MisbehavingAcquirer, refusingAcquirerUrl, type AcquirerCall } from '../../../test/support/misbehaving-acquirer.js';
import { waitFor } from '../../../test/support/wait-for.js';
import type { AuthorizationCall } from '../acquirer-adapter.js';
import { HttpAcquirerAdapter, type HttpAcquirerOptions } from './http-acquirer.adapter.js';

// Real HTTP servers on 127.0.0.1 that misbehave on purpose: each class of the failover rules
// (API.md) from what actually crosses a socket, and what the acquirer received.

const API_KEY = 'ak_live_9f8e7d6c5b4a';
const CARD_NUMBER = '4242424242424242';
const CVV = '737';
const TIMEOUT_MS = 400;

function authorization(reference = 'att_01HX', number = CARD_NUMBER): AuthorizationCall {
  return {
    reference,
    amount: 1250,
    currency: 'EUR',
    capture: true,
    card: { number, cvv: CVV, expiryMonth: 12, expiryYear: 2030, holderName: 'Ada Lovelace' },
  };
}

describe(HttpAcquirerAdapter.name, () => {
  let acquirer: MisbehavingAcquirer;
  let baseUrl: string;
  const adapters: HttpAcquirerAdapter[] = [];
  const results: unknown[] = [];

  const adapter = (options: Partial<HttpAcquirerOptions> = {}) => {
    const sut = new HttpAcquirerAdapter({ baseUrl, apiKey: API_KEY, timeoutMs: TIMEOUT_MS, allowPrivate: true, ...options });
    adapters.push(sut);
    return sut;
  };
  const authorize = async (sut = adapter(), call = authorization()) => {
    const result = await sut.authorize(call);
    results.push(result);
    return result;
  };
  const only = (): AcquirerCall => {
    expect(acquirer.received).toHaveLength(1);
    return acquirer.received[0]!;
  };
  /** What reached the acquirer for `authorization()`: the whole call, card data in the body only. */
  const expectAuthorizationReceived = (call: AcquirerCall) => {
    expect(call.method).toBe('POST');
    expect(call.path).toBe('/authorizations');
    expect(call.headers).toMatchObject({
      authorization: `Bearer ${API_KEY}`,
      'content-type': 'application/json',
      'idempotency-key': 'att_01HX',
    });
    expect(JSON.parse(call.body)).toEqual({
      reference: 'att_01HX',
      amount: 1250,
      currency: 'EUR',
      capture: true,
      card: { number: CARD_NUMBER, expiry_month: 12, expiry_year: 2030, cvv: CVV, holder_name: 'Ada Lovelace' },
    });
  };

  beforeEach(async () => {
    acquirer = new MisbehavingAcquirer();
    baseUrl = await acquirer.start();
  });

  afterEach(async () => {
    await Promise.all(adapters.splice(0).map((sut) => sut.close()));
    await acquirer.stop();
  });

  describe('certainly not processed', () => {
    it('when the connection is refused', async () => {
      const result = await authorize(adapter({ baseUrl: await refusingAcquirerUrl() }));
      expect(result).toEqual({ kind: 'not_processed', error: expect.stringMatching(/^connect ECONNREFUSED 127\.0\.0\.1:\d+$/), httpStatus: null });
    });

    it('when the TLS handshake fails (https to a plain HTTP acquirer)', async () => {
      const result = await authorize(adapter({ baseUrl: baseUrl.replace(/^http:/, 'https:') }));
      expect(result).toEqual({ kind: 'not_processed', error: 'TLS handshake failed: wrong version number', httpStatus: null });
      expect(acquirer.received).toHaveLength(0);
    });

    it('when the address policy refuses a loopback target, before any byte is sent', async () => {
      const result = await authorize(adapter({ allowPrivate: false }));
      expect(result).toEqual({ kind: 'not_processed', error: expect.stringContaining('127.0.0.1 is a non-public address'), httpStatus: null });
      expect(acquirer.received).toHaveLength(0);
    });

    it.each([503, 429, 401, 403])('on HTTP %i', async (status) => {
      acquirer.behave = () => ({ status, body: { error: 'no' } });
      expect(await authorize()).toEqual({ kind: 'not_processed', error: `HTTP ${status}`, httpStatus: status });
      expectAuthorizationReceived(only());
    });
  });

  describe('unknown: the acquirer may have acted', () => {
    it('when the connection is reset after the acquirer read the request', async () => {
      acquirer.behave = () => 'reset';
      expect(await authorize()).toEqual({ kind: 'unknown', error: 'connection reset after the request was sent', httpStatus: null });
      expectAuthorizationReceived(only());
    });

    it('when the connection is closed without an answer', async () => {
      acquirer.behave = () => 'close';
      expect(await authorize()).toEqual({ kind: 'unknown', error: 'connection closed after the request was sent', httpStatus: null });
      expectAuthorizationReceived(only());
    });

    it.each([500, 502, 504, 501, 409, 303, 202])('on HTTP %i', async (status) => {
      acquirer.behave = () => ({ status, body: { id: 'auth_1', reference: 'att_01HX', status: 'approved', decline_code: null, captured: true } });
      expect(await authorize()).toEqual({ kind: 'unknown', error: `HTTP ${status}`, httpStatus: status });
      expectAuthorizationReceived(only());
    });

    it('when the acquirer never answers: the call returns at the deadline', async () => {
      acquirer.behave = () => 'hang';
      const started = performance.now();
      expect(await authorize()).toEqual({ kind: 'unknown', error: `timeout after ${TIMEOUT_MS} ms`, httpStatus: null });
      const elapsed = performance.now() - started;
      expect(elapsed).toBeGreaterThanOrEqual(TIMEOUT_MS - 5);
      expect(elapsed).toBeLessThan(TIMEOUT_MS + 1000);
      expectAuthorizationReceived(only());
    });

    it('when the answer comes after the deadline', async () => {
      acquirer.behave = () => ({ after: TIMEOUT_MS * 3, then: 'protocol' });
      expect(await authorize()).toEqual({ kind: 'unknown', error: `timeout after ${TIMEOUT_MS} ms`, httpStatus: null });
      expectAuthorizationReceived(only());
    });

    it.each([
      ['not JSON', 'approved!'],
      ['a JSON array', '[]'],
      ['missing the status', { id: 'auth_1', reference: 'att_01HX', captured: true }],
      ['an approval without its id', { reference: 'att_01HX', status: 'approved', captured: true }],
      ['an approval without captured', { id: 'auth_1', reference: 'att_01HX', status: 'approved' }],
      ['a decline without its code', { id: 'auth_1', reference: 'att_01HX', status: 'declined', decline_code: null }],
      ['another reference', { id: 'auth_1', reference: 'att_OTHER', status: 'approved', decline_code: null, captured: true }],
      ['an unheard-of status', { id: 'auth_1', reference: 'att_01HX', status: 'pending' }],
    ])('on a 201 whose body is %s', async (_, body) => {
      acquirer.behave = () => ({ status: 201, body });
      expect(await authorize()).toEqual({ kind: 'unknown', error: 'HTTP 201 with a malformed answer', httpStatus: 201 });
      expectAuthorizationReceived(only());
    });
  });

  describe('error: the acquirer refused the request itself', () => {
    it.each([400, 422, 404, 405])('on HTTP %i', async (status) => {
      acquirer.behave = () => ({ status, body: { error: 'invalid_request' } });
      expect(await authorize()).toEqual({ kind: 'error', error: `HTTP ${status}`, httpStatus: status });
      expectAuthorizationReceived(only());
    });
  });

  describe('answered', () => {
    it('approves, with what the acquirer received', async () => {
      expect(await authorize()).toEqual({ kind: 'approved', acquirerReference: 'auth_1', captured: true, httpStatus: 201 });
      expectAuthorizationReceived(only());
    });

    it('declines hard', async () => {
      expect(await authorize(adapter(), authorization('att_01HX', '4000000000000002'))).toEqual({
        kind: 'declined',
        acquirerReference: 'auth_1',
        declineCode: 'card_declined',
        soft: false,
        httpStatus: 201,
      });
    });

    it('declines soft with issuer_unavailable', async () => {
      expect(await authorize(adapter(), authorization('att_01HX', '4000000000000101'))).toMatchObject({
        kind: 'declined',
        declineCode: 'issuer_unavailable',
        soft: true,
      });
    });
  });

  describe('the connection pool', () => {
    it('carries two calls over one kept-alive connection', async () => {
      const sut = adapter();
      await authorize(sut, authorization('att_1'));
      await authorize(sut, authorization('att_2'));
      expect(acquirer.received.map((call) => call.connection)).toEqual([1, 1]);
    });

    it('sends again, with the same Idempotency-Key on a fresh connection, what a stale kept-alive connection lost', async () => {
      // The second call reuses the first one's connection, which the acquirer then drops as if it
      // had closed it while idle: that says nothing, and the protocol makes a repeat harmless.
      acquirer.behave = (_, index) => (index === 1 ? 'reset' : 'protocol');
      const sut = adapter();
      await authorize(sut, authorization('att_1'));
      expect(await authorize(sut, authorization('att_2'))).toMatchObject({ kind: 'approved', acquirerReference: 'auth_2' });
      expect(acquirer.received.map((call) => [call.connection, call.headers['idempotency-key']])).toEqual([
        [1, 'att_1'],
        [1, 'att_2'],
        [2, 'att_2'],
      ]);
    });

    it('says unknown when a fresh connection is reset too', async () => {
      acquirer.behave = (_, index) => (index === 0 ? 'protocol' : 'reset');
      const sut = adapter();
      await authorize(sut, authorization('att_1'));
      expect(await authorize(sut, authorization('att_2'))).toMatchObject({ kind: 'unknown', error: 'connection reset after the request was sent' });
      expect(acquirer.received.map((call) => call.connection)).toEqual([1, 1, 2]);
    });

    it('closes its connections on close()', async () => {
      const sut = adapter();
      await authorize(sut);
      await sut.close();
      await waitFor(() => acquirer.openConnections() === 0, 'the acquirer to see the connection closed');
    });
  });

  describe('lookUp', () => {
    it('finds the authorisation by reference, with GET and no Idempotency-Key', async () => {
      const sut = adapter();
      await authorize(sut);
      expect(await sut.lookUp('att_01HX')).toEqual({ kind: 'approved', acquirerReference: 'auth_1', captured: true, httpStatus: 200 });
      const lookup = acquirer.received[1]!;
      expect(lookup).toMatchObject({ method: 'GET', path: '/authorizations?reference=att_01HX', body: '' });
      expect(lookup.headers).toMatchObject({ authorization: `Bearer ${API_KEY}` });
      expect(lookup.headers['idempotency-key']).toBeUndefined();
    });

    it('says not found on a 404', async () => {
      expect(await adapter().lookUp('att_never')).toEqual({ kind: 'not_found' });
    });

    it.each([503, 401, 500])('says unknown on HTTP %i, never not found', async (status) => {
      acquirer.behave = () => ({ status });
      const result = await adapter().lookUp('att_01HX');
      results.push(result);
      expect(result).toEqual({ kind: 'unknown', error: `HTTP ${status}`, httpStatus: status });
    });

    it('says unknown when the connection is refused', async () => {
      expect(await adapter({ baseUrl: await refusingAcquirerUrl() }).lookUp('att_01HX')).toMatchObject({ kind: 'unknown', httpStatus: null });
    });
  });

  describe('reverse, capture, void, refund', () => {
    it('reverses by reference, keyed `<reference>/reversal`', async () => {
      const sut = adapter();
      await authorize(sut);
      expect(await sut.reverse('att_01HX')).toEqual({ kind: 'reversed', reversed: true });
      expect(acquirer.received[1]).toMatchObject({ method: 'POST', path: '/authorizations/reversals' });
      expect(acquirer.received[1]!.headers['idempotency-key']).toBe('att_01HX/reversal');
      expect(JSON.parse(acquirer.received[1]!.body)).toEqual({ reference: 'att_01HX' });
    });

    it('captures, voids and refunds at the authorisation, each keyed by the gateway', async () => {
      const sut = adapter();
      expect(await sut.capture('auth_7', 1000, 'pay_1/capture')).toMatchObject({ kind: 'succeeded', httpStatus: 201 });
      expect(await sut.void('auth_7', 'pay_1/void')).toMatchObject({ kind: 'succeeded' });
      expect(await sut.refund('auth_7', 400, 're_1')).toMatchObject({ kind: 'succeeded' });
      expect(acquirer.received.map((call) => [call.method, call.path, call.headers['idempotency-key'], JSON.parse(call.body)])).toEqual([
        ['POST', '/authorizations/auth_7/captures', 'pay_1/capture', { amount: 1000 }],
        ['POST', '/authorizations/auth_7/voids', 'pay_1/void', {}],
        ['POST', '/authorizations/auth_7/refunds', 're_1', { amount: 400, reference: 're_1' }],
      ]);
    });

    it('reports a failed operation as the acquirer said it', async () => {
      acquirer.behave = () => ({ status: 201, body: { id: 'cap_1', status: 'failed' } });
      expect(await adapter().capture('auth_7', 1000, 'pay_1/capture')).toEqual({ kind: 'failed', acquirerReference: 'cap_1', httpStatus: 201 });
    });

    it.each([
      [503, 'not_processed'],
      [502, 'unknown'],
      [422, 'error'],
    ])('classifies HTTP %i on a refund as %s', async (status, kind) => {
      acquirer.behave = () => ({ status });
      expect(await adapter().refund('auth_7', 400, 're_1')).toEqual({ kind, error: `HTTP ${status}`, httpStatus: status });
    });
  });

  // Last, over every result above, failures included (Jest runs a file's tests in order).
  it('never quotes the card number, the CVV or the API key in a result', () => {
    const text = JSON.stringify(results);
    expect(results.length).toBeGreaterThan(40);
    expect(text).not.toContain(CARD_NUMBER);
    // As a number of its own: a port in an error message may hold the same digits.
    expect(text).not.toMatch(new RegExp(`(?<!\\d)${CVV}(?!\\d)`));
    expect(text).not.toContain(API_KEY);
  });
});
