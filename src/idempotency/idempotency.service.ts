import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AppConfig } from '../config/config.js';
import { Sql } from '../database/sql.js';

export type IdempotencyDecision =
  | { kind: 'proceed' }
  | { kind: 'replay'; status: number; body: string }
  | { kind: 'in_use' }
  | { kind: 'reused' };

/**
 * Idempotency keys in PostgreSQL: the primary key (scope, key) makes exactly one of any
 * number of concurrent requests, on any instance, the one that runs.
 */
@Injectable()
export class IdempotencyService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly sql: Sql,
    private readonly config: AppConfig,
  ) {}

  async begin(scope: string, key: string, fingerprint: string): Promise<IdempotencyDecision> {
    // One statement claims the key or reads who holds it. The read sees the table as it was
    // before the statement, so a key that a concurrent request claimed and committed
    // meanwhile is neither inserted nor seen: ask again. So is a row that vanished since
    // (its request failed and freed the key).
    for (let attempt = 0; attempt < 3; attempt++) {
      const [row] = await this.sql.query<{ claimed: boolean; fingerprint: string; status: string; response_status: number; response_body: string }>(
        `WITH claimed AS (
           INSERT INTO idempotency_keys (scope, key, fingerprint, status, created_at)
           VALUES ($1, $2, $3, 'in_flight', now())
           ON CONFLICT (scope, key) DO NOTHING
           RETURNING key)
         SELECT true AS claimed, NULL AS fingerprint, NULL AS status, NULL::integer AS response_status, NULL AS response_body FROM claimed
         UNION ALL
         SELECT false, fingerprint, status, response_status, response_body FROM idempotency_keys WHERE scope = $1 AND key = $2
         LIMIT 1`,
        [scope, key, fingerprint],
      );
      if (!row) continue;
      if (row.claimed) return { kind: 'proceed' };
      if (row.fingerprint !== fingerprint) return { kind: 'reused' };
      if (row.status === 'in_flight') return { kind: 'in_use' };
      return { kind: 'replay', status: row.response_status, body: row.response_body };
    }
    return { kind: 'in_use' };
  }

  async complete(scope: string, key: string, status: number, body: string): Promise<void> {
    await this.sql.query(
      `UPDATE idempotency_keys SET status = 'completed', response_status = $3, response_body = $4
        WHERE scope = $1 AND key = $2 AND status = 'in_flight'`,
      [scope, key, status, body],
    );
  }

  /** A request that failed (4xx or 5xx) is not kept: the key may be used again. */
  async abandon(scope: string, key: string): Promise<void> {
    await this.dataSource.query(`DELETE FROM idempotency_keys WHERE scope = $1 AND key = $2 AND status = 'in_flight'`, [
      scope,
      key,
    ]);
  }

  /** Deletes keys older than IDEMPOTENCY_KEY_TTL, in batches; returns how many. */
  async purge(): Promise<number> {
    let total = 0;
    const runner = this.dataSource.createQueryRunner();
    try {
      for (;;) {
        const { records } = await runner.query(
        `DELETE FROM idempotency_keys
          WHERE (scope, key) IN (
            SELECT scope, key FROM idempotency_keys
             WHERE created_at < now() - make_interval(secs => $1::double precision / 1000)
             LIMIT 1000
               FOR UPDATE SKIP LOCKED)
        RETURNING key`,
          [this.config.idempotencyKeyTtlMs],
          true,
        );
        total += (records as unknown[]).length;
        if ((records as unknown[]).length < 1000) return total;
      }
    } finally {
      await runner.release();
    }
  }
}
