import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Pool, PoolClient } from 'pg';
import { DataSource } from 'typeorm';
import { PostgresDriver } from 'typeorm/driver/postgres/PostgresDriver.js';
import { isStatementRefused } from './database-errors.js';

/**
 * Distinct statement texts prepared per connection, at most. The statements given to `query`
 * are fixed texts (a handful per repository); should a caller ever build texts without bound,
 * those past the limit run unprepared instead of filling every connection's statement cache.
 */
const MAX_PREPARED = 200;

/** Statement names by text, for the whole process: every Sql on a pool must agree on them. */
const names = new Map<string, string>();

function nameOf(text: string): string | undefined {
  let name = names.get(text);
  if (name === undefined && names.size < MAX_PREPARED) {
    name = `gw${names.size + 1}`;
    names.set(text, name);
  }
  return name;
}

async function run<Row>(client: PoolClient, text: string, values: unknown[]): Promise<Row[]> {
  const name = nameOf(text);
  const { rows } = await client.query(name ? { name, text, values } : { text, values });
  return rows as Row[];
}

/** A row as node-postgres parsed it: timestamptz as Date, integer as number, bigint as string, jsonb as its value. */
export type Row = Record<string, unknown>;

/** Where SQL runs: the pool (`Sql`), or one transaction's connection (`Sql.transaction`). */
export interface SqlClient {
  /** The rows the statement returned (of a SELECT, or an INSERT/UPDATE/DELETE … RETURNING), as node-postgres parsed them. */
  query<Row = Record<string, unknown>>(text: string, values?: unknown[]): Promise<Row[]>;
}

/**
 * How to run SQL here: `Sql`, on the app's own pool (the one TypeORM opened).
 *
 * - **A statement**: `sql.query(TEXT, [values])`, autocommit. TEXT is a fixed, named constant
 *   (e.g. `src/payments/queries/*.queries.ts`): no text built from metadata or passed in by a
 *   caller; values always as parameters. A list with optional filters is assembled from named
 *   fragments by `listStatement` (statement.ts), one fixed text per combination of filters. Each text is prepared once per connection (a named
 *   statement): PostgreSQL parses and plans it once instead of on every request, and only the
 *   parameters cross the wire. A prepared statement's result columns are fixed when it is
 *   first prepared, so statements name their columns (never `SELECT *` or `RETURNING *`): a
 *   migration that adds a column does not break the instances still running.
 * - **A transaction**: `sql.transaction(async (tx) => { … tx.query(TEXT, [values]) … })`: BEGIN,
 *   the work, COMMIT, or ROLLBACK when it throws. The same `query` (prepared, rows back for any
 *   statement); the audit trail writes through `tx` too, so its row commits with the change.
 * - **Many rows of one statement that arrive together** (the create path's writes): one
 *   statement taking a JSON array, through `GroupCommit`; see `group-commit.ts`.
 *
 * It is the app's one way to run SQL: every module's texts are in its `queries/` folder
 * (`src/<module>/queries/<module>.queries.ts`), with their row mappers. TypeORM owns the schema
 * (entities, migrations and their drift check, which migrations are pending) and the pool.
 *
 * The pool is `PostgresDriver.master`: a public property of TypeORM's Postgres driver (typed
 * `any` there, so it is asserted to node-postgres's Pool here). The alternative, a pg.Pool of
 * our own from the same options, would double the connections the database sees, or halve
 * each pool; sharing TypeORM's keeps one pool, one size (DATABASE_POOL_SIZE), one set of
 * deadlines, and the timed client (timed-pg.ts) for Server-Timing.
 */
@Injectable()
export class Sql implements SqlClient {
  private readonly pool: Pool;

  constructor(@InjectDataSource() dataSource: DataSource) {
    if (!(dataSource.driver instanceof PostgresDriver)) throw new Error('Sql needs TypeORM\'s Postgres driver');
    this.pool = dataSource.driver.master as Pool;
  }

  async query<Row = Record<string, unknown>>(text: string, values: unknown[] = []): Promise<Row[]> {
    // Promise calls all the way: the request's async context (and so its Server-Timing db
    // figure) follows the query, which pool.query's callbacks would lose.
    const client = await this.pool.connect();
    try {
      const rows = await run<Row>(client, text, values);
      client.release();
      return rows;
    } catch (error) {
      // A statement the server refused leaves the connection usable; anything else (a lost
      // connection, a server shutting down, which answers before it hangs up) must not go back.
      client.release(isStatementRefused(error) ? undefined : error instanceof Error ? error : true);
      throw error;
    }
  }

  /** The pool's connections: open, idle, and callers waiting for one (the gauges of /metrics). */
  poolCounts(): { total: number; idle: number; waiting: number } {
    return { total: this.pool.totalCount, idle: this.pool.idleCount, waiting: this.pool.waitingCount };
  }

  /** Runs `work` in one transaction on one connection: committed when it returns, rolled back when it throws. */
  async transaction<T>(work: (tx: SqlClient) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    let result: T;
    try {
      await client.query('BEGIN');
      result = await work({ query: <Row>(text: string, values: unknown[] = []) => run<Row>(client, text, values) });
      await client.query('COMMIT');
    } catch (error) {
      try {
        await client.query('ROLLBACK');
        client.release();
      } catch (rollbackError) {
        // The connection is gone or unusable: it must not go back to the pool.
        client.release(rollbackError instanceof Error ? rollbackError : true);
      }
      throw error;
    }
    client.release();
    return result;
  }
}
