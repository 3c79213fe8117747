import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * People who sign in (the staff of the gateway's operator, for now: admins and support), their
 * sessions, and the failed sign-ins the limiter counts. A session is found by the SHA-256 of
 * its cookie's token, so any instance accepts it and ending it ends it everywhere at once.
 */
export class People1764860400000 implements MigrationInterface {
  name = 'People1764860400000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE users (
        id            text PRIMARY KEY CONSTRAINT users_id_check CHECK (id ~ '^usr_[0-9A-Z]{26}$'),
        email         text NOT NULL,
        name          text NOT NULL,
        role          text NOT NULL CONSTRAINT users_role_check CHECK (role IN ('admin', 'support')),
        password_hash text NOT NULL,
        disabled      boolean NOT NULL DEFAULT false,
        last_login_at timestamptz(3),
        created_at    timestamptz(3) NOT NULL,
        updated_at    timestamptz(3) NOT NULL
      )`);
    // One account per address, whatever its case.
    await queryRunner.query(`CREATE UNIQUE INDEX users_email_key ON users (lower(email))`);
    await queryRunner.query(`
      CREATE TABLE sessions (
        id           text PRIMARY KEY CONSTRAINT sessions_id_check CHECK (id ~ '^ses_[0-9A-Z]{26}$'),
        user_id      text NOT NULL CONSTRAINT sessions_user_id_fkey REFERENCES users (id),
        token_hash   text NOT NULL CONSTRAINT sessions_token_hash_key UNIQUE,
        csrf_token   text NOT NULL,
        client_ip    text,
        created_at   timestamptz(3) NOT NULL,
        last_seen_at timestamptz(3) NOT NULL,
        expires_at   timestamptz(3) NOT NULL,
        ended_at     timestamptz(3)
      )`);
    await queryRunner.query(`CREATE INDEX sessions_user_idx ON sessions (user_id) WHERE ended_at IS NULL`);
    await queryRunner.query(`
      CREATE TABLE sign_in_failures (
        id         text PRIMARY KEY CONSTRAINT sign_in_failures_id_check CHECK (id ~ '^sif_[0-9A-Z]{26}$'),
        email      text NOT NULL,
        client_ip  text NOT NULL,
        created_at timestamptz(3) NOT NULL
      )`);
    await queryRunner.query(`CREATE INDEX sign_in_failures_email_idx ON sign_in_failures (lower(email), created_at)`);
    await queryRunner.query(`CREATE INDEX sign_in_failures_client_ip_idx ON sign_in_failures (client_ip, created_at)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE sign_in_failures`);
    await queryRunner.query(`DROP TABLE sessions`);
    await queryRunner.query(`DROP TABLE users`);
  }
}
