import type { Payment } from './payment.entity.js';

export const CSV_COLUMNS = [
  'id',
  'created_at',
  'merchant_id',
  'livemode',
  'status',
  'history_status',
  'amount',
  'currency',
  'card_brand',
  'card_last4',
  'reference',
  'acquirer_id',
] as const;

/** One CSV row of a payment: the last four digits are all of the card that leaves. */
export function csvRow(payment: Payment): string {
  return csvLine([
    payment.id,
    payment.createdAt.toISOString(),
    payment.merchantId,
    String(payment.livemode),
    payment.status,
    payment.historyStatus,
    String(payment.amount),
    payment.currency,
    payment.cardBrand,
    payment.cardLast4,
    payment.reference ?? '',
    payment.acquirerId ?? '',
  ]);
}

/**
 * RFC 4180 quoting, and a leading `'` before what a spreadsheet would run as a formula
 * (a merchant's reference is the merchant's text).
 */
export function csvLine(fields: readonly string[]): string {
  return fields.map(csvField).join(',') + '\r\n';
}

function csvField(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}
