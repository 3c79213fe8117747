import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Every instance caches the API keys it has checked; a revoked or deleted key is announced on
 * the `api_key_revoked` channel (its hash as the payload) when the change commits, by
 * whichever path it is made, so that every instance forgets it at once.
 */
export class ApiKeyRevocations1764338400000 implements MigrationInterface {
  name = 'ApiKeyRevocations1764338400000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE FUNCTION api_keys_notify_revoked() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        PERFORM pg_notify('api_key_revoked', OLD.key_hash);
        RETURN NULL;
      END
      $$`);
    await queryRunner.query(`
      CREATE TRIGGER api_keys_notify_revoked AFTER UPDATE ON api_keys
        FOR EACH ROW WHEN (NEW.revoked_at IS DISTINCT FROM OLD.revoked_at OR NEW.key_hash IS DISTINCT FROM OLD.key_hash
                           OR NEW.role IS DISTINCT FROM OLD.role OR NEW.merchant_id IS DISTINCT FROM OLD.merchant_id)
        EXECUTE FUNCTION api_keys_notify_revoked()`);
    await queryRunner.query(`
      CREATE TRIGGER api_keys_notify_deleted AFTER DELETE ON api_keys
        FOR EACH ROW EXECUTE FUNCTION api_keys_notify_revoked()`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TRIGGER api_keys_notify_deleted ON api_keys`);
    await queryRunner.query(`DROP TRIGGER api_keys_notify_revoked ON api_keys`);
    await queryRunner.query(`DROP FUNCTION api_keys_notify_revoked()`);
  }
}
