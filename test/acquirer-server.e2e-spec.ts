import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ACQUIRER_KEY, spawnAcquirer, startAcquirer, type AcquirerProcess } from './support/acquirer-servers.js';
import { CARDS } from './support/fixtures.js';
import { call, kill } from './support/processes.js';
import { waitFor } from './support/wait-for.js';

/*
 * The acquirer server (`npm run acquirer`) as the gateway meets it: a separate process on
 * loopback, driven over HTTP. Its /_records say what really moved.
 */

let sequence = 0;
const newReference = () => `att_e2e_${process.pid}_${++sequence}`;

const authorizationBody = (reference: string, number: string = CARDS.visa, overrides: Record<string, unknown> = {}) => ({
  reference,
  amount: 1000,
  currency: 'EUR',
  capture: false,
  card: { number, expiry_month: 12, expiry_year: 2030, cvv: '123', holder_name: 'Ada Lovelace' },
  ...overrides,
});

const CARD_NUMBERS = Object.values(CARDS);

function expectNoCardNumber(text: string) {
  for (const number of CARD_NUMBERS) expect(text).not.toContain(number);
  expect(text).not.toContain('"cvv"');
}

describe('The acquirer server', () => {
  let acquirer: AcquirerProcess;
  beforeAll(async () => {
    acquirer = await startAcquirer({ ACQUIRER_TIMEOUT_CARD_DELAY_MS: '2000' });
  });
  afterEach(async () => {
    await acquirer.setMode('normal');
  });
  afterAll(async () => {
    await kill(acquirer);
  });

  /** `idempotencyKey` null: the header is left out. */
  const post = (route: string, body: unknown, idempotencyKey: string | null = newReference(), key: string = ACQUIRER_KEY) =>
    call(acquirer.base, 'POST', route, key, body, idempotencyKey === null ? {} : { 'Idempotency-Key': idempotencyKey });
  const authorize = (reference: string, number?: string, overrides?: Record<string, unknown>) =>
    post('/authorizations', authorizationBody(reference, number, overrides), reference);
  const lookUp = (reference: string) => call(acquirer.base, 'GET', `/authorizations?reference=${reference}`, ACQUIRER_KEY);
  const recordOf = async (reference: string) => (await acquirer.records()).authorizations.filter((record) => record.reference === reference);

  describe('authorisations', () => {
    it('approves a good card, and records brand and last4 only', async () => {
      const reference = newReference();
      const answer = await authorize(reference);
      expect(answer.status).toBe(201);
      expect(answer.body).toEqual({
        id: expect.stringMatching(/^auth_/),
        reference,
        status: 'approved',
        decline_code: null,
        captured: false,
        reversed: false,
      });
      expect(await recordOf(reference)).toEqual([
        expect.objectContaining({ id: answer.body.id, amount: 1000, currency: 'EUR', card: { brand: 'visa', last4: '4242' }, status: 'approved' }),
      ]);
    });

    it('captures at once when asked', async () => {
      const answer = await authorize(newReference(), CARDS.mastercard, { capture: true });
      expect(answer.body).toMatchObject({ status: 'approved', captured: true });
    });

    it.each([
      [CARDS.declined, 'card_declined'],
      [CARDS.insufficientFunds, 'insufficient_funds'],
      [CARDS.expiredCard, 'expired_card'],
      [CARDS.incorrectCvc, 'incorrect_cvc'],
      [CARDS.softDecline, 'issuer_unavailable'],
    ])('declines %s with %s', async (number, declineCode) => {
      const reference = newReference();
      const answer = await authorize(reference, number);
      expect(answer.status).toBe(201);
      expect(answer.body).toMatchObject({ status: 'declined', decline_code: declineCode, captured: false });
      expect(await recordOf(reference)).toEqual([expect.objectContaining({ status: 'declined', decline_code: declineCode })]);
    });

    it('answers the processing-error card 500 and records nothing', async () => {
      const reference = newReference();
      expect((await authorize(reference, CARDS.processingError)).status).toBe(500);
      expect(await recordOf(reference)).toEqual([]);
      expect((await lookUp(reference)).status).toBe(404);
    });

    it('answers the timeout card late, but records it first so that a lookup finds it', async () => {
      const reference = newReference();
      const started = Date.now();
      const late = authorize(reference, CARDS.timeout);
      const found = await waitFor(async () => {
        const answer = await lookUp(reference);
        return answer.status === 200 && answer;
      }, 'the timeout card\'s authorisation to be found');
      expect(found.body).toMatchObject({ reference, status: 'approved' });
      expect(Date.now() - started).toBeLessThan(2000);
      expect((await late).body).toEqual(found.body);
      expect(Date.now() - started).toBeGreaterThanOrEqual(2000);
    });

    it('looks up an authorisation: 200 with the same object, 404 when the reference never arrived', async () => {
      const reference = newReference();
      const created = await authorize(reference);
      const found = await lookUp(reference);
      expect(found.status).toBe(200);
      expect(found.body).toEqual(created.body);
      expect((await lookUp('att_never_sent')).status).toBe(404);
      expect((await call(acquirer.base, 'GET', '/authorizations', ACQUIRER_KEY)).status).toBe(400);
    });

    it('refuses a bad body with 422 naming the field, without quoting the card number', async () => {
      const badCard = await post('/authorizations', authorizationBody(newReference(), '4242424242424241'));
      expect(badCard.status).toBe(422);
      expect(badCard.body).toMatchObject({ error: { param: 'card.number' } });
      expect(badCard.text).not.toContain('4242424242424241');
      const badAmount = await post('/authorizations', authorizationBody(newReference(), CARDS.visa, { amount: -1 }));
      expect(badAmount).toMatchObject({ status: 422, body: { error: { param: 'amount' } } });
    });
  });

  describe('captures, voids and refunds', () => {
    const operation = async (reference: string, capture = false) => (await authorize(reference, CARDS.visa, { capture })).body.id as string;

    it('captures up to the authorised amount (422 above), once', async () => {
      const id = await operation(newReference());
      expect(await post(`/authorizations/${id}/captures`, { amount: 1001 })).toMatchObject({ status: 422, body: { error: { param: 'amount' } } });
      const captured = await post(`/authorizations/${id}/captures`, { amount: 800 });
      expect(captured).toMatchObject({ status: 201, body: { id: expect.stringMatching(/^cap_/), status: 'succeeded' } });
      expect((await post(`/authorizations/${id}/captures`, { amount: 100 })).body).toMatchObject({ status: 'failed' });
      const records = await acquirer.records();
      expect(records.captures.filter((capture) => capture.authorization_id === id).map((capture) => capture.status)).toEqual(['succeeded', 'failed']);
      expect(records.authorizations.find((record) => record.id === id)!.captured_amount).toBe(800);
    });

    it('voids an uncaptured authorisation', async () => {
      const id = await operation(newReference());
      expect(await post(`/authorizations/${id}/voids`, {})).toMatchObject({ status: 201, body: { status: 'succeeded' } });
      expect((await post(`/authorizations/${id}/captures`, { amount: 1000 })).body).toMatchObject({ status: 'failed' });
    });

    it('refunds up to what was captured (422 above)', async () => {
      const id = await operation(newReference(), true);
      expect((await post(`/authorizations/${id}/refunds`, { amount: 600, reference: 're_a' })).body).toMatchObject({ status: 'succeeded' });
      expect(await post(`/authorizations/${id}/refunds`, { amount: 401, reference: 're_b' })).toMatchObject({ status: 422 });
      expect((await post(`/authorizations/${id}/refunds`, { amount: 400, reference: 're_c' })).body).toMatchObject({ status: 'succeeded' });
    });

    it.each(['captures', 'voids', 'refunds'])('answers 404 to %s of an unknown authorisation', async (kind) => {
      expect((await post(`/authorizations/auth_unknown/${kind}`, { amount: 1, reference: 're_x' })).status).toBe(404);
    });
  });

  describe('idempotency', () => {
    it('answers the same key with the first answer, byte for byte, and records one authorisation', async () => {
      const reference = newReference();
      const first = await authorize(reference);
      // Another body under the same key: still the first answer, nothing new moves.
      const again = await post('/authorizations', authorizationBody(reference, CARDS.declined), reference);
      expect(again.status).toBe(first.status);
      expect(again.text).toBe(first.text);
      expect(again.headers.get('idempotent-replayed')).toBe('true');
      expect(await recordOf(reference)).toHaveLength(1);
    });

    it('records one authorisation for the same key sent ten times at once', async () => {
      const reference = newReference();
      const answers = await Promise.all(Array.from({ length: 10 }, () => authorize(reference)));
      expect(new Set(answers.map((answer) => answer.text)).size).toBe(1);
      expect(await recordOf(reference)).toHaveLength(1);
    });

    it('captures once for the same capture key sent twice', async () => {
      const id = (await authorize(newReference())).body.id as string;
      const first = await post(`/authorizations/${id}/captures`, { amount: 1000 }, 'pay_x/capture');
      const again = await post(`/authorizations/${id}/captures`, { amount: 1000 }, 'pay_x/capture');
      expect(again.text).toBe(first.text);
      expect((await acquirer.records()).captures.filter((capture) => capture.authorization_id === id)).toHaveLength(1);
    });

    it('keeps an authorisation key apart from the same key on a reversal', async () => {
      const reference = newReference();
      await authorize(reference);
      const reversal = await post('/authorizations/reversals', { reference }, reference);
      expect(reversal).toMatchObject({ status: 200, body: { reference, reversed: true } });
    });

    it('judges a refused request again: a 422 is not kept for its key', async () => {
      const reference = newReference();
      expect((await post('/authorizations', authorizationBody(reference, CARDS.visa, { amount: 0 }), reference)).status).toBe(422);
      expect((await authorize(reference)).status).toBe(201);
    });
  });

  describe('reversals', () => {
    it('reverses an approved authorisation, and refuses its reference from then on', async () => {
      const reference = newReference();
      await authorize(reference);
      expect(await post('/authorizations/reversals', { reference })).toMatchObject({ status: 200, body: { reference, reversed: true } });
      const retried = await post('/authorizations', authorizationBody(reference), `${reference}-again`);
      expect(retried).toMatchObject({ status: 201, body: { status: 'declined', decline_code: 'reference_reversed' } });
      expect(await recordOf(reference)).toEqual([expect.objectContaining({ status: 'approved', reversed: true })]);
    });

    it('refuses a reference that arrives after its reversal', async () => {
      const reference = newReference();
      expect((await post('/authorizations/reversals', { reference })).body).toEqual({ reference, reversed: false });
      expect((await authorize(reference)).body).toMatchObject({ status: 'declined', decline_code: 'reference_reversed' });
      expect((await lookUp(reference)).body).toMatchObject({ status: 'declined' });
      expect((await acquirer.records()).reversals).toContainEqual(expect.objectContaining({ reference, reversed: false }));
    });
  });

  describe('refusals', () => {
    it('answers 401 to a wrong or missing key, and records nothing', async () => {
      const reference = newReference();
      expect((await post('/authorizations', authorizationBody(reference), reference, 'wrong_key')).status).toBe(401);
      expect((await call(acquirer.base, 'GET', '/_records', undefined)).status).toBe(401);
      expect((await call(acquirer.base, 'POST', '/_control', 'wrong_key', { mode: 'down' })).status).toBe(401);
      expect(await recordOf(reference)).toEqual([]);
    });

    it('answers 400 to a POST without an Idempotency-Key', async () => {
      const reference = newReference();
      expect(await post('/authorizations', authorizationBody(reference), null)).toMatchObject({
        status: 400,
        body: { error: { param: 'Idempotency-Key' } },
      });
      expect(await recordOf(reference)).toEqual([]);
    });

    it('answers 400 to a body that is not JSON', async () => {
      const response = await fetch(`${acquirer.base}/authorizations`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${ACQUIRER_KEY}`, 'Content-Type': 'application/json', 'Idempotency-Key': newReference() },
        body: '{"reference": ',
      });
      expect(response.status).toBe(400);
      expect(await response.json()).toMatchObject({ error: { type: 'invalid_json' } });
    });
  });

  describe('the switches', () => {
    it('down: every call 503, nothing recorded', async () => {
      await acquirer.setMode('down');
      const reference = newReference();
      expect((await authorize(reference)).status).toBe(503);
      expect((await lookUp(reference)).status).toBe(503);
      await acquirer.setMode('normal');
      expect(await recordOf(reference)).toEqual([]);
    });

    it('failing: every call 500, nothing recorded, so a later lookup says 404', async () => {
      await acquirer.setMode('failing');
      const reference = newReference();
      expect((await authorize(reference)).status).toBe(500);
      await acquirer.setMode('normal');
      expect((await lookUp(reference)).status).toBe(404);
    });

    it('reset: the request is processed, then the connection reset; a lookup finds the authorisation', async () => {
      await acquirer.setMode('reset');
      const reference = newReference();
      await expect(authorize(reference)).rejects.toThrow();
      await acquirer.setMode('normal');
      expect((await lookUp(reference)).body).toMatchObject({ reference, status: 'approved' });
      // The retry with the same key is answered from the record: still one authorisation.
      expect((await authorize(reference)).body).toMatchObject({ status: 'approved' });
      expect(await recordOf(reference)).toHaveLength(1);
    });

    it('slow: answers after latency_ms, and a gateway that gave up finds the authorisation', async () => {
      await acquirer.setMode('slow', 1500);
      const reference = newReference();
      const started = Date.now();
      await expect(
        fetch(`${acquirer.base}/authorizations`, {
          method: 'POST',
          headers: { Authorization: `Bearer ${ACQUIRER_KEY}`, 'Content-Type': 'application/json', 'Idempotency-Key': reference },
          body: JSON.stringify(authorizationBody(reference)),
          signal: AbortSignal.timeout(300),
        }),
      ).rejects.toThrow();
      const slowLookUp = await lookUp(reference);
      expect(Date.now() - started).toBeGreaterThanOrEqual(1500);
      expect(slowLookUp.body).toMatchObject({ reference, status: 'approved' });
    });

    it('soft_decline: every new authorisation declined issuer_unavailable', async () => {
      await acquirer.setMode('soft_decline');
      const answer = await authorize(newReference(), CARDS.visa);
      expect(answer).toMatchObject({ status: 201, body: { status: 'declined', decline_code: 'issuer_unavailable' } });
    });

    it('GET /_control shows the mode and counters; a bad change is 422', async () => {
      await acquirer.setMode('down', 250);
      await authorize(newReference());
      const control = await call<{ mode: string; latency_ms: number; counters: Record<string, unknown> }>(acquirer.base, 'GET', '/_control', ACQUIRER_KEY);
      expect(control.body).toMatchObject({
        mode: 'down',
        latency_ms: 250,
        counters: { unavailable: expect.any(Number), records: { authorizations: expect.any(Number) } },
      });
      expect(control.body.counters.unavailable).toBeGreaterThanOrEqual(1);
      expect(await call(acquirer.base, 'POST', '/_control', ACQUIRER_KEY, { mode: 'sideways' })).toMatchObject({
        status: 422,
        body: { error: { param: 'mode' } },
      });
    });
  });

  it('never shows a card number or CVV: not in answers, records or its output', async () => {
    for (const number of CARD_NUMBERS) await authorize(newReference(), number).catch(() => undefined);
    const records = await call(acquirer.base, 'GET', '/_records', ACQUIRER_KEY);
    expectNoCardNumber(records.text);
    expectNoCardNumber(acquirer.output());
    expect(records.text).not.toContain('Ada Lovelace');
  });
});

describe('The acquirer server, at start', () => {
  it('takes its mode from ACQUIRER_MODE', async () => {
    const acquirer = await startAcquirer({ ACQUIRER_MODE: 'down' });
    try {
      expect((await call(acquirer.base, 'POST', '/authorizations', ACQUIRER_KEY, authorizationBody('att_1'), { 'Idempotency-Key': 'att_1' })).status).toBe(503);
    } finally {
      await kill(acquirer);
    }
  });

  it('requires ACQUIRER_API_KEY in production', async () => {
    const acquirer = await spawnAcquirer({ NODE_ENV: 'production', ACQUIRER_API_KEY: undefined });
    expect(await acquirer.exited).toBe(1);
    expect(acquirer.output()).toContain('ACQUIRER_API_KEY is required when NODE_ENV=production');
  });

  it('with ACQUIRER_DATA_FILE, keeps its records and answers across a restart, without card numbers', async () => {
    const dataFile = path.join(mkdtempSync(path.join(tmpdir(), 'acquirer-data-')), 'acquirer.jsonl');
    const env = { ACQUIRER_DATA_FILE: dataFile, ACQUIRER_API_KEY: 'acq_restart_key' };
    const body = authorizationBody('att_kept', CARDS.visa, { capture: true });
    const headers = { 'Idempotency-Key': 'att_kept' };
    let acquirer = await startAcquirer(env);
    let first;
    try {
      first = await call(acquirer.base, 'POST', '/authorizations', 'acq_restart_key', body, headers);
      expect(first.status).toBe(201);
      await call(acquirer.base, 'POST', '/authorizations/reversals', 'acq_restart_key', { reference: 'att_gone' }, { 'Idempotency-Key': 'r1' });
    } finally {
      await kill(acquirer);
    }
    acquirer = await startAcquirer(env);
    try {
      const again = await call(acquirer.base, 'POST', '/authorizations', 'acq_restart_key', body, headers);
      expect(again.text).toBe(first.text);
      const late = await call(acquirer.base, 'POST', '/authorizations', 'acq_restart_key', authorizationBody('att_gone'), { 'Idempotency-Key': 'att_gone' });
      expect(late.body).toMatchObject({ status: 'declined', decline_code: 'reference_reversed' });
      const records = await call<{ authorizations: unknown[] }>(acquirer.base, 'GET', '/_records', 'acq_restart_key');
      expect(records.body.authorizations).toEqual([
        expect.objectContaining({ reference: 'att_kept', captured_amount: 1000 }),
        expect.objectContaining({ reference: 'att_gone', status: 'declined' }),
      ]);
    } finally {
      await kill(acquirer);
    }
    expectNoCardNumber(readFileSync(dataFile, 'utf8'));
  });
});
