import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Webhook endpoints, and a delivery per event and matching endpoint, fanned out from the event outbox. */
export class Webhooks1764252000000 implements MigrationInterface {
  name = 'Webhooks1764252000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE webhook_endpoints (
        id              text PRIMARY KEY CONSTRAINT webhook_endpoints_id_check CHECK (id ~ '^we_[0-9A-Z]{26}$'),
        merchant_id     text NOT NULL CONSTRAINT webhook_endpoints_merchant_id_fkey REFERENCES merchants (id),
        url             text NOT NULL CONSTRAINT webhook_endpoints_url_check CHECK (char_length(url) <= 2048),
        events          text[] NOT NULL,
        secret          text NOT NULL,
        status          text NOT NULL CONSTRAINT webhook_endpoints_status_check CHECK (status IN ('enabled', 'disabled')),
        disabled_reason text,
        created_at      timestamptz(3) NOT NULL,
        deleted_at      timestamptz(3)
      )`);
    await queryRunner.query(
      `CREATE INDEX webhook_endpoints_merchant_idx ON webhook_endpoints (merchant_id, created_at) WHERE deleted_at IS NULL`,
    );

    await queryRunner.query(`
      CREATE TABLE webhook_deliveries (
        id              text PRIMARY KEY CONSTRAINT webhook_deliveries_id_check CHECK (id ~ '^whd_[0-9A-Z]{26}$'),
        endpoint_id     text NOT NULL CONSTRAINT webhook_deliveries_endpoint_id_fkey REFERENCES webhook_endpoints (id),
        event_id        text NOT NULL CONSTRAINT webhook_deliveries_event_id_fkey REFERENCES payment_events (id),
        status          text NOT NULL CONSTRAINT webhook_deliveries_status_check CHECK (status IN ('pending', 'succeeded', 'failed')),
        attempts        integer NOT NULL,
        next_attempt_at timestamptz(3),
        created_at      timestamptz(3) NOT NULL,
        updated_at      timestamptz(3) NOT NULL,
        CONSTRAINT webhook_deliveries_endpoint_event_key UNIQUE (endpoint_id, event_id)
      )`);
    await queryRunner.query(
      `CREATE INDEX webhook_deliveries_due_idx ON webhook_deliveries (next_attempt_at) WHERE status = 'pending'`,
    );
    await queryRunner.query(`CREATE INDEX webhook_deliveries_endpoint_idx ON webhook_deliveries (endpoint_id, created_at DESC, id DESC)`);

    await queryRunner.query(`
      CREATE TABLE webhook_attempts (
        id              bigint GENERATED ALWAYS AS IDENTITY CONSTRAINT webhook_attempts_pkey PRIMARY KEY,
        delivery_id     text NOT NULL CONSTRAINT webhook_attempts_delivery_id_fkey REFERENCES webhook_deliveries (id),
        attempt         integer NOT NULL,
        response_status integer,
        duration_ms     integer NOT NULL,
        error           text,
        response_body   text,
        created_at      timestamptz(3) NOT NULL
      )`);
    await queryRunner.query(`CREATE INDEX webhook_attempts_delivery_idx ON webhook_attempts (delivery_id, attempt)`);

    // The outbox fan-out: each event, in the transaction that records it, gets a delivery for
    // every enabled endpoint of its merchant that subscribes to its type (or to "*").
    await queryRunner.query(`
      CREATE FUNCTION payment_events_fan_out() RETURNS trigger LANGUAGE plpgsql AS $$
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
      $$`);
    await queryRunner.query(`
      CREATE TRIGGER payment_events_fan_out AFTER INSERT ON payment_events
        FOR EACH ROW EXECUTE FUNCTION payment_events_fan_out()`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TRIGGER payment_events_fan_out ON payment_events`);
    await queryRunner.query(`DROP FUNCTION payment_events_fan_out()`);
    await queryRunner.query(`DROP TABLE webhook_attempts`);
    await queryRunner.query(`DROP TABLE webhook_deliveries`);
    await queryRunner.query(`DROP TABLE webhook_endpoints`);
  }
}
