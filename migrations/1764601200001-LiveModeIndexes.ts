import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The payment list's indexes, each after (merchant_id, livemode): what a merchant key's list filters on. */
const INDEXES = [
  ['payments_merchant_mode_created_idx', '(merchant_id, livemode, created_at DESC, id DESC)'],
  ['payments_merchant_mode_status_created_idx', '(merchant_id, livemode, status, created_at DESC, id DESC)'],
  ['payments_merchant_mode_history_created_idx', '(merchant_id, livemode, payment_history_status, created_at DESC, id DESC)'],
  ['payments_merchant_mode_reference_idx', '(merchant_id, livemode, reference) WHERE reference IS NOT NULL'],
] as const;

/**
 * A key sees one mode, so its list walks (merchant_id, livemode, …) in order: a page costs
 * the same whatever the other mode holds. An admin list of one merchant in both modes merges
 * one walk per mode (see PaymentsRepository.list).
 *
 * The indexes without livemode (payments_merchant_*_idx) stay for this release: the previous
 * one, still serving during a rolling update, lists with them. The next release drops them.
 *
 * Built CONCURRENTLY, so outside a transaction: a plain CREATE INDEX would block every write to
 * `payments` while it scans the table. A run that failed half-way can leave an invalid index
 * behind, which the next run drops first.
 */
export class LiveModeIndexes1764601200001 implements MigrationInterface {
  name = 'LiveModeIndexes1764601200001';
  transaction = false;

  async up(queryRunner: QueryRunner): Promise<void> {
    for (const [index, definition] of INDEXES) {
      await queryRunner.query(`DROP INDEX CONCURRENTLY IF EXISTS ${index}`);
      await queryRunner.query(`CREATE INDEX CONCURRENTLY ${index} ON payments ${definition}`);
    }
  }

  // `migration:revert` runs it in a transaction whatever `transaction` says; dropping is quick.
  async down(queryRunner: QueryRunner): Promise<void> {
    for (const [index] of INDEXES) await queryRunner.query(`DROP INDEX IF EXISTS ${index}`);
  }
}
