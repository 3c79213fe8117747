import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Every instance keeps the acquirers and merchants' routings it has read; a change to either,
 * by whichever path it is made, is announced on the `routing_changed` channel when it commits,
 * so that every instance forgets it at once: the merchant id for a routing, `*` for an
 * acquirer (every route may name it) or an emptied table.
 */
export class RoutingNotifications1764950400000 implements MigrationInterface {
  name = 'RoutingNotifications1764950400000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE FUNCTION routing_notify_every() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        PERFORM pg_notify('routing_changed', '*');
        RETURN NULL;
      END
      $$`);
    await queryRunner.query(`
      CREATE FUNCTION merchant_routings_notify_changed() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP <> 'INSERT' THEN
          PERFORM pg_notify('routing_changed', OLD.merchant_id);
        END IF;
        IF TG_OP <> 'DELETE' THEN
          PERFORM pg_notify('routing_changed', NEW.merchant_id);
        END IF;
        RETURN NULL;
      END
      $$`);
    // Once per statement: an acquirer is in every route, so the payload is the same whatever the rows.
    await queryRunner.query(`
      CREATE TRIGGER acquirers_notify_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON acquirers
        FOR EACH STATEMENT EXECUTE FUNCTION routing_notify_every()`);
    await queryRunner.query(`
      CREATE TRIGGER merchant_routings_notify_changed AFTER INSERT OR UPDATE OR DELETE ON merchant_routings
        FOR EACH ROW EXECUTE FUNCTION merchant_routings_notify_changed()`);
    await queryRunner.query(`
      CREATE TRIGGER merchant_routings_notify_truncated AFTER TRUNCATE ON merchant_routings
        FOR EACH STATEMENT EXECUTE FUNCTION routing_notify_every()`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TRIGGER merchant_routings_notify_truncated ON merchant_routings`);
    await queryRunner.query(`DROP TRIGGER merchant_routings_notify_changed ON merchant_routings`);
    await queryRunner.query(`DROP TRIGGER acquirers_notify_changed ON acquirers`);
    await queryRunner.query(`DROP FUNCTION merchant_routings_notify_changed()`);
    await queryRunner.query(`DROP FUNCTION routing_notify_every()`);
  }
}
