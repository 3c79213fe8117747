import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Pool } from 'pg';
import { DataSource } from 'typeorm';
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

/**
 * Plain parameterised SQL on the app's own pool (the one TypeORM opened), for the statements
 * on every request's path: no query runner, no query building, the rows as node-postgres
 * parsed them. Everything else goes through TypeORM.
 *
 * Each statement is prepared once per connection (a named statement): PostgreSQL parses and
 * plans it once instead of on every request, and only the parameters cross the wire. A
 * prepared statement's result columns are fixed when it is first prepared, so these
 * statements name their columns (never `SELECT *` or `RETURNING *`): a migration that adds a
 * column does not break the instances still running.
 */
@Injectable()
export class Sql {
  private readonly pool: Pool;

  constructor(@InjectDataSource() dataSource: DataSource) {
    this.pool = (dataSource.driver as unknown as { master: Pool }).master;
  }

  async query<Row = Record<string, unknown>>(text: string, values: unknown[] = []): Promise<Row[]> {
    const name = nameOf(text);
    // Promise calls all the way: the request's async context (and so its Server-Timing db
    // figure) follows the query, which pool.query's callbacks would lose.
    const client = await this.pool.connect();
    try {
      const { rows } = await client.query(name ? { name, text, values } : { text, values });
      client.release();
      return rows as Row[];
    } catch (error) {
      // A statement the server refused leaves the connection usable; anything else (a lost
      // connection, a server shutting down, which answers before it hangs up) must not go back.
      client.release(isStatementRefused(error) ? undefined : error instanceof Error ? error : true);
      throw error;
    }
  }
}
