import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * People of a merchant (`merchant_admin`, `merchant_viewer`: one merchant each) beside the
 * operator's staff, and the audit trail: who changed what in configuration or money, written
 * in the same transaction as the change. The trail is append-only: the database itself refuses
 * to change or delete a row of it.
 */
export class MerchantPeopleAndAudit1764864000000 implements MigrationInterface {
  name = 'MerchantPeopleAndAudit1764864000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE users ADD COLUMN merchant_id text CONSTRAINT users_merchant_id_fkey REFERENCES merchants (id)`);
    await queryRunner.query(`ALTER TABLE users DROP CONSTRAINT users_role_check`);
    await queryRunner.query(
      `ALTER TABLE users ADD CONSTRAINT users_role_check CHECK (role IN ('admin', 'support', 'merchant_admin', 'merchant_viewer'))`,
    );
    await queryRunner.query(
      `ALTER TABLE users ADD CONSTRAINT users_merchant_role_check CHECK ((role IN ('merchant_admin', 'merchant_viewer')) = (merchant_id IS NOT NULL))`,
    );
    await queryRunner.query(`CREATE INDEX users_merchant_idx ON users (merchant_id, created_at, id) WHERE merchant_id IS NOT NULL`);
    // A merchant's keys are now listed, newest first.
    await queryRunner.query(`DROP INDEX api_keys_merchant_idx`);
    await queryRunner.query(`CREATE INDEX api_keys_merchant_idx ON api_keys (merchant_id, created_at, id)`);

    await queryRunner.query(`
      CREATE TABLE audit_events (
        id          text PRIMARY KEY CONSTRAINT audit_events_id_check CHECK (id ~ '^aud_[0-9A-Z]{26}$'),
        action      text NOT NULL,
        actor_type  text NOT NULL CONSTRAINT audit_events_actor_type_check CHECK (actor_type IN ('user', 'api_key', 'admin_key', 'operator', 'anonymous')),
        actor_id    text,
        merchant_id text,
        target_type text NOT NULL,
        target_id   text NOT NULL,
        request_id  text,
        client_ip   text,
        before      jsonb,
        after       jsonb,
        created_at  timestamptz(3) NOT NULL
      )`);
    await queryRunner.query(`CREATE INDEX audit_events_created_idx ON audit_events (created_at, id)`);
    await queryRunner.query(`CREATE INDEX audit_events_merchant_idx ON audit_events (merchant_id, created_at, id) WHERE merchant_id IS NOT NULL`);
    await queryRunner.query(`CREATE INDEX audit_events_actor_idx ON audit_events (actor_id, created_at, id) WHERE actor_id IS NOT NULL`);
    await queryRunner.query(`CREATE INDEX audit_events_target_idx ON audit_events (target_id, created_at, id)`);
    await queryRunner.query(`
      CREATE FUNCTION audit_events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'audit_events is append-only';
      END $$`);
    await queryRunner.query(`
      CREATE TRIGGER audit_events_append_only BEFORE UPDATE OR DELETE OR TRUNCATE ON audit_events
        FOR EACH STATEMENT EXECUTE FUNCTION audit_events_append_only()`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE audit_events`);
    await queryRunner.query(`DROP FUNCTION audit_events_append_only()`);
    await queryRunner.query(`DROP INDEX api_keys_merchant_idx`);
    await queryRunner.query(`CREATE INDEX api_keys_merchant_idx ON api_keys (merchant_id)`);
    await queryRunner.query(`DELETE FROM sessions WHERE user_id IN (SELECT id FROM users WHERE merchant_id IS NOT NULL)`);
    await queryRunner.query(`DELETE FROM users WHERE merchant_id IS NOT NULL`);
    await queryRunner.query(`ALTER TABLE users DROP CONSTRAINT users_merchant_role_check`);
    await queryRunner.query(`ALTER TABLE users DROP CONSTRAINT users_role_check`);
    await queryRunner.query(`ALTER TABLE users ADD CONSTRAINT users_role_check CHECK (role IN ('admin', 'support'))`);
    await queryRunner.query(`ALTER TABLE users DROP COLUMN merchant_id`);
  }
}
