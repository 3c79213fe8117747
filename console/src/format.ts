import { CURRENCY_EXPONENTS } from '../../src/payments/rules/currency.js';

/** The digits of a currency's minor unit (2 for EUR, 0 for JPY, 3 for KWD): the gateway's own table. */
export function exponentOf(currency: string): number {
  return CURRENCY_EXPONENTS[currency.toUpperCase()] ?? 2;
}

/** An amount in minor units, formatted in its currency: 1050 EUR → €10.50, 500 JPY → ¥500. */
export function formatMoney(minor: number, currency: string): string {
  const exponent = exponentOf(currency);
  try {
    return new Intl.NumberFormat(undefined, {
      style: 'currency',
      currency: currency.toUpperCase(),
      minimumFractionDigits: exponent,
      maximumFractionDigits: exponent,
    }).format(minor / 10 ** exponent);
  } catch {
    return `${(minor / 10 ** exponent).toFixed(exponent)} ${currency}`;
  }
}

/** What a person typed in major units ("3", "3.5", "3.50") → minor units, or undefined if it is not an amount. */
export function parseMajor(text: string, currency: string): number | undefined {
  const exponent = exponentOf(currency);
  const trimmed = text.trim().replace(',', '.');
  const pattern = exponent === 0 ? /^\d+$/ : new RegExp(`^\\d+(\\.\\d{1,${exponent}})?$`);
  if (!pattern.test(trimmed)) return undefined;
  const [whole, fraction = ''] = trimmed.split('.');
  return Number(whole) * 10 ** exponent + Number(fraction.padEnd(exponent, '0') || '0');
}

/** Minor units → the major-unit text an amount input starts with. */
export function toMajorText(minor: number, currency: string): string {
  const exponent = exponentOf(currency);
  return (minor / 10 ** exponent).toFixed(exponent);
}

export function formatDateTime(iso: string | null | undefined): string {
  if (!iso) return '—';
  return new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' }).format(new Date(iso));
}

export function formatPercent(ratio: number | null | undefined): string {
  if (ratio === null || ratio === undefined || Number.isNaN(ratio)) return '—';
  return new Intl.NumberFormat(undefined, { style: 'percent', maximumFractionDigits: 1 }).format(ratio);
}

/** A `yyyy-mm-dd` date input → the ISO instant of that day's start (UTC), or undefined. */
export function dayStart(date: string): string | undefined {
  return /^\d{4}-\d{2}-\d{2}$/.test(date) ? `${date}T00:00:00.000Z` : undefined;
}

export function humanize(text: string): string {
  return text.replace(/_/g, ' ');
}
