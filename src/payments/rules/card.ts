import { createHmac } from 'node:crypto';

export const CARD_BRANDS = ['visa', 'mastercard', 'amex', 'discover', 'diners', 'jcb', 'unionpay', 'unknown'] as const;
export type CardBrand = (typeof CARD_BRANDS)[number];

/** Strips the spaces and dashes people type; undefined when anything but digits remains. */
export function normalizeCardNumber(input: string): string | undefined {
  const digits = input.replace(/[ -]/g, '');
  return /^\d+$/.test(digits) ? digits : undefined;
}

export function passesLuhn(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let digit = digits.charCodeAt(digits.length - 1 - i) - 48;
    if (i % 2 === 1) {
      digit *= 2;
      if (digit > 9) digit -= 9;
    }
    sum += digit;
  }
  return sum % 10 === 0;
}

/** Why a card number is refused, or undefined when it is acceptable. */
export function cardNumberProblem(input: string): string | undefined {
  const digits = normalizeCardNumber(input);
  if (digits === undefined) return 'card.number must contain only digits, spaces and dashes';
  if (digits.length < 12 || digits.length > 19) return 'card.number must have 12 to 19 digits';
  if (!passesLuhn(digits)) return 'card.number fails the Luhn check';
  return undefined;
}

const inRange = (digits: string, length: number, low: number, high: number): boolean => {
  const prefix = Number(digits.slice(0, length));
  return prefix >= low && prefix <= high;
};

/** The card network, from the issuer identification number ranges. */
export function detectBrand(digits: string): CardBrand {
  if (digits.startsWith('4')) return 'visa';
  if (inRange(digits, 2, 51, 55) || inRange(digits, 4, 2221, 2720)) return 'mastercard';
  if (inRange(digits, 2, 34, 34) || inRange(digits, 2, 37, 37)) return 'amex';
  if (digits.startsWith('6011') || digits.startsWith('65') || inRange(digits, 3, 644, 649)) return 'discover';
  if (inRange(digits, 4, 3528, 3589)) return 'jcb';
  if (inRange(digits, 3, 300, 305) || digits.startsWith('36') || inRange(digits, 2, 38, 39)) return 'diners';
  if (digits.startsWith('62')) return 'unionpay';
  return 'unknown';
}

/** American Express prints a 4-digit security code, every other network 3. */
export function cvvLength(brand: CardBrand): number {
  return brand === 'amex' ? 4 : 3;
}

/** A card is valid through the last day of its expiry month, judged in UTC. */
export function isExpired(expiryMonth: number, expiryYear: number, now: Date): boolean {
  const currentMonths = now.getUTCFullYear() * 12 + now.getUTCMonth();
  const expiryMonths = expiryYear * 12 + (expiryMonth - 1);
  return expiryMonths < currentMonths;
}

/** Same card, same fingerprint, per deployment secret; the number cannot be recovered from it. */
export function cardFingerprint(secret: string, digits: string): string {
  return `fp_${createHmac('sha256', secret).update(digits).digest('base64url').slice(0, 24)}`;
}
