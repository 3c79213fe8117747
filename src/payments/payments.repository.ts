import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import type { Cursor } from '../common/pagination.js';
import { PaymentEvent } from './payment-event.entity.js';
import { Payment } from './payment.entity.js';
import type { HistoryStatus, PaymentStatus } from './rules/payment-state.js';

export interface PaymentFilters {
  merchantId?: string;
  status?: PaymentStatus;
  /** Undefined: everything but archived. */
  historyStatus?: HistoryStatus;
  createdGte?: Date;
  createdLt?: Date;
  reference?: string;
  after?: Cursor;
  limit: number;
}

/** Builds the event row for a change, given the payment as it is after the change. */
export type EventFactory = (payment: Payment) => PaymentEvent;

const ARCHIVE_BATCH = 500;

@Injectable()
export class PaymentsRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** The new payment and its first event, together or not at all. */
  async insert(payment: Payment, event: PaymentEvent): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      await manager.insert(Payment, payment);
      await manager.insert(PaymentEvent, event);
    });
  }

  /**
   * Applies `changes` only while the payment still matches `when`, with its event, in one
   * transaction. Returns the updated payment, or undefined when it did not match (any more).
   */
  async transition(
    id: string,
    when: { statuses: readonly PaymentStatus[]; merchantId?: string; notArchived?: boolean },
    changes: Partial<Payment>,
    event: EventFactory,
  ): Promise<Payment | undefined> {
    return this.dataSource.transaction(async (manager) => {
      const query = manager
        .createQueryBuilder()
        .update(Payment)
        .set(changes)
        .where('id = :id AND status IN (:...statuses)', { id, statuses: when.statuses });
      if (when.merchantId) query.andWhere('merchant_id = :merchantId', { merchantId: when.merchantId });
      if (when.notArchived) query.andWhere(`payment_history_status <> 'archived'`);
      const result = await query.returning('*').execute();
      const row = (result.raw as Record<string, unknown>[])[0];
      if (!row) return undefined;
      const payment = toEntity(manager, row);
      await manager.insert(PaymentEvent, event(payment));
      return payment;
    });
  }

  async findById(id: string, merchantId?: string): Promise<Payment | null> {
    return this.dataSource.getRepository(Payment).findOneBy(merchantId ? { id, merchantId } : { id });
  }

  async list(filters: PaymentFilters): Promise<Payment[]> {
    const query = this.dataSource.getRepository(Payment).createQueryBuilder('p');
    if (filters.merchantId) query.andWhere('p.merchant_id = :merchantId', { merchantId: filters.merchantId });
    if (filters.status) query.andWhere('p.status = :status', { status: filters.status });
    if (filters.historyStatus) {
      query.andWhere('p.payment_history_status = :historyStatus', { historyStatus: filters.historyStatus });
    } else {
      query.andWhere(`p.payment_history_status <> 'archived'`);
    }
    if (filters.createdGte) query.andWhere('p.created_at >= :createdGte', { createdGte: filters.createdGte });
    if (filters.createdLt) query.andWhere('p.created_at < :createdLt', { createdLt: filters.createdLt });
    if (filters.reference !== undefined) query.andWhere('p.reference = :reference', { reference: filters.reference });
    if (filters.after) {
      query.andWhere('(p.created_at, p.id) < (:afterCreatedAt, :afterId)', {
        afterCreatedAt: filters.after.createdAt,
        afterId: filters.after.id,
      });
    }
    return query
      .orderBy('p.created_at', 'DESC')
      .addOrderBy('p.id', 'DESC')
      .limit(filters.limit + 1)
      .getMany();
  }

  /**
   * Archives, batch by batch, the payments created before `createdLt` whose status allows
   * it; each batch and its events commit together. Returns how many were archived.
   */
  async archiveBefore(
    createdLt: Date,
    merchantId: string | undefined,
    archivable: readonly PaymentStatus[],
    now: Date,
    event: EventFactory,
  ): Promise<number> {
    let total = 0;
    for (;;) {
      const archived = await this.dataSource.transaction(async (manager) => {
        // A structured result: a bare query() answers UPDATE … RETURNING with [rows, count].
        const { records } = await manager.queryRunner!.query(
          `WITH batch AS (
             SELECT id FROM payments
              WHERE created_at < $1
                AND payment_history_status <> 'archived'
                AND status = ANY($2)
                AND ($3::text IS NULL OR merchant_id = $3)
              ORDER BY created_at, id
              LIMIT ${ARCHIVE_BATCH}
                FOR UPDATE)
           UPDATE payments p
              SET payment_history_status = 'archived', updated_at = $4
             FROM batch
            WHERE p.id = batch.id
           RETURNING p.*`,
          [createdLt, archivable, merchantId ?? null, now],
          true,
        );
        const payments = (records as Record<string, unknown>[]).map((row) => toEntity(manager, row));
        if (payments.length > 0) await manager.insert(PaymentEvent, payments.map(event));
        return payments.length;
      });
      total += archived;
      if (archived < ARCHIVE_BATCH) return total;
    }
  }
}

/** A raw `RETURNING *` row as the entity (node-postgres already parsed the values). */
function toEntity(manager: EntityManager, row: Record<string, unknown>): Payment {
  const payment = new Payment() as unknown as Record<string, unknown>;
  for (const column of manager.connection.getMetadata(Payment).columns) {
    payment[column.propertyName] = row[column.databaseName];
  }
  return payment as unknown as Payment;
}
