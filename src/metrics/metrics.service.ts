import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Pool } from 'pg';
import { DataSource } from 'typeorm';
import { databasePool, reconcilerBacklog, registry, webhookQueueDepth } from './metrics.js';

@Injectable()
export class MetricsService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Reads the gauges that live in the database and the pool, then renders everything. */
  async render(): Promise<string> {
    const [counts] = (await this.dataSource.query(
      `SELECT (SELECT count(*) FROM payments WHERE next_check_at IS NOT NULL)::int
            + (SELECT count(*) FROM refunds WHERE next_check_at IS NOT NULL)::int AS backlog,
              (SELECT count(*) FROM webhook_deliveries WHERE status = 'pending')::int AS webhooks`,
    )) as { backlog: number; webhooks: number }[];
    reconcilerBacklog.set(counts!.backlog);
    webhookQueueDepth.set(counts!.webhooks);
    const pool = (this.dataSource.driver as unknown as { master?: Pool }).master;
    if (pool) {
      databasePool.set({ state: 'total' }, pool.totalCount);
      databasePool.set({ state: 'idle' }, pool.idleCount);
      databasePool.set({ state: 'waiting' }, pool.waitingCount);
    }
    return registry.metrics();
  }
}
