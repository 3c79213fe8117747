import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Capture, void and refunds; idempotency keys; the reconciler's schedule; the simulated bank's ledger. */
export class MoneySafety1764165600000 implements MigrationInterface {
  name = 'MoneySafety1764165600000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      ALTER TABLE payments
        ADD COLUMN amount_refund_pending integer NOT NULL DEFAULT 0,
        ADD COLUMN bank_operation text CONSTRAINT payments_bank_operation_check CHECK (bank_operation IN ('capture', 'void', 'expire')),
        ADD COLUMN bank_operation_amount integer,
        ADD COLUMN next_check_at timestamptz(3),
        ADD COLUMN check_attempts integer NOT NULL DEFAULT 0,
        ADD CONSTRAINT payments_refund_total_check CHECK (amount_refunded + amount_refund_pending <= amount_captured)`);
    // What the reconciler and the expiry sweeper look for.
    await queryRunner.query(`CREATE INDEX payments_next_check_idx ON payments (next_check_at) WHERE next_check_at IS NOT NULL`);
    await queryRunner.query(`CREATE INDEX payments_authorized_created_idx ON payments (created_at) WHERE status = 'authorized'`);

    await queryRunner.query(`ALTER TABLE payment_events ADD COLUMN seq bigint GENERATED ALWAYS AS IDENTITY`);
    await queryRunner.query(`DROP INDEX payment_events_payment_idx`);
    await queryRunner.query(`CREATE INDEX payment_events_payment_idx ON payment_events (payment_id, seq)`);

    await queryRunner.query(`
      CREATE TABLE refunds (
        id             text PRIMARY KEY CONSTRAINT refunds_id_check CHECK (id ~ '^re_[0-9A-Z]{26}$'),
        payment_id     text NOT NULL CONSTRAINT refunds_payment_id_fkey REFERENCES payments (id),
        merchant_id    text NOT NULL CONSTRAINT refunds_merchant_id_fkey REFERENCES merchants (id),
        amount         integer NOT NULL CONSTRAINT refunds_amount_check CHECK (amount BETWEEN 1 AND 99999999),
        status         text NOT NULL CONSTRAINT refunds_status_check CHECK (status IN ('pending', 'succeeded', 'failed')),
        reason         text CONSTRAINT refunds_reason_check CHECK (char_length(reason) <= 500),
        failure_reason text,
        next_check_at  timestamptz(3),
        check_attempts integer NOT NULL DEFAULT 0,
        created_at     timestamptz(3) NOT NULL,
        updated_at     timestamptz(3) NOT NULL
      )`);
    await queryRunner.query(`CREATE INDEX refunds_payment_idx ON refunds (payment_id, created_at, id)`);
    await queryRunner.query(`CREATE INDEX refunds_next_check_idx ON refunds (next_check_at) WHERE next_check_at IS NOT NULL`);

    await queryRunner.query(`
      CREATE TABLE idempotency_keys (
        scope           text NOT NULL,
        key             text NOT NULL CONSTRAINT idempotency_keys_key_check CHECK (char_length(key) BETWEEN 1 AND 255),
        fingerprint     text NOT NULL,
        status          text NOT NULL CONSTRAINT idempotency_keys_status_check CHECK (status IN ('in_flight', 'completed')),
        response_status integer,
        response_body   text,
        created_at      timestamptz(3) NOT NULL,
        CONSTRAINT idempotency_keys_pkey PRIMARY KEY (scope, key)
      )`);
    await queryRunner.query(`CREATE INDEX idempotency_keys_created_idx ON idempotency_keys (created_at)`);

    // The bank simulator's own state, standing in for a real bank's: durable and shared by
    // every gateway instance, so that asking again after a restart gets the same answer.
    await queryRunner.query(`
      CREATE TABLE bank_simulator_operations (
        key        text PRIMARY KEY,
        kind       text NOT NULL,
        amount     integer,
        outcome    jsonb NOT NULL,
        answer_at  timestamptz(3) NOT NULL,
        created_at timestamptz(3) NOT NULL
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE bank_simulator_operations`);
    await queryRunner.query(`DROP TABLE idempotency_keys`);
    await queryRunner.query(`DROP TABLE refunds`);
    await queryRunner.query(`DROP INDEX payment_events_payment_idx`);
    await queryRunner.query(`ALTER TABLE payment_events DROP COLUMN seq`);
    await queryRunner.query(`CREATE INDEX payment_events_payment_idx ON payment_events (payment_id, created_at, id)`);
    await queryRunner.query(`DROP INDEX payments_authorized_created_idx`);
    await queryRunner.query(`DROP INDEX payments_next_check_idx`);
    await queryRunner.query(`
      ALTER TABLE payments
        DROP CONSTRAINT payments_refund_total_check,
        DROP COLUMN check_attempts,
        DROP COLUMN next_check_at,
        DROP COLUMN bank_operation_amount,
        DROP COLUMN bank_operation,
        DROP COLUMN amount_refund_pending`);
  }
}
