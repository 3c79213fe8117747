import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Pool } from 'pg';
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
    return (await this.pool.query(text, parameters)).rows as Row[];
  }
}
