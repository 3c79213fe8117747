import {
  ARCHIVABLE_STATUSES,
  PAYMENT_STATUSES,
  canArchive,
  eventTypeFor,
  historyStatusFor,
  type PaymentStatus,
} from './payment-state.js';

describe(historyStatusFor.name, () => {
  const table: Record<PaymentStatus, 'active' | 'finished'> = {
    pending: 'active',
    authorized: 'active',
    captured: 'active',
    partially_refunded: 'active',
    declined: 'finished',
    failed: 'finished',
    voided: 'finished',
    refunded: 'finished',
  };

  it('the table covers every status', () => {
    expect(Object.keys(table).sort()).toEqual([...PAYMENT_STATUSES].sort());
  });

  it.each(Object.entries(table) as [PaymentStatus, string][])('%s is %s', (status, expected) => {
    expect(historyStatusFor(status)).toBe(expected);
  });
});

describe(canArchive.name, () => {
  it.each<PaymentStatus>(['pending', 'authorized'])('%s cannot be archived', (status) => {
    expect(canArchive(status)).toBe(false);
  });

  it.each<PaymentStatus>(['captured', 'declined', 'failed', 'voided', 'partially_refunded', 'refunded'])(
    '%s can be archived',
    (status) => {
      expect(canArchive(status)).toBe(true);
    },
  );
});

describe('ARCHIVABLE_STATUSES', () => {
  it('is every status but pending and authorized, in declaration order', () => {
    expect(ARCHIVABLE_STATUSES).toEqual(['captured', 'declined', 'failed', 'voided', 'partially_refunded', 'refunded']);
  });
});

describe(eventTypeFor.name, () => {
  it.each<[PaymentStatus, string]>([
    ['pending', 'payment.pending'],
    ['authorized', 'payment.authorized'],
    ['captured', 'payment.captured'],
    ['declined', 'payment.declined'],
    ['failed', 'payment.failed'],
    ['voided', 'payment.voided'],
    ['partially_refunded', 'refund.succeeded'],
    ['refunded', 'refund.succeeded'],
  ])('%s → %s', (status, type) => {
    expect(eventTypeFor(status)).toBe(type);
  });
});
