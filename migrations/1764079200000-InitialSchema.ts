import type { MigrationInterface, QueryRunner } from 'typeorm';

export class InitialSchema1764079200000 implements MigrationInterface {
  name = 'InitialSchema1764079200000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE merchants (
        id         text PRIMARY KEY CHECK (id ~ '^mer_[0-9A-Z]{26}$'),
        name       text NOT NULL CHECK (char_length(name) BETWEEN 1 AND 200),
        created_at timestamptz(3) NOT NULL
      )`);
    await queryRunner.query(`CREATE INDEX merchants_created_idx ON merchants (created_at DESC, id DESC)`);

    await queryRunner.query(`
      CREATE TABLE api_keys (
        id          text PRIMARY KEY CHECK (id ~ '^key_[0-9A-Z]{26}$'),
        merchant_id text REFERENCES merchants (id),
        role        text NOT NULL CHECK (role IN ('admin', 'merchant')),
        prefix      text NOT NULL,
        key_hash    text NOT NULL UNIQUE,
        created_at  timestamptz(3) NOT NULL,
        revoked_at  timestamptz(3),
        CHECK ((role = 'merchant') = (merchant_id IS NOT NULL))
      )`);
    await queryRunner.query(`CREATE INDEX api_keys_merchant_idx ON api_keys (merchant_id)`);
    // At most one generated bootstrap admin key: instances starting together cannot both make one.
    await queryRunner.query(`CREATE UNIQUE INDEX api_keys_one_admin_idx ON api_keys (role) WHERE role = 'admin'`);

    await queryRunner.query(`
      CREATE TABLE payments (
        id                     text PRIMARY KEY CHECK (id ~ '^pay_[0-9A-Z]{26}$'),
        merchant_id            text NOT NULL REFERENCES merchants (id),
        status                 text NOT NULL CHECK (status IN
                                 ('pending', 'authorized', 'captured', 'declined', 'failed',
                                  'voided', 'partially_refunded', 'refunded')),
        payment_history_status text NOT NULL DEFAULT 'active' CHECK (payment_history_status IN
                                 ('active', 'finished', 'expired', 'archived')),
        amount                 integer NOT NULL CHECK (amount BETWEEN 1 AND 99999999),
        currency               char(3) NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
        capture_requested      boolean NOT NULL,
        amount_captured        integer NOT NULL DEFAULT 0 CHECK (amount_captured BETWEEN 0 AND amount),
        amount_refunded        integer NOT NULL DEFAULT 0 CHECK (amount_refunded BETWEEN 0 AND amount_captured),
        card_brand             text NOT NULL CHECK (card_brand IN
                                 ('visa', 'mastercard', 'amex', 'discover', 'diners', 'jcb', 'unionpay', 'unknown')),
        card_bin               char(6) NOT NULL CHECK (card_bin ~ '^[0-9]{6}$'),
        card_last4             char(4) NOT NULL CHECK (card_last4 ~ '^[0-9]{4}$'),
        card_expiry_month      smallint NOT NULL CHECK (card_expiry_month BETWEEN 1 AND 12),
        card_expiry_year       smallint NOT NULL CHECK (card_expiry_year BETWEEN 1000 AND 9999),
        card_holder_name       text CHECK (char_length(card_holder_name) <= 100),
        card_fingerprint       text NOT NULL,
        bank_reference         text,
        decline_code           text,
        failure_reason         text,
        reference              text CHECK (char_length(reference) <= 128),
        description            text CHECK (char_length(description) <= 500),
        metadata               jsonb NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(metadata) = 'object'),
        created_at             timestamptz(3) NOT NULL,
        updated_at             timestamptz(3) NOT NULL
      )`);
    // Keyset pagination, newest first, per merchant and across merchants (admins),
    // and the list filters: status, history status, reference.
    await queryRunner.query(`CREATE INDEX payments_merchant_created_idx ON payments (merchant_id, created_at DESC, id DESC)`);
    await queryRunner.query(`CREATE INDEX payments_created_idx ON payments (created_at DESC, id DESC)`);
    await queryRunner.query(
      `CREATE INDEX payments_merchant_status_created_idx ON payments (merchant_id, status, created_at DESC, id DESC)`,
    );
    await queryRunner.query(
      `CREATE INDEX payments_merchant_history_created_idx
         ON payments (merchant_id, payment_history_status, created_at DESC, id DESC)`,
    );
    await queryRunner.query(
      `CREATE INDEX payments_merchant_reference_idx ON payments (merchant_id, reference) WHERE reference IS NOT NULL`,
    );

    await queryRunner.query(`
      CREATE TABLE payment_events (
        id          text PRIMARY KEY CHECK (id ~ '^evt_[0-9A-Z]{26}$'),
        payment_id  text NOT NULL REFERENCES payments (id),
        merchant_id text NOT NULL REFERENCES merchants (id),
        type        text NOT NULL,
        data        jsonb NOT NULL,
        created_at  timestamptz(3) NOT NULL
      )`);
    await queryRunner.query(`CREATE INDEX payment_events_payment_idx ON payment_events (payment_id, created_at, id)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE payment_events`);
    await queryRunner.query(`DROP TABLE payments`);
    await queryRunner.query(`DROP TABLE api_keys`);
    await queryRunner.query(`DROP TABLE merchants`);
  }
}
