import { Injectable } from '@nestjs/common';
import { Sql } from '../database/sql.js';
import { databasePool, reconcilerBacklog, registry, webhookQueueDepth } from './metrics.js';
import { QUEUE_DEPTHS } from './queries/metrics.queries.js';

@Injectable()
export class MetricsService {
  constructor(private readonly sql: Sql) {}

  /** Reads the gauges that live in the database and the pool, then renders everything. */
  async render(): Promise<string> {
    const [counts] = await this.sql.query<{ backlog: number; webhooks: number }>(QUEUE_DEPTHS);
    reconcilerBacklog.set(counts!.backlog);
    webhookQueueDepth.set(counts!.webhooks);
    const pool = this.sql.poolCounts();
    databasePool.set({ state: 'total' }, pool.total);
    databasePool.set({ state: 'idle' }, pool.idle);
    databasePool.set({ state: 'waiting' }, pool.waiting);
    return registry.metrics();
  }
}
