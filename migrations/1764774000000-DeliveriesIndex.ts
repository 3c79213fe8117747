import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * GET /v1/webhook-deliveries lists every endpoint's deliveries newest first: this index walks
 * them in that order, so a page costs the same however many there are (a merchant's list
 * walks webhook_deliveries_endpoint_idx per endpoint instead).
 *
 * Built CONCURRENTLY, so outside a transaction: deliveries are written by every payment's
 * events, and a plain CREATE INDEX would block those writes while it scans the table. A run
 * that failed half-way can leave an invalid index behind, which the next run drops first.
 */
export class DeliveriesIndex1764774000000 implements MigrationInterface {
  name = 'DeliveriesIndex1764774000000';
  transaction = false;

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX CONCURRENTLY IF EXISTS webhook_deliveries_created_idx`);
    await queryRunner.query(`CREATE INDEX CONCURRENTLY webhook_deliveries_created_idx ON webhook_deliveries (created_at DESC, id DESC)`);
  }

  // `migration:revert` runs it in a transaction whatever `transaction` says; dropping is quick.
  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX IF EXISTS webhook_deliveries_created_idx`);
  }
}
