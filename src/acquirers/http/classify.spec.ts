import { classifyAuthorization, classifyLookup, classifyOperation, classifyReversal, statusOutcome, type Exchange } from './classify.js';

const APPROVED = JSON.stringify({ id: 'auth_1', reference: 'att_1', status: 'approved', decline_code: null, captured: false });
const answered = (status: number, body: string | null = APPROVED, error?: string): Exchange => ({ kind: 'answered', status, body, error });

describe(statusOutcome.name, () => {
  it.each([
    [[200, 201], 'answered'],
    [[401, 403, 408, 429, 503], 'not_processed'],
    [[400, 404, 405, 410, 413, 415, 422], 'error'],
    [[202, 204, 301, 302, 303, 307, 308, 409, 500, 501, 502, 504, 599, 100], 'unknown'],
  ])('%j → %s', (statuses, outcome) => {
    for (const status of statuses) expect([status, statusOutcome(status)]).toEqual([status, outcome]);
  });
});

describe(classifyAuthorization.name, () => {
  it('is not processed when the request never left whole, whatever the error', () => {
    const exchange: Exchange = { kind: 'failed', sent: false, error: 'timeout after 2000 ms before connecting' };
    expect(classifyAuthorization(exchange, 'att_1')).toEqual({ kind: 'not_processed', error: 'timeout after 2000 ms before connecting', httpStatus: null });
  });

  it('is unknown when the request was sent and no answer came', () => {
    const exchange: Exchange = { kind: 'failed', sent: true, error: 'timeout after 2000 ms' };
    expect(classifyAuthorization(exchange, 'att_1')).toEqual({ kind: 'unknown', error: 'timeout after 2000 ms', httpStatus: null });
  });

  it('is unknown on a 201 whose body could not be read whole', () => {
    expect(classifyAuthorization(answered(201, null, 'connection lost while reading the answer'), 'att_1')).toEqual({
      kind: 'unknown',
      error: 'HTTP 201 with an unreadable answer (connection lost while reading the answer)',
      httpStatus: 201,
    });
  });

  it('goes by the status when a refusal could not be read whole', () => {
    expect(classifyAuthorization(answered(503, null), 'att_1')).toMatchObject({ kind: 'not_processed', httpStatus: 503 });
  });

  it('takes an approval on 200 as on 201', () => {
    expect(classifyAuthorization(answered(200), 'att_1')).toEqual({ kind: 'approved', acquirerReference: 'auth_1', captured: false, httpStatus: 200 });
  });

  it('takes a decline without an id, soft by its code', () => {
    const body = JSON.stringify({ reference: 'att_1', status: 'declined', decline_code: 'try_again_later' });
    expect(classifyAuthorization(answered(201, body), 'att_1')).toEqual({
      kind: 'declined',
      acquirerReference: null,
      declineCode: 'try_again_later',
      soft: true,
      httpStatus: 201,
    });
  });

  it('refuses an answer about another reference', () => {
    expect(classifyAuthorization(answered(201), 'att_2')).toEqual({ kind: 'unknown', error: 'HTTP 201 with a malformed answer', httpStatus: 201 });
  });
});

describe(classifyLookup.name, () => {
  it('says not found only on a 404', () => {
    expect(classifyLookup(answered(404, ''), 'att_1')).toEqual({ kind: 'not_found' });
  });

  it.each([201, 401, 403, 429, 503, 400, 500])('says unknown on %i', (status) => {
    expect(classifyLookup(answered(status), 'att_1')).toEqual({ kind: 'unknown', error: `HTTP ${status}`, httpStatus: status });
  });

  it('says unknown when the request could not even be sent', () => {
    expect(classifyLookup({ kind: 'failed', sent: false, error: 'connect ECONNREFUSED 127.0.0.1:1' }, 'att_1')).toMatchObject({ kind: 'unknown' });
  });

  it('says unknown on an unreadable 200', () => {
    expect(classifyLookup(answered(200, null), 'att_1')).toMatchObject({ kind: 'unknown', httpStatus: 200 });
  });
});

describe(classifyOperation.name, () => {
  it.each([
    [{ id: 'cap_1', status: 'succeeded' }, 'succeeded'],
    [{ id: 'cap_1', status: 'failed' }, 'failed'],
    [{ status: 'succeeded' }, 'unknown'],
    [{ id: 'cap_1', status: 'approved' }, 'unknown'],
  ])('%j → %s', (body, kind) => {
    expect(classifyOperation(answered(201, JSON.stringify(body))).kind).toBe(kind);
  });
});

describe(classifyReversal.name, () => {
  it.each([
    [{ reference: 'att_1', reversed: false }, { kind: 'reversed', reversed: false }],
    [{ reference: 'att_1' }, { kind: 'unknown', error: 'HTTP 200 with a malformed answer', httpStatus: 200 }],
    [{ reference: 'att_2', reversed: true }, { kind: 'unknown', error: 'HTTP 200 with a malformed answer', httpStatus: 200 }],
  ])('%j → %j', (body, result) => {
    expect(classifyReversal(answered(200, JSON.stringify(body)), 'att_1')).toEqual(result);
  });
});
