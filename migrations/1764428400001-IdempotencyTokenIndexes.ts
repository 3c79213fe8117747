import type { MigrationInterface, QueryRunner } from 'typeorm';

const INDEXES = [
  ['payments_idempotency_token_idx', 'payments'],
  ['refunds_idempotency_token_idx', 'refunds'],
] as const;

/**
 * At most one payment, and one refund, per Idempotency-Key token, whatever the timing: should a
 * request outlive its key's lease, its insert fails rather than charging or refunding twice.
 *
 * Built CONCURRENTLY, so outside a transaction: a plain CREATE INDEX would block every write to
 * `payments` (every payment) while it scans the table. A run that failed half-way can leave an
 * invalid index behind, which the next run drops first.
 */
export class IdempotencyTokenIndexes1764428400001 implements MigrationInterface {
  name = 'IdempotencyTokenIndexes1764428400001';
  transaction = false;

  async up(queryRunner: QueryRunner): Promise<void> {
    for (const [index, table] of INDEXES) {
      await queryRunner.query(`DROP INDEX CONCURRENTLY IF EXISTS ${index}`);
      await queryRunner.query(
        `CREATE UNIQUE INDEX CONCURRENTLY ${index} ON ${table} (idempotency_token) WHERE idempotency_token IS NOT NULL`,
      );
    }
  }

  // `migration:revert` runs it in a transaction whatever `transaction` says; dropping is quick.
  async down(queryRunner: QueryRunner): Promise<void> {
    for (const [index] of INDEXES) await queryRunner.query(`DROP INDEX IF EXISTS ${index}`);
  }
}
