import type { MigrationInterface, QueryRunner } from 'typeorm';

export class InitialSchema1764079200000 implements MigrationInterface {
  name = 'InitialSchema1764079200000';

  // Every constraint and index is named, and the entities declare the same names, so that
  // `npm run migration:generate` diffs only real changes.
  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE merchants (
        id         text PRIMARY KEY CONSTRAINT merchants_id_check CHECK (id ~ '^mer_[0-9A-Z]{26}$'),
        name       text NOT NULL CONSTRAINT merchants_name_check CHECK (char_length(name) BETWEEN 1 AND 200),
        created_at timestamptz(3) NOT NULL
      )`);
    await queryRunner.query(`CREATE INDEX merchants_created_idx ON merchants (created_at DESC, id DESC)`);

    await queryRunner.query(`
      CREATE TABLE api_keys (
        id          text PRIMARY KEY CONSTRAINT api_keys_id_check CHECK (id ~ '^key_[0-9A-Z]{26}$'),
        merchant_id text CONSTRAINT api_keys_merchant_id_fkey REFERENCES merchants (id),
        role        text NOT NULL CONSTRAINT api_keys_role_check CHECK (role IN ('admin', 'merchant')),
        prefix      text NOT NULL,
        key_hash    text NOT NULL CONSTRAINT api_keys_key_hash_key UNIQUE,
        created_at  timestamptz(3) NOT NULL,
        revoked_at  timestamptz(3),
        CONSTRAINT api_keys_merchant_role_check CHECK ((role = 'merchant') = (merchant_id IS NOT NULL))
      )`);
    await queryRunner.query(`CREATE INDEX api_keys_merchant_idx ON api_keys (merchant_id)`);
    // At most one generated bootstrap admin key: instances starting together cannot both make one.
    await queryRunner.query(`CREATE UNIQUE INDEX api_keys_one_admin_idx ON api_keys (role) WHERE role = 'admin'`);

    await queryRunner.query(`
      CREATE TABLE payments (
        id                     text PRIMARY KEY CONSTRAINT payments_id_check CHECK (id ~ '^pay_[0-9A-Z]{26}$'),
        merchant_id            text NOT NULL CONSTRAINT payments_merchant_id_fkey REFERENCES merchants (id),
        status                 text NOT NULL CONSTRAINT payments_status_check CHECK (status IN
                                 ('pending', 'authorized', 'captured', 'declined', 'failed',
                                  'voided', 'partially_refunded', 'refunded')),
        payment_history_status text NOT NULL CONSTRAINT payments_payment_history_status_check CHECK (payment_history_status IN
                                 ('active', 'finished', 'expired', 'archived')),
        amount                 integer NOT NULL CONSTRAINT payments_amount_check CHECK (amount BETWEEN 1 AND 99999999),
        currency               char(3) NOT NULL CONSTRAINT payments_currency_check CHECK (currency ~ '^[A-Z]{3}$'),
        capture_requested      boolean NOT NULL,
        amount_captured        integer NOT NULL CONSTRAINT payments_amount_captured_check CHECK (amount_captured BETWEEN 0 AND amount),
        amount_refunded        integer NOT NULL CONSTRAINT payments_amount_refunded_check CHECK (amount_refunded BETWEEN 0 AND amount_captured),
        card_brand             text NOT NULL CONSTRAINT payments_card_brand_check CHECK (card_brand IN
                                 ('visa', 'mastercard', 'amex', 'discover', 'diners', 'jcb', 'unionpay', 'unknown')),
        card_bin               char(6) NOT NULL CONSTRAINT payments_card_bin_check CHECK (card_bin ~ '^[0-9]{6}$'),
        card_last4             char(4) NOT NULL CONSTRAINT payments_card_last4_check CHECK (card_last4 ~ '^[0-9]{4}$'),
        card_expiry_month      smallint NOT NULL CONSTRAINT payments_card_expiry_month_check CHECK (card_expiry_month BETWEEN 1 AND 12),
        card_expiry_year       smallint NOT NULL CONSTRAINT payments_card_expiry_year_check CHECK (card_expiry_year BETWEEN 1000 AND 9999),
        card_holder_name       text CONSTRAINT payments_card_holder_name_check CHECK (char_length(card_holder_name) <= 100),
        card_fingerprint       text NOT NULL,
        bank_reference         text,
        decline_code           text,
        failure_reason         text,
        reference              text CONSTRAINT payments_reference_check CHECK (char_length(reference) <= 128),
        description            text CONSTRAINT payments_description_check CHECK (char_length(description) <= 500),
        metadata               jsonb NOT NULL CONSTRAINT payments_metadata_check CHECK (jsonb_typeof(metadata) = 'object'),
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
        id          text PRIMARY KEY CONSTRAINT payment_events_id_check CHECK (id ~ '^evt_[0-9A-Z]{26}$'),
        payment_id  text NOT NULL CONSTRAINT payment_events_payment_id_fkey REFERENCES payments (id),
        merchant_id text NOT NULL CONSTRAINT payment_events_merchant_id_fkey REFERENCES merchants (id),
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
