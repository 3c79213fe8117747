import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The payment list's indexes from before modes, each replaced by LiveModeIndexes' with livemode after merchant_id. */
const INDEXES = [
  ['payments_merchant_created_idx', '(merchant_id, created_at DESC, id DESC)'],
  ['payments_merchant_status_created_idx', '(merchant_id, status, created_at DESC, id DESC)'],
  ['payments_merchant_history_created_idx', '(merchant_id, payment_history_status, created_at DESC, id DESC)'],
  ['payments_merchant_reference_idx', '(merchant_id, reference) WHERE reference IS NOT NULL'],
] as const;

/**
 * Drops the indexes LiveModeIndexes kept for the release before it: since then every list
 * walks an index that leads with (merchant_id, livemode), one walk per mode for both modes,
 * and the summary names both modes (`livemode IN (true, false)`) to do the same. Each index
 * costs every insert into `payments`, and every update that changes an indexed column (a
 * settlement changes `status`), an entry of its own: four fewer per row written.
 *
 * Dropped CONCURRENTLY, so outside a transaction: a plain DROP INDEX waits for, then blocks,
 * every read and write of `payments`.
 */
export class ModelessIndexesOut1765036800000 implements MigrationInterface {
  name = 'ModelessIndexesOut1765036800000';
  transaction = false;

  async up(queryRunner: QueryRunner): Promise<void> {
    for (const [index] of INDEXES) await queryRunner.query(`DROP INDEX CONCURRENTLY IF EXISTS ${index}`);
  }

  // `migration:revert` runs it in a transaction whatever `transaction` says: a plain build.
  async down(queryRunner: QueryRunner): Promise<void> {
    for (const [index, definition] of INDEXES) await queryRunner.query(`CREATE INDEX IF NOT EXISTS ${index} ON payments ${definition}`);
  }
}
