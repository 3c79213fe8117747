import { cardNumberProblem, detectBrand, normalizeCardNumber, type CardBrand } from '../payments/rules/card.js';
import { isActiveCurrency } from '../payments/rules/currency.js';
import { isObject, type Parsed } from './control.js';

/*
 * The bodies of the acquirer protocol's POSTs (API.md, "The acquirer protocol"), checked the
 * way a bank would: a refusal names the field and never quotes a card number or CVV.
 */

export interface AuthorizationRequest {
  reference: string;
  amount: number;
  currency: string;
  capture: boolean;
  /** The number is used to decide, then dropped: records keep last4 and brand only. */
  card: { number: string; brand: CardBrand; last4: string };
}

const REFERENCE = /^[\x21-\x7e]{1,255}$/;
const MAX_AMOUNT = 99_999_999;

const refuse = (param: string, message: string): Parsed<never> => ({ ok: false, param, message });

export function parseAuthorization(body: unknown): Parsed<AuthorizationRequest> {
  if (!isObject(body)) return refuse('body', 'the body must be a JSON object');
  const { reference, amount, currency, capture, card } = body;
  if (typeof reference !== 'string' || !REFERENCE.test(reference)) return refuse('reference', 'reference must be 1 to 255 visible ASCII characters');
  if (!isAmount(amount)) return refuse('amount', `amount must be an integer from 1 to ${MAX_AMOUNT}`);
  if (typeof currency !== 'string' || !isActiveCurrency(currency)) return refuse('currency', 'currency must be an active ISO 4217 code in upper case');
  if (typeof capture !== 'boolean') return refuse('capture', 'capture must be true or false');
  if (!isObject(card)) return refuse('card', 'card must be an object');
  const number = typeof card.number === 'string' ? card.number : '';
  const numberProblem = cardNumberProblem(number);
  if (numberProblem) return refuse('card.number', numberProblem);
  if (!Number.isSafeInteger(card.expiry_month) || (card.expiry_month as number) < 1 || (card.expiry_month as number) > 12) {
    return refuse('card.expiry_month', 'card.expiry_month must be an integer from 1 to 12');
  }
  if (!Number.isSafeInteger(card.expiry_year) || (card.expiry_year as number) < 2000 || (card.expiry_year as number) > 2100) {
    return refuse('card.expiry_year', 'card.expiry_year must be a four-digit year');
  }
  if (typeof card.cvv !== 'string' || !/^\d{3,4}$/.test(card.cvv)) return refuse('card.cvv', 'card.cvv must be 3 or 4 digits');
  if (card.holder_name !== undefined && card.holder_name !== null && typeof card.holder_name !== 'string') {
    return refuse('card.holder_name', 'card.holder_name must be a string or null');
  }
  const digits = normalizeCardNumber(number)!;
  return {
    ok: true,
    value: { reference, amount, currency, capture, card: { number: digits, brand: detectBrand(digits), last4: digits.slice(-4) } },
  };
}

export function parseCapture(body: unknown): Parsed<{ amount: number }> {
  if (!isObject(body)) return refuse('body', 'the body must be a JSON object');
  if (!isAmount(body.amount)) return refuse('amount', `amount must be an integer from 1 to ${MAX_AMOUNT}`);
  return { ok: true, value: { amount: body.amount } };
}

export function parseRefund(body: unknown): Parsed<{ amount: number; reference: string }> {
  const capture = parseCapture(body);
  if (!capture.ok) return capture;
  const { reference } = body as Record<string, unknown>;
  if (typeof reference !== 'string' || !REFERENCE.test(reference)) return refuse('reference', 'reference must be 1 to 255 visible ASCII characters');
  return { ok: true, value: { amount: capture.value.amount, reference } };
}

export function parseReversal(body: unknown): Parsed<{ reference: string }> {
  if (!isObject(body)) return refuse('body', 'the body must be a JSON object');
  const { reference } = body;
  if (typeof reference !== 'string' || !REFERENCE.test(reference)) return refuse('reference', 'reference must be 1 to 255 visible ASCII characters');
  return { ok: true, value: { reference } };
}

function isAmount(value: unknown): value is number {
  return Number.isSafeInteger(value) && (value as number) >= 1 && (value as number) <= MAX_AMOUNT;
}
