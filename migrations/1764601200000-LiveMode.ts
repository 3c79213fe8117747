import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The fan-out of migration Webhooks, before endpoints had a mode: restored by `down()`. */
const FAN_OUT_BY_MERCHANT = `
  CREATE OR REPLACE FUNCTION payment_events_fan_out() RETURNS trigger LANGUAGE plpgsql AS $$
  BEGIN
    INSERT INTO webhook_deliveries (id, endpoint_id, event_id, status, attempts, next_attempt_at, created_at, updated_at)
    -- A stable id per (endpoint, event): md5 hex is a subset of the ULID alphabet.
    SELECT 'whd_' || upper(substr(md5(e.id || NEW.id), 1, 26)), e.id, NEW.id, 'pending', 0, now(), NEW.created_at, NEW.created_at
      FROM webhook_endpoints e
     WHERE e.merchant_id = NEW.merchant_id
       AND e.status = 'enabled'
       AND e.deleted_at IS NULL
       AND (NEW.type = ANY (e.events) OR '*' = ANY (e.events));
    RETURN NULL;
  END
  $$`;

/**
 * The same, for the endpoints of the event's mode only. An event has no mode of its own: it
 * takes its payment's (the payment row is visible here, even when inserted by the same
 * statement), so that no event can disagree with its payment, whichever version wrote it.
 */
const FAN_OUT_BY_MERCHANT_AND_MODE = `
  CREATE OR REPLACE FUNCTION payment_events_fan_out() RETURNS trigger LANGUAGE plpgsql AS $$
  BEGIN
    INSERT INTO webhook_deliveries (id, endpoint_id, event_id, status, attempts, next_attempt_at, created_at, updated_at)
    -- A stable id per (endpoint, event): md5 hex is a subset of the ULID alphabet.
    SELECT 'whd_' || upper(substr(md5(e.id || NEW.id), 1, 26)), e.id, NEW.id, 'pending', 0, now(), NEW.created_at, NEW.created_at
      FROM webhook_endpoints e
     WHERE e.merchant_id = NEW.merchant_id
       AND e.livemode = (SELECT p.livemode FROM payments p WHERE p.id = NEW.payment_id)
       AND e.status = 'enabled'
       AND e.deleted_at IS NULL
       AND (NEW.type = ANY (e.events) OR '*' = ANY (e.events));
    RETURN NULL;
  END
  $$`;

const NOTIFY_REVOKED = (condition: string) => `
  CREATE TRIGGER api_keys_notify_revoked AFTER UPDATE ON api_keys
    FOR EACH ROW WHEN (${condition})
    EXECUTE FUNCTION api_keys_notify_revoked()`;

const KEY_CHANGED = `NEW.revoked_at IS DISTINCT FROM OLD.revoked_at OR NEW.key_hash IS DISTINCT FROM OLD.key_hash
                     OR NEW.role IS DISTINCT FROM OLD.role OR NEW.merchant_id IS DISTINCT FROM OLD.merchant_id`;

/**
 * Test and live modes. A key, a payment and a webhook endpoint each have a mode
 * (`livemode`); existing rows, and rows written by the previous release during a rolling
 * update, are live. Refunds, events, attempts and deliveries take the mode of their payment or
 * endpoint. Idempotency keys need no change: a test key's scope is its merchant id with
 * `:test` appended (see idempotencyScope()).
 *
 * The list indexes that lead with (merchant_id, livemode) come in the next migration, built
 * concurrently.
 */
export class LiveMode1764601200000 implements MigrationInterface {
  name = 'LiveMode1764601200000';

  async up(queryRunner: QueryRunner): Promise<void> {
    // A constant default: no table rewrite, whatever the table's size.
    await queryRunner.query(`ALTER TABLE api_keys ADD COLUMN livemode boolean NOT NULL DEFAULT true`);
    await queryRunner.query(`ALTER TABLE payments ADD COLUMN livemode boolean NOT NULL DEFAULT true`);
    await queryRunner.query(`ALTER TABLE webhook_endpoints ADD COLUMN livemode boolean NOT NULL DEFAULT true`);
    // A key whose mode changed (by hand, in SQL) is forgotten by every instance's cache.
    await queryRunner.query(`DROP TRIGGER api_keys_notify_revoked ON api_keys`);
    await queryRunner.query(NOTIFY_REVOKED(`${KEY_CHANGED} OR NEW.livemode IS DISTINCT FROM OLD.livemode`));
    await queryRunner.query(FAN_OUT_BY_MERCHANT_AND_MODE);
  }

  /**
   * Without modes, a test key would be a live key and a test endpoint would receive live
   * events: test keys are revoked and test endpoints deleted first. Test payments stay, and
   * read as live ones from then on (their acquirer is the simulator, which moved no money).
   */
  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`UPDATE api_keys SET revoked_at = coalesce(revoked_at, now()) WHERE NOT livemode`);
    await queryRunner.query(`
      UPDATE webhook_deliveries SET status = 'failed', next_attempt_at = NULL, updated_at = now()
       WHERE status = 'pending' AND endpoint_id IN (SELECT id FROM webhook_endpoints WHERE NOT livemode)`);
    await queryRunner.query(`UPDATE webhook_endpoints SET deleted_at = coalesce(deleted_at, now()) WHERE NOT livemode`);
    await queryRunner.query(FAN_OUT_BY_MERCHANT);
    await queryRunner.query(`DROP TRIGGER api_keys_notify_revoked ON api_keys`);
    await queryRunner.query(NOTIFY_REVOKED(KEY_CHANGED));
    await queryRunner.query(`ALTER TABLE webhook_endpoints DROP COLUMN livemode`);
    await queryRunner.query(`ALTER TABLE payments DROP COLUMN livemode`);
    await queryRunner.query(`ALTER TABLE api_keys DROP COLUMN livemode`);
  }
}
