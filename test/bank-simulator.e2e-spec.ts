import { DataSource } from 'typeorm';
import type { AuthorizationRequest, BankOutcome } from '../src/bank/bank-gateway.js';
import { CARDS } from './support/fixtures.js';
import { waitFor } from './support/wait-for.js';
import { BankSimulator } from '../src/bank/simulator/bank-simulator.js';
import { SimulatorLedger } from '../src/bank/simulator/simulator-ledger.js';
import { newId } from '../src/common/ids.js';
import { loadConfig } from '../src/config/config.js';
import { dataSourceOptions } from '../src/database/data-source-options.js';

const BANK_REFERENCE = /^bnk_[0-9A-HJKMNP-TV-Z]{26}$/;
const approved = { kind: 'approved', bankReference: expect.stringMatching(BANK_REFERENCE) };


const request = (cardNumber: string, paymentId = newId('payment')): AuthorizationRequest => ({
  paymentId,
  merchantId: 'mer_01JDQ3R6X8M2K9V4T7B5N1C0AZ',
  brand: 'visa',
  livemode: true,
  amount: 1000,
  currency: 'EUR',
  capture: true,
  card: { number: cardNumber, cvv: '123', expiryMonth: 12, expiryYear: 2099, holderName: null },
});

/** The simulated bank's ledger, as the bank itself would see it. */
async function ledgerRows(dataSource: DataSource, key: string) {
  return (await dataSource.query(`SELECT key, kind, amount, outcome FROM bank_simulator.operations WHERE key = $1`, [
    key,
  ])) as { key: string; kind: string; amount: number | null; outcome: BankOutcome }[];
}

describe('BankSimulator (on PostgreSQL)', () => {
  let dataSource: DataSource;
  /** The simulator's own ledger, in its own schema and pool, created as the app creates it. */
  let ledger: SimulatorLedger;

  beforeAll(async () => {
    dataSource = await new DataSource(dataSourceOptions(process.env.DATABASE_URL!, 2)).initialize();
    ledger = new SimulatorLedger(loadConfig({ DATABASE_URL: process.env.DATABASE_URL }));
    await ledger.onModuleInit();
  });

  afterAll(async () => {
    await ledger?.onApplicationShutdown();
    await dataSource?.destroy();
  });

  describe('deterministic mode (the default)', () => {
    let bank: BankSimulator;
    beforeAll(() => {
      bank = new BankSimulator(loadConfig({}), ledger);
    });

    it.each([CARDS.visa, CARDS.mastercard, CARDS.amex, '4111111111111111'])(
      'approves %s with a bnk_ reference',
      async (card) => {
        expect(await bank.authorize(request(card))).toEqual(approved);
      },
    );

    it.each([
      [CARDS.declined, 'card_declined'],
      [CARDS.insufficientFunds, 'insufficient_funds'],
      [CARDS.expiredCard, 'expired_card'],
      [CARDS.incorrectCvc, 'incorrect_cvc'],
      [CARDS.softDecline, 'issuer_unavailable'],
    ])('declines %s with a reference and the code %s', async (card, declineCode) => {
      expect(await bank.authorize(request(card))).toEqual({
        kind: 'declined',
        bankReference: expect.stringMatching(BANK_REFERENCE),
        declineCode,
      });
    });

    it('fails the processing-error test card', async () => {
      expect(await bank.authorize(request(CARDS.processingError))).toEqual({
        kind: 'failed',
        failureReason: 'processing_error',
      });
    });

    it('gives each payment its own bank reference', async () => {
      const first = await bank.authorize(request(CARDS.visa));
      const second = await bank.authorize(request(CARDS.visa));
      expect(first).toEqual(approved);
      expect(second).toEqual(approved);
      expect(second).not.toEqual(first);
    });

    it('answers the same payment id with the same outcome and bank reference', async () => {
      const paymentId = newId('payment');
      const first = await bank.authorize(request(CARDS.visa, paymentId));
      const second = await bank.authorize(request(CARDS.visa, paymentId));
      expect(first).toEqual(approved);
      expect(second).toEqual(first);
    });

    it('keeps the first outcome for a payment id even when asked with another card', async () => {
      const paymentId = newId('payment');
      const first = await bank.authorize(request(CARDS.declined, paymentId));
      const second = await bank.authorize(request(CARDS.visa, paymentId));
      expect(first).toEqual({
        kind: 'declined',
        bankReference: expect.stringMatching(BANK_REFERENCE),
        declineCode: 'card_declined',
      });
      expect(second).toEqual(first);
    });

    it('keeps an approval for a payment id even when asked again with a decline card', async () => {
      const paymentId = newId('payment');
      const first = await bank.authorize(request(CARDS.visa, paymentId));
      const second = await bank.authorize(request(CARDS.processingError, paymentId));
      expect(first).toEqual(approved);
      expect(second).toEqual(first);
    });

    it('a second simulator on the same database (another instance, or after a restart) gives the same answer', async () => {
      const paymentId = newId('payment');
      const first = await bank.authorize(request(CARDS.insufficientFunds, paymentId));
      const other = new BankSimulator(loadConfig({}), ledger);
      expect(await other.authorize(request(CARDS.visa, paymentId))).toEqual(first);
      expect(await other.getStatus({ kind: 'authorization', paymentId })).toEqual(first);
    });

    it('records one ledger row per authorisation, keyed by the payment id', async () => {
      const paymentId = newId('payment');
      const outcome = await bank.authorize(request(CARDS.visa, paymentId));
      expect(await ledgerRows(dataSource, paymentId)).toEqual([
        { key: paymentId, kind: 'authorization', amount: 1000, outcome },
      ]);
    });

    it('answers concurrent authorisations of one payment id alike, with exactly one ledger row', async () => {
      const paymentId = newId('payment');
      const cards = [CARDS.visa, CARDS.declined, CARDS.processingError, CARDS.mastercard, CARDS.insufficientFunds];
      const outcomes = await Promise.all(cards.map((card) => bank.authorize(request(card, paymentId))));
      for (const outcome of outcomes) expect(outcome).toEqual(outcomes[0]);
      const rows = await ledgerRows(dataSource, paymentId);
      expect(rows).toHaveLength(1);
      expect(rows[0]!.outcome).toEqual(outcomes[0]);
    });

    it('answers concurrent authorisations of one payment id alike when they all start at once (repeated)', async () => {
      // Several rounds, so that the losing inserts really do race the winning one.
      for (let round = 0; round < 10; round++) {
        const paymentId = newId('payment');
        const outcomes = await Promise.all(Array.from({ length: 5 }, () => bank.authorize(request(CARDS.visa, paymentId))));
        for (const outcome of outcomes) expect(outcome).toEqual(outcomes[0]);
        expect(outcomes[0]).toEqual(approved);
        const [{ count }] = (await dataSource.query(
          `SELECT count(*)::int AS count FROM bank_simulator.operations WHERE key = $1`,
          [paymentId],
        )) as [{ count: number }];
        expect(count).toBe(1);
      }
    });

    it('records many concurrent authorisations (written in groups), each with its own outcome and row', async () => {
      const cards = [CARDS.visa, CARDS.declined, CARDS.processingError, CARDS.insufficientFunds];
      const requests = Array.from({ length: 30 }, (_, i) => ({ ...request(cards[i % cards.length]!), amount: 100 + i }));
      const outcomes = await Promise.all(requests.map((r) => bank.authorize(r)));
      for (const [i, r] of requests.entries()) {
        const expected = [approved, { kind: 'declined', bankReference: expect.stringMatching(BANK_REFERENCE), declineCode: 'card_declined' },
          { kind: 'failed', failureReason: 'processing_error' },
          { kind: 'declined', bankReference: expect.stringMatching(BANK_REFERENCE), declineCode: 'insufficient_funds' }][i % cards.length];
        expect(outcomes[i]).toEqual(expected);
        expect(await ledgerRows(dataSource, r.paymentId)).toEqual([
          { key: r.paymentId, kind: 'authorization', amount: r.amount, outcome: outcomes[i] },
        ]);
        expect(await bank.getStatus({ kind: 'authorization', paymentId: r.paymentId })).toEqual(outcomes[i]);
      }
    });

    describe.each(['capture', 'void', 'refund'] as const)('%s', (kind) => {
      const call = (id: string) => {
        switch (kind) {
          case 'capture':
            return bank.capture({ paymentId: id, amount: 700 });
          case 'void':
            return bank.void({ paymentId: id });
          case 'refund':
            return bank.refund({ refundId: id, amount: 300 });
        }
      };
      const newKey = () => (kind === 'refund' ? newId('refund') : newId('payment'));
      const ref = (id: string) =>
        kind === 'refund' ? ({ kind, refundId: id } as const) : ({ kind, paymentId: id } as const);

      it('is approved with a bnk_ reference', async () => {
        expect(await call(newKey())).toEqual(approved);
      });

      it('repeats the same answer for the same key', async () => {
        const id = newKey();
        const first = await call(id);
        const second = await call(id);
        expect(first).toEqual(approved);
        expect(second).toEqual(first);
      });

      it('gives another key its own reference', async () => {
        const first = await call(newKey());
        const second = await call(newKey());
        expect(second).not.toEqual(first);
      });

      it('getStatus reports the recorded outcome, and not_found before', async () => {
        const id = newKey();
        expect(await bank.getStatus(ref(id))).toEqual({ kind: 'not_found' });
        const outcome = await call(id);
        expect(await bank.getStatus(ref(id))).toEqual(outcome);
      });
    });

    it('keeps the authorisation, the capture and the void of one payment apart', async () => {
      const paymentId = newId('payment');
      const authorization = await bank.authorize(request(CARDS.visa, paymentId));
      expect(await bank.getStatus({ kind: 'capture', paymentId })).toEqual({ kind: 'not_found' });
      expect(await bank.getStatus({ kind: 'void', paymentId })).toEqual({ kind: 'not_found' });
      const capture = await bank.capture({ paymentId, amount: 1000 });
      const voided = await bank.void({ paymentId });
      expect(capture).toEqual(approved);
      expect(voided).toEqual(approved);
      expect(new Set([authorization, capture, voided].map((o) => (o as { bankReference: string }).bankReference)).size).toBe(3);
      expect(await bank.getStatus({ kind: 'authorization', paymentId })).toEqual(authorization);
      expect(await bank.getStatus({ kind: 'capture', paymentId })).toEqual(capture);
      expect(await bank.getStatus({ kind: 'void', paymentId })).toEqual(voided);
    });

    describe('getStatus', () => {
      it('is not_found for a key the bank never saw', async () => {
        expect(await bank.getStatus({ kind: 'authorization', paymentId: newId('payment') })).toEqual({
          kind: 'not_found',
        });
      });

      it.each([CARDS.visa, CARDS.declined, CARDS.processingError])(
        'is the recorded outcome after an authorisation (%s)',
        async (card) => {
          const paymentId = newId('payment');
          const outcome = await bank.authorize(request(card, paymentId));
          expect(await bank.getStatus({ kind: 'authorization', paymentId })).toEqual(outcome);
        },
      );

      it('never says processing once the answer was given (answer_at is not rounded into the future)', async () => {
        // Rounded to timestamptz(3), answer_at could lie up to 0.5 ms after the answer: about one
        // status query in fifty, asked at once, said "processing". A few hundred rounds catch it.
        const processing: string[] = [];
        for (let round = 0; round < 300; round++) {
          const paymentId = newId('payment');
          await bank.authorize(request(CARDS.visa, paymentId));
          const status = await bank.getStatus({ kind: 'authorization', paymentId });
          if (status.kind === 'processing') processing.push(paymentId);
        }
        expect(processing).toEqual([]);
      });
    });
  });

  describe('its latency', () => {
    it('answers BANK_SIMULATOR_LATENCY_MS after the question, its recording included, and never before answer_at', async () => {
      const bank = new BankSimulator(loadConfig({ BANK_SIMULATOR_LATENCY_MS: '1500' }), ledger);
      const paymentId = newId('payment');
      const queryRunner = dataSource.createQueryRunner();
      await queryRunner.startTransaction();
      try {
        // The bank's database is slow for a second: its write must not add to its latency.
        await queryRunner.query('LOCK TABLE bank_simulator.operations IN SHARE MODE');
        const asked = Date.now();
        const answer = bank.authorize(request(CARDS.visa, paymentId));
        const sent = Date.now();
        await new Promise((resolve) => setTimeout(resolve, 1000));
        await queryRunner.commitTransaction();
        expect(await answer).toEqual(approved);
        const answered = Date.now();
        const [row] = (await dataSource.query(`SELECT answer_at FROM bank_simulator.operations WHERE key = $1`, [paymentId])) as { answer_at: Date }[];
        expect(row!.answer_at.getTime()).toBeGreaterThanOrEqual(asked + 1500);
        expect(row!.answer_at.getTime()).toBeLessThanOrEqual(sent + 1500);
        expect(answered).toBeGreaterThanOrEqual(row!.answer_at.getTime());
        // 1.5 s, not the second's wait and then 1.5 s.
        expect(answered - asked).toBeLessThan(2200);
      } finally {
        if (queryRunner.isTransactionActive) await queryRunner.rollbackTransaction();
        await queryRunner.release();
      }
    });
  });

  describe('the timeout card', () => {
    it('is processing until its answer time, then approved', async () => {
      const bank = new BankSimulator(loadConfig({ BANK_TIMEOUT_MS: '2000' }), ledger);
      const paymentId = newId('payment');
      const authorization = bank.authorize(request(CARDS.timeout, paymentId));
      try {
        // The ledger row is written first, the answer comes 3 s later.
        const status = await waitFor(async () => {
          const current = await bank.getStatus({ kind: 'authorization', paymentId });
          return current.kind !== 'not_found' && current;
        }, 'the ledger row');
        expect(status).toEqual({ kind: 'processing' });
      } finally {
        const outcome = await authorization;
        expect(outcome).toEqual(approved);
        expect(await bank.getStatus({ kind: 'authorization', paymentId })).toEqual(outcome);
      }
    });
  });

  describe('random mode', () => {
    const realRandom = Math.random;
    afterEach(() => {
      Math.random = realRandom;
    });

    it('approves everything, test cards included, at approval rate 1', async () => {
      const bank = new BankSimulator(
        loadConfig({ BANK_SIMULATOR_MODE: 'random', BANK_SIMULATOR_APPROVAL_RATE: '1' }),
        ledger,
      );
      for (const card of [CARDS.visa, CARDS.declined, CARDS.processingError, CARDS.timeout]) {
        expect(await bank.authorize(request(card))).toEqual(approved);
      }
    });

    it('declines everything at approval rate 0', async () => {
      const bank = new BankSimulator(
        loadConfig({ BANK_SIMULATOR_MODE: 'random', BANK_SIMULATOR_APPROVAL_RATE: '0' }),
        ledger,
      );
      for (const card of [CARDS.visa, CARDS.mastercard]) {
        expect(await bank.authorize(request(card))).toEqual({
          kind: 'declined',
          bankReference: expect.stringMatching(BANK_REFERENCE),
          declineCode: 'card_declined',
        });
      }
    });

    it('a second draw does not change the answer for a payment id already seen', async () => {
      const bank = new BankSimulator(
        loadConfig({ BANK_SIMULATOR_MODE: 'random', BANK_SIMULATOR_APPROVAL_RATE: '0.5' }),
        ledger,
      );
      const draws = [0.1, 0.9];
      Math.random = () => draws.shift() ?? 0.9;
      const paymentId = newId('payment');
      const first = await bank.authorize(request(CARDS.visa, paymentId));
      const second = await bank.authorize(request(CARDS.visa, paymentId));
      expect(first).toEqual(approved);
      expect(second).toEqual(first);
    });
  });
});
