import type { AuthorizationRequest } from '../bank-gateway.js';
import { loadConfig } from '../../config/config.js';
import { BankSimulator } from './bank-simulator.js';

let sequence = 0;
const request = (cardNumber: string, paymentId = `pay_test_${++sequence}`): AuthorizationRequest => ({
  paymentId,
  amount: 1000,
  currency: 'EUR',
  capture: true,
  card: { number: cardNumber, cvv: '123', expiryMonth: 12, expiryYear: 2099, holderName: null },
});

const BANK_REFERENCE = /^bnk_[0-9A-HJKMNP-TV-Z]{26}$/;

describe(BankSimulator.name, () => {
  describe('deterministic mode (the default)', () => {
    const bank = new BankSimulator(loadConfig({}));

    it('approves an ordinary card with a bnk_ reference', async () => {
      const outcome = await bank.authorize(request('4242424242424242'));
      expect(outcome).toEqual({ kind: 'approved', bankReference: expect.stringMatching(BANK_REFERENCE) });
    });

    it('declines a decline test card with a reference and its code', async () => {
      const outcome = await bank.authorize(request('4000000000009995'));
      expect(outcome).toEqual({
        kind: 'declined',
        bankReference: expect.stringMatching(BANK_REFERENCE),
        declineCode: 'insufficient_funds',
      });
    });

    it('fails the processing-error test card', async () => {
      expect(await bank.authorize(request('4000000000000119'))).toEqual({
        kind: 'failed',
        failureReason: 'processing_error',
      });
    });

    it('gives each payment its own bank reference', async () => {
      const first = await bank.authorize(request('4242424242424242'));
      const second = await bank.authorize(request('4242424242424242'));
      const approved = { kind: 'approved', bankReference: expect.stringMatching(BANK_REFERENCE) };
      expect(first).toEqual(approved);
      expect(second).toEqual(approved);
      expect(second).not.toEqual(first);
    });

    it('answers the same payment id with the same outcome', async () => {
      const first = await bank.authorize(request('4242424242424242', 'pay_same'));
      const second = await bank.authorize(request('4242424242424242', 'pay_same'));
      expect(second).toEqual(first);
      expect(first).toEqual({ kind: 'approved', bankReference: expect.stringMatching(BANK_REFERENCE) });
    });

    it('keeps the first outcome for a payment id even when asked with another card', async () => {
      const first = await bank.authorize(request('4000000000000002', 'pay_retry'));
      const second = await bank.authorize(request('4242424242424242', 'pay_retry'));
      expect(first).toMatchObject({ kind: 'declined', declineCode: 'card_declined' });
      expect(second).toEqual(first);
    });

    it('the timeout card answers (approved) only after the bank timeout has passed', async () => {
      const quick = new BankSimulator(loadConfig({ BANK_TIMEOUT_MS: '1' }));
      const started = Date.now();
      const outcome = await quick.authorize(request('4000000000000259'));
      expect(Date.now() - started).toBeGreaterThanOrEqual(990);
      expect(outcome).toEqual({ kind: 'approved', bankReference: expect.stringMatching(BANK_REFERENCE) });
    });
  });

  describe('random mode', () => {
    const realRandom = Math.random;
    afterEach(() => {
      Math.random = realRandom;
    });

    it('approves everything, test cards included, at approval rate 1', async () => {
      const bank = new BankSimulator(loadConfig({ BANK_SIMULATOR_MODE: 'random', BANK_SIMULATOR_APPROVAL_RATE: '1' }));
      for (const card of ['4242424242424242', '4000000000000002', '4000000000000119']) {
        expect(await bank.authorize(request(card))).toEqual({
          kind: 'approved',
          bankReference: expect.stringMatching(BANK_REFERENCE),
        });
      }
    });

    it('declines everything at approval rate 0', async () => {
      const bank = new BankSimulator(loadConfig({ BANK_SIMULATOR_MODE: 'random', BANK_SIMULATOR_APPROVAL_RATE: '0' }));
      expect(await bank.authorize(request('4242424242424242'))).toEqual({
        kind: 'declined',
        bankReference: expect.stringMatching(BANK_REFERENCE),
        declineCode: 'card_declined',
      });
    });

    it('a second draw does not change the answer for a payment id already seen', async () => {
      const bank = new BankSimulator(loadConfig({ BANK_SIMULATOR_MODE: 'random', BANK_SIMULATOR_APPROVAL_RATE: '0.5' }));
      const draws = [0.1, 0.9];
      Math.random = () => draws.shift() ?? 0.9;
      const first = await bank.authorize(request('4242424242424242', 'pay_random_same'));
      const second = await bank.authorize(request('4242424242424242', 'pay_random_same'));
      expect(first).toEqual({ kind: 'approved', bankReference: expect.stringMatching(BANK_REFERENCE) });
      expect(second).toEqual(first);
    });
  });
});
