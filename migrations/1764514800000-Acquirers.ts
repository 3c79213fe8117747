import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Acquirers as objects (the built-in simulator among them), each merchant's routing, and every
 * try of a payment at an acquirer. Payments the simulator authorised before this migration are
 * attributed to it: the acquirer holding an authorisation is where its capture, void or
 * refund must go.
 */
export class Acquirers1764514800000 implements MigrationInterface {
  name = 'Acquirers1764514800000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE acquirers (
        id          text PRIMARY KEY CONSTRAINT acquirers_id_check CHECK (id ~ '^acq_[0-9A-Z]{26}$'),
        name        text NOT NULL CONSTRAINT acquirers_name_check CHECK (char_length(name) BETWEEN 1 AND 100),
        kind        text NOT NULL CONSTRAINT acquirers_kind_check CHECK (kind IN ('simulator', 'http')),
        base_url    text,
        api_key     text,
        timeout_ms  integer NOT NULL CONSTRAINT acquirers_timeout_ms_check CHECK (timeout_ms BETWEEN 1 AND 600000),
        enabled     boolean NOT NULL,
        created_at  timestamptz(3) NOT NULL,
        updated_at  timestamptz(3) NOT NULL,
        CONSTRAINT acquirers_base_url_check CHECK ((kind = 'http') = (base_url IS NOT NULL))
      )`);
    await queryRunner.query(`CREATE UNIQUE INDEX acquirers_name_idx ON acquirers (name)`);
    // The built-in simulator, always there; its timeout is BANK_TIMEOUT_MS, not this column's.
    await queryRunner.query(`
      INSERT INTO acquirers (id, name, kind, base_url, api_key, timeout_ms, enabled, created_at, updated_at)
      VALUES ('acq_00000000000000000000000000', 'simulator', 'simulator', NULL, NULL, 5000, true, now(), now())`);
    await queryRunner.query(`
      CREATE TABLE merchant_routings (
        merchant_id text PRIMARY KEY CONSTRAINT merchant_routings_merchant_id_fkey REFERENCES merchants (id),
        rules       jsonb NOT NULL,
        "default"   jsonb NOT NULL,
        updated_at  timestamptz(3) NOT NULL
      )`);
    await queryRunner.query(`
      CREATE TABLE payment_attempts (
        id                 text PRIMARY KEY CONSTRAINT payment_attempts_id_check CHECK (id ~ '^att_[0-9A-Z]{26}$'),
        payment_id         text NOT NULL CONSTRAINT payment_attempts_payment_id_fkey REFERENCES payments (id),
        acquirer_id        text NOT NULL CONSTRAINT payment_attempts_acquirer_id_fkey REFERENCES acquirers (id),
        outcome            text CONSTRAINT payment_attempts_outcome_check
                             CHECK (outcome IN ('approved', 'declined', 'not_processed', 'unknown', 'error', 'skipped')),
        decline_code       text,
        error              text,
        http_status        integer,
        duration_ms        integer,
        acquirer_reference text,
        created_at         timestamptz(3) NOT NULL
      )`);
    await queryRunner.query(`CREATE INDEX payment_attempts_payment_idx ON payment_attempts (payment_id, created_at, id)`);
    await queryRunner.query(
      `ALTER TABLE payments ADD COLUMN acquirer_id text CONSTRAINT payments_acquirer_id_fkey REFERENCES acquirers (id)`,
    );
    await queryRunner.query(`
      UPDATE payments SET acquirer_id = 'acq_00000000000000000000000000'
       WHERE status IN ('authorized', 'captured', 'partially_refunded', 'refunded', 'voided')`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE payments DROP COLUMN acquirer_id`);
    await queryRunner.query(`DROP TABLE payment_attempts`);
    await queryRunner.query(`DROP TABLE merchant_routings`);
    await queryRunner.query(`DROP TABLE acquirers`);
  }
}
