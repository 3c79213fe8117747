import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AppConfig } from '../config/config.js';
import { Sql } from '../database/sql.js';

/**
 * `proceed`: this request holds the key (`lease` tells it apart from a later holder). `token`
 * is to be recorded on what it creates; `reclaimed` says an earlier holder of the key may
 * have created it already.
 */
export type IdempotencyDecision =
  | { kind: 'proceed'; lease: Date | null; token: string | null; reclaimed: boolean }
  | { kind: 'replay'; status: number; body: string }
  | { kind: 'in_use' }
  | { kind: 'reused' };

interface KeyRow {
  claimed: boolean;
  lease: Date | null;
  fingerprint: string;
  status: string;
  response_status: number;
  response_body: string;
  expired: boolean;
}

/**
 * Idempotency keys in PostgreSQL: the primary key (scope, key) makes exactly one of any
 * number of concurrent requests, on any instance, the one that runs; a conditional UPDATE
 * makes exactly one of them the one that reclaims an abandoned key. Leases are measured on
 * the database's clock, the same for every instance.
 */
@Injectable()
export class IdempotencyService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly sql: Sql,
    private readonly config: AppConfig,
  ) {}

  /**
   * `leaseMs`: how long the key stays in flight before a retry may reclaim it; null for a
   * route whose effect a reclaim could not find, which then keeps its key until the purge.
   */
  async begin(scope: string, key: string, fingerprint: string, leaseMs: number | null): Promise<IdempotencyDecision> {
    // One statement claims the key or reads who holds it. The read sees the table as it was
    // before the statement, so a key that a concurrent request claimed and committed
    // meanwhile is neither inserted nor seen: ask again. So is a row that vanished since
    // (its request failed and freed the key).
    const token = leaseMs === null ? null : randomUUID();
    for (let attempt = 0; attempt < 3; attempt++) {
      const [row] = await this.sql.query<KeyRow>(
        `WITH claimed AS (
           INSERT INTO idempotency_keys (scope, key, fingerprint, status, token, lease_expires_at, created_at)
           VALUES ($1, $2, $3, 'in_flight', $4, now() + make_interval(secs => $5::double precision / 1000), now())
           ON CONFLICT (scope, key) DO NOTHING
           RETURNING lease_expires_at)
         SELECT true AS claimed, lease_expires_at AS lease, NULL AS fingerprint, NULL AS status, NULL::integer AS response_status,
                NULL AS response_body, false AS expired
           FROM claimed
         UNION ALL
         SELECT false, NULL, fingerprint, status, response_status, response_body, coalesce(lease_expires_at < now(), false)
           FROM idempotency_keys WHERE scope = $1 AND key = $2
         LIMIT 1`,
        [scope, key, fingerprint, token, leaseMs],
      );
      if (!row) continue;
      if (row.claimed) return { kind: 'proceed', lease: row.lease, token, reclaimed: false };
      if (row.fingerprint !== fingerprint) return { kind: 'reused' };
      if (row.status === 'completed') return { kind: 'replay', status: row.response_status, body: row.response_body };
      if (!row.expired || leaseMs === null) return { kind: 'in_use' };
      const reclaimed = await this.reclaim(scope, key, leaseMs);
      if (reclaimed) return { kind: 'proceed', ...reclaimed, reclaimed: true };
      // Another retry reclaimed it first, or its holder completed it after all: ask again.
    }
    return { kind: 'in_use' };
  }

  /**
   * Takes over a key whose lease has expired. Of any number of concurrent retries, the first
   * to lock the row renews the lease; the others, re-checking the condition on the renewed
   * row, match nothing.
   */
  private async reclaim(scope: string, key: string, leaseMs: number): Promise<{ lease: Date; token: string } | undefined> {
    const [row] = await this.sql.query<{ lease: Date; token: string }>(
      `UPDATE idempotency_keys SET lease_expires_at = now() + make_interval(secs => $3::double precision / 1000)
        WHERE scope = $1 AND key = $2 AND status = 'in_flight' AND lease_expires_at < now()
       RETURNING lease_expires_at AS lease, token`,
      [scope, key, leaseMs],
    );
    return row;
  }

  /** Stores the response, if this request still holds the key. */
  async complete(scope: string, key: string, lease: Date | null, status: number, body: string): Promise<void> {
    await this.sql.query(
      `UPDATE idempotency_keys SET status = 'completed', response_status = $4, response_body = $5
        WHERE scope = $1 AND key = $2 AND status = 'in_flight' AND lease_expires_at IS NOT DISTINCT FROM $3`,
      [scope, key, lease, status, body],
    );
  }

  /**
   * A request that failed (4xx or 5xx) is not kept: the key may be used again. Only its own
   * holder frees it: a request that outlived its lease leaves the key to whoever reclaimed it.
   */
  async abandon(scope: string, key: string, lease: Date | null): Promise<void> {
    await this.dataSource.query(
      `DELETE FROM idempotency_keys WHERE scope = $1 AND key = $2 AND status = 'in_flight' AND lease_expires_at IS NOT DISTINCT FROM $3`,
      [scope, key, lease],
    );
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
