import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * An in-flight Idempotency-Key may be reclaimed once its lease has expired: the request that
 * held it died, or could not store its response. What that request created carries the key's
 * token (a capture or void: the payment it claimed), so that the reclaim answers it instead
 * of running the operation again; the unique
 * indexes make a second payment or refund for one token impossible whatever the timing.
 * Keys in flight before this migration have no lease: they are never reclaimed.
 */
export class IdempotencyLease1764428400000 implements MigrationInterface {
  name = 'IdempotencyLease1764428400000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE idempotency_keys ADD COLUMN token text, ADD COLUMN lease_expires_at timestamptz(3)`);
    await queryRunner.query(`ALTER TABLE payments ADD COLUMN idempotency_token text, ADD COLUMN operation_idempotency_token text`);
    await queryRunner.query(
      `CREATE UNIQUE INDEX payments_idempotency_token_idx ON payments (idempotency_token) WHERE idempotency_token IS NOT NULL`,
    );
    await queryRunner.query(`ALTER TABLE refunds ADD COLUMN idempotency_token text`);
    await queryRunner.query(
      `CREATE UNIQUE INDEX refunds_idempotency_token_idx ON refunds (idempotency_token) WHERE idempotency_token IS NOT NULL`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX refunds_idempotency_token_idx`);
    await queryRunner.query(`ALTER TABLE refunds DROP COLUMN idempotency_token`);
    await queryRunner.query(`DROP INDEX payments_idempotency_token_idx`);
    await queryRunner.query(`ALTER TABLE payments DROP COLUMN operation_idempotency_token, DROP COLUMN idempotency_token`);
    await queryRunner.query(`ALTER TABLE idempotency_keys DROP COLUMN lease_expires_at, DROP COLUMN token`);
  }
}
