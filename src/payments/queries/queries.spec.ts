import { entityColumns, listedColumns } from '../../database/entity-columns.js';
import { Payment } from '../payment.entity.js';
import { Refund } from '../refund.entity.js';
import { attemptRow } from '../../acquirers/attempts.repository.js';
import {
  ATTEMPT_RECORD,
  EVENT_RECORD,
  PAYMENT_COLUMNS,
  PAYMENT_RECORD,
  SETTLEMENT_RECORD,
  eventRow,
  paymentFromRow,
  paymentRow,
  recordColumns,
  settlementRow,
} from './payments.queries.js';
import { REFUND_COLUMNS, refundFromRow } from './refunds.queries.js';

/** A payment with every property set, to a value no other property has. */
const payment: Payment = {
  id: 'pay_01JQ0000000000000000000001',
  merchantId: 'mer_01JQ0000000000000000000001',
  livemode: false,
  status: 'partially_refunded',
  historyStatus: 'active',
  amount: 1001,
  currency: 'EUR',
  captureRequested: true,
  amountCaptured: 1002,
  amountRefunded: 1003,
  amountRefundPending: 1004,
  bankOperation: 'capture',
  bankOperationAmount: 1005,
  nextCheckAt: new Date('2026-01-01T00:00:01.001Z'),
  checkAttempts: 1006,
  cardBrand: 'visa',
  cardBin: '424242',
  cardLast4: '4243',
  cardExpiryMonth: 11,
  cardExpiryYear: 2031,
  cardHolderName: 'holder',
  cardFingerprint: 'fingerprint',
  bankReference: 'bank-reference',
  acquirerId: 'acq_01JQ0000000000000000000001',
  declineCode: 'decline-code',
  failureReason: 'failure-reason',
  reference: 'reference',
  description: 'description',
  metadata: { key: 'value' },
  idempotencyToken: 'idempotency-token',
  operationIdempotencyToken: 'operation-idempotency-token',
  createdAt: new Date('2026-01-01T00:00:02.002Z'),
  updatedAt: new Date('2026-01-01T00:00:03.003Z'),
};

const refund: Refund = {
  id: 're_01JQ0000000000000000000001',
  paymentId: payment.id,
  merchantId: payment.merchantId,
  amount: 2001,
  status: 'failed',
  reason: 'reason',
  failureReason: 'failure-reason',
  nextCheckAt: new Date('2026-01-01T00:00:04.004Z'),
  checkAttempts: 2002,
  idempotencyToken: 'idempotency-token',
  createdAt: new Date('2026-01-01T00:00:05.005Z'),
  updatedAt: new Date('2026-01-01T00:00:06.006Z'),
};

describe('payments.queries', () => {
  const columns = entityColumns(Payment);

  it('lists every column of the entity in PAYMENT_COLUMNS, and nothing else', () => {
    expect(listedColumns(PAYMENT_COLUMNS).sort()).toEqual([...columns.values()].sort());
  });

  it('has a property for every column in the test payment', () => {
    expect(Object.keys(payment).sort()).toEqual([...columns.keys()].sort());
  });

  it('maps every property to its column and back (paymentRow, paymentFromRow)', () => {
    const row = paymentRow(payment);
    expect(Object.keys(row).sort()).toEqual([...columns.values()].sort());
    for (const [property, column] of columns) expect(row[column]).toBe(payment[property as keyof Payment]);
    expect(paymentFromRow(row)).toEqual(payment);
  });

  it('gives the settlement statement the columns settling sets, by their names', () => {
    const row = settlementRow(payment);
    for (const [column, value] of Object.entries(row)) {
      const property = [...columns].find(([, name]) => name === column)?.[0];
      expect(property && payment[property as keyof Payment]).toBe(value);
    }
  });

  it('reads back, with jsonb_to_record, every column the rows give (the *_RECORD lists)', () => {
    expect(recordColumns(PAYMENT_RECORD)).toEqual(Object.keys(paymentRow(payment)));
    expect(recordColumns(SETTLEMENT_RECORD)).toEqual(Object.keys(settlementRow(payment)));
    const event = { id: 'evt_1', paymentId: payment.id, merchantId: payment.merchantId, type: 'payment.created', data: {}, createdAt: payment.createdAt };
    expect(recordColumns(EVENT_RECORD)).toEqual(Object.keys(eventRow(event as Parameters<typeof eventRow>[0])));
    const attempt = {
      id: 'att_1',
      paymentId: payment.id,
      acquirerId: 'acq_1',
      outcome: 'approved',
      declineCode: null,
      error: null,
      httpStatus: null,
      durationMs: 1,
      acquirerReference: null,
    } as const;
    expect(recordColumns(ATTEMPT_RECORD)).toEqual(Object.keys(attemptRow(attempt)));
  });
});

describe('refunds.queries', () => {
  const columns = entityColumns(Refund);

  it('lists every column of the entity in REFUND_COLUMNS, and nothing else', () => {
    expect(listedColumns(REFUND_COLUMNS).sort()).toEqual([...columns.values()].sort());
  });

  it('reads every column of a row into its property (refundFromRow)', () => {
    expect(Object.keys(refund).sort()).toEqual([...columns.keys()].sort());
    const row = Object.fromEntries([...columns].map(([property, column]) => [column, refund[property as keyof Refund]]));
    expect(refundFromRow(row)).toEqual(refund);
  });
});
