import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { Payment } from './payment.entity.js';
import { toEntity } from './payments.repository.js';
import { Refund } from './refund.entity.js';

/**
 * The background workers' queues: rows due for the reconciler, authorisations due for expiry.
 * Each claim takes rows with SKIP LOCKED, so that every instance works and each row goes to one.
 */
@Injectable()
export class PaymentQueuesRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /**
   * Claims up to `limit` payments whose unsettled bank outcome is due for another question,
   * and pushes their next check back, so that each is asked about by one instance at a time.
   */
  async claimDuePayments(limit: number, delayMs: (attempt: number) => number): Promise<Payment[]> {
    return this.claimDue(Payment, 'payments', limit, delayMs);
  }

  async claimDueRefunds(limit: number, delayMs: (attempt: number) => number): Promise<Refund[]> {
    return this.claimDue(Refund, 'refunds', limit, delayMs);
  }

  private async claimDue<T extends Payment | Refund>(
    entity: new () => T,
    table: string,
    limit: number,
    delayMs: (attempt: number) => number,
  ): Promise<T[]> {
    return this.dataSource.transaction(async (manager) => {
      const due = (await manager.query(
        `SELECT id, check_attempts FROM ${table}
          WHERE next_check_at <= now()
          ORDER BY next_check_at
          LIMIT $1
            FOR UPDATE SKIP LOCKED`,
        [limit],
      )) as { id: string; check_attempts: number }[];
      const claimed: T[] = [];
      for (const { id, check_attempts } of due) {
        const { records } = await manager.queryRunner!.query(
          `UPDATE ${table}
              SET check_attempts = check_attempts + 1,
                  next_check_at = now() + make_interval(secs => $2::double precision / 1000)
            WHERE id = $1
          RETURNING *`,
          [id, delayMs(check_attempts + 1)],
          true,
        );
        claimed.push(toEntity(manager, entity, (records as Record<string, unknown>[])[0]!));
      }
      return claimed;
    });
  }

  /** Claims authorised payments created before `cutoff` for expiry, skipping those another instance holds. */
  async claimExpired(cutoff: Date, limit: number, recheckAfterMs: number): Promise<Payment[]> {
    return this.dataSource.transaction(async (manager) => {
      const { records } = await manager.queryRunner!.query(
        `UPDATE payments p
            SET bank_operation = 'expire',
                next_check_at = now() + make_interval(secs => $3::double precision / 1000),
                check_attempts = 0
          WHERE p.id IN (
            SELECT id FROM payments
             WHERE status = 'authorized' AND bank_operation IS NULL AND created_at < $1
             ORDER BY created_at
             LIMIT $2
               FOR UPDATE SKIP LOCKED)
        RETURNING p.*`,
        [cutoff, limit, recheckAfterMs],
        true,
      );
      return (records as Record<string, unknown>[]).map((row) => toEntity(manager, Payment, row));
    });
  }
}
