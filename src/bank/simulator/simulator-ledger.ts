import { Injectable, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import pg from 'pg';
import { AppConfig } from '../../config/config.js';

/** Connections of the simulator's own: it stands in for a bank, not for the gateway's load. */
const POOL_SIZE = 3;

/** A statement of the bank's that takes longer has failed; the router calls the outcome unknown. */
const STATEMENT_TIMEOUT_MS = 5000;

/** Anything that identifies the schema's creation, for the advisory lock two starting instances take turns on. */
const SCHEMA_LOCK = 0x62616e6b; // "bank"

/**
 * The built-in simulator's ledger: the bank's own records, not the gateway's. It lives in its
 * own schema (`bank_simulator.operations`), reached through a pool of its own on
 * BANK_SIMULATOR_DATABASE_URL (by default the gateway's database), and is created by the
 * simulator when it starts: no gateway entity, repository or migration owns it.
 */
@Injectable()
export class SimulatorLedger implements OnModuleInit, OnApplicationShutdown {
  private readonly pool: pg.Pool;

  constructor(config: AppConfig) {
    this.pool = new pg.Pool({
      connectionString: config.bankSimulatorDatabaseUrl ?? config.databaseUrl,
      max: POOL_SIZE,
      connectionTimeoutMillis: STATEMENT_TIMEOUT_MS,
      statement_timeout: STATEMENT_TIMEOUT_MS,
      application_name: 'gateway-bank-simulator',
    });
    // An idle connection the server dropped must not take the process down.
    this.pool.on('error', () => undefined);
  }

  async onModuleInit(): Promise<void> {
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      await client.query('SELECT pg_advisory_xact_lock($1)', [SCHEMA_LOCK]);
      await client.query('CREATE SCHEMA IF NOT EXISTS bank_simulator');
      await client.query(LEDGER_TABLE);
      await client.query('COMMIT');
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  }

  async onApplicationShutdown(): Promise<void> {
    await this.pool.end();
  }

  /** A fixed statement text, prepared once per connection under `name`. */
  async query<Row>(name: string, text: string, values: unknown[]): Promise<Row[]> {
    return (await this.pool.query({ name, text, values })).rows as Row[];
  }
}

/**
 * One row per operation key, as a real acquirer keeps per idempotency key. The same definition
 * as the migration that moved the rows here from the gateway's `public` schema.
 */
const LEDGER_TABLE = `
  CREATE TABLE IF NOT EXISTS bank_simulator.operations (
    key        text PRIMARY KEY,
    kind       text NOT NULL,
    amount     integer,
    outcome    jsonb NOT NULL,
    answer_at  timestamptz(3) NOT NULL,
    created_at timestamptz(3) NOT NULL
  )`;
