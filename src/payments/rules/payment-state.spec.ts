import {
  ARCHIVABLE_STATUSES,
  PAYMENT_STATUSES,
  allowedFrom,
  canApply,
  canArchive,
  eventTypeFor,
  historyStatusFor,
  operationTookEffect,
  reconcileDelayMs,
  refundableAmount,
  refusalMessage,
  statusAfter,
  statusAfterRefunds,
  type BankOperation,
  type HistoryStatus,
  type PaymentAction,
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

/** The contract's allowed transitions, written out once more, independently of the code. */
const ALLOWED: Record<PaymentAction, readonly PaymentStatus[]> = {
  capture: ['authorized'],
  void: ['authorized'],
  expire: ['authorized'],
  refund: ['captured', 'partially_refunded'],
};
const ACTIONS = Object.keys(ALLOWED) as PaymentAction[];

describe(canApply.name, () => {
  const table = ACTIONS.flatMap((action) =>
    PAYMENT_STATUSES.map((status) => [action, status, ALLOWED[action].includes(status)] as const),
  );

  it('the table covers every action × every status', () => {
    expect([...ACTIONS].sort()).toEqual(['capture', 'expire', 'refund', 'void']);
    expect(table).toHaveLength(4 * PAYMENT_STATUSES.length);
  });

  it.each(table)('%s from %s → %s', (action, status, allowed) => {
    expect(canApply(action, status)).toBe(allowed);
  });
});

describe(allowedFrom.name, () => {
  it.each(ACTIONS)('%s is allowed from exactly the statuses canApply accepts', (action) => {
    expect([...allowedFrom(action)].sort()).toEqual([...ALLOWED[action]].sort());
    expect(PAYMENT_STATUSES.filter((status) => canApply(action, status)).sort()).toEqual([...ALLOWED[action]].sort());
  });

  it('only ever names known statuses', () => {
    for (const action of ACTIONS) {
      for (const status of allowedFrom(action)) expect(PAYMENT_STATUSES).toContain(status);
    }
  });
});

describe(refusalMessage.name, () => {
  it.each<[PaymentAction, PaymentStatus, string]>([
    ['capture', 'declined', 'A payment that is declined cannot be captured'],
    ['void', 'captured', 'A payment that is captured cannot be voided'],
    ['expire', 'voided', 'A payment that is voided cannot be expired'],
    ['refund', 'authorized', 'A payment that is authorized cannot be refunded'],
    ['refund', 'refunded', 'A payment that is refunded cannot be refunded'],
  ])('%s from %s: "%s"', (action, status, message) => {
    expect(refusalMessage(action, status)).toBe(message);
  });

  it.each(ACTIONS.flatMap((action) => PAYMENT_STATUSES.map((status) => [action, status] as const)))(
    '%s from %s names the status',
    (action, status) => {
      expect(refusalMessage(action, status)).toContain(status);
    },
  );
});

describe(statusAfter.name, () => {
  it.each<[BankOperation, PaymentStatus, HistoryStatus]>([
    ['capture', 'captured', 'active'],
    ['void', 'voided', 'finished'],
    ['expire', 'voided', 'expired'],
  ])('%s → %s / %s', (operation, status, historyStatus) => {
    expect(statusAfter(operation)).toEqual({ status, historyStatus });
  });

  it('capture and void agree with historyStatusFor', () => {
    expect(statusAfter('capture').historyStatus).toBe(historyStatusFor(statusAfter('capture').status));
    expect(statusAfter('void').historyStatus).toBe(historyStatusFor(statusAfter('void').status));
  });
});

describe(operationTookEffect.name, () => {
  it.each<['capture' | 'void', PaymentStatus, BankOperation | null, boolean]>([
    ['capture', 'authorized', 'capture', true],
    ['capture', 'captured', null, true],
    ['capture', 'partially_refunded', null, true],
    ['capture', 'refunded', null, true],
    ['capture', 'authorized', null, false],
    ['capture', 'authorized', 'void', false],
    ['capture', 'voided', null, false],
    ['void', 'authorized', 'void', true],
    ['void', 'voided', null, true],
    ['void', 'authorized', null, false],
    ['void', 'authorized', 'capture', false],
    ['void', 'captured', null, false],
  ])('%s on a payment %s with %s in progress: %s', (operation, status, bankOperation, expected) => {
    expect(operationTookEffect(operation, { status, bankOperation })).toBe(expected);
  });
});

describe(refundableAmount.name, () => {
  it.each([
    [{ amountCaptured: 1000, amountRefunded: 0, amountRefundPending: 0 }, 1000],
    [{ amountCaptured: 1000, amountRefunded: 300, amountRefundPending: 0 }, 700],
    [{ amountCaptured: 1000, amountRefunded: 300, amountRefundPending: 200 }, 500],
    [{ amountCaptured: 1000, amountRefunded: 0, amountRefundPending: 1000 }, 0],
    [{ amountCaptured: 1000, amountRefunded: 1000, amountRefundPending: 0 }, 0],
    [{ amountCaptured: 800, amountRefunded: 0, amountRefundPending: 0 }, 800],
    [{ amountCaptured: 0, amountRefunded: 0, amountRefundPending: 0 }, 0],
  ])('%o → %d', (balance, expected) => {
    expect(refundableAmount(balance)).toBe(expected);
  });
});

describe(statusAfterRefunds.name, () => {
  it.each<[number, number, 'partially_refunded' | 'refunded']>([
    [1000, 1, 'partially_refunded'],
    [1000, 999, 'partially_refunded'],
    [1000, 1000, 'refunded'],
    [1, 1, 'refunded'],
  ])('captured %d, refunded %d → %s', (captured, refunded, expected) => {
    expect(statusAfterRefunds(captured, refunded)).toBe(expected);
  });
});

describe(reconcileDelayMs.name, () => {
  const base = 1000;
  const max = 300_000;

  it('waits the base delay after the first attempt', () => {
    expect(reconcileDelayMs(1, base, max)).toBe(base);
  });

  it('doubles after the second', () => {
    expect(reconcileDelayMs(2, base, max)).toBe(2 * base);
  });

  it.each([
    [3, 4000],
    [4, 8000],
    [5, 16_000],
    [8, 128_000],
  ])('attempt %d → %d ms (exponential)', (attempt, expected) => {
    expect(reconcileDelayMs(attempt, base, max)).toBe(expected);
  });

  it('grows with every attempt until it reaches the cap', () => {
    let previous = 0;
    for (let attempt = 1; reconcileDelayMs(attempt, base, max) < max; attempt++) {
      const delay = reconcileDelayMs(attempt, base, max);
      expect(delay).toBe(previous === 0 ? base : 2 * previous);
      previous = delay;
    }
  });

  it.each([10, 20, 100, 1000, 10_000])('is capped at the maximum (attempt %d)', (attempt) => {
    expect(reconcileDelayMs(attempt, base, max)).toBe(max);
  });

  it('is capped even when the base is above the maximum', () => {
    expect(reconcileDelayMs(1, 5000, 3000)).toBe(3000);
  });

  it('treats attempt 0 like the first', () => {
    expect(reconcileDelayMs(0, base, max)).toBe(base);
  });
});
