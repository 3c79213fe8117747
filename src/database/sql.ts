import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import pg, { type Pool } from 'pg';
import { DataSource } from 'typeorm';

/**
 * Plain parameterised SQL on the app's own pool (the one TypeORM opened), for the statements
 * on every request's path: no query runner, no query building, the rows as node-postgres
 * parsed them. Everything else goes through TypeORM.
 */
@Injectable()
export class Sql {
  private readonly pool: Pool;

  constructor(@InjectDataSource() dataSource: DataSource) {
    this.pool = (dataSource.driver as unknown as { master: Pool }).master;
  }

  async query<Row = Record<string, unknown>>(text: string, parameters: unknown[] = []): Promise<Row[]> {
    // Promise calls all the way: the request's async context (and so its Server-Timing db
    // figure) follows the query, which pool.query's callbacks would lose.
    const client = await this.pool.connect();
    try {
      const { rows } = await client.query(text, parameters);
      client.release();
      return rows as Row[];
    } catch (error) {
      // An error the server answered leaves the connection usable; any other must not go back.
      client.release(error instanceof pg.DatabaseError ? undefined : error instanceof Error ? error : true);
      throw error;
    }
  }
}
