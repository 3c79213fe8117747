import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * An in-flight Idempotency-Key may be reclaimed once its lease has expired: the request that
 * held it died, or could not store its response. What that request created carries the key's
 * token (a capture or void: on the payment it claimed), so that the reclaim answers it instead
 * of running the operation again. Keys in flight before this migration have no lease: they are
 * never reclaimed. The unique indexes on the tokens come in the next migration.
 */
export class IdempotencyLease1764428400000 implements MigrationInterface {
  name = 'IdempotencyLease1764428400000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE idempotency_keys ADD COLUMN token text, ADD COLUMN lease_expires_at timestamptz(3)`);
    await queryRunner.query(`ALTER TABLE payments ADD COLUMN idempotency_token text, ADD COLUMN operation_idempotency_token text`);
    await queryRunner.query(`ALTER TABLE refunds ADD COLUMN idempotency_token text`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE refunds DROP COLUMN idempotency_token`);
    await queryRunner.query(`ALTER TABLE payments DROP COLUMN operation_idempotency_token, DROP COLUMN idempotency_token`);
    await queryRunner.query(`ALTER TABLE idempotency_keys DROP COLUMN lease_expires_at, DROP COLUMN token`);
  }
}
