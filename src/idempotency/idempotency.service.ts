import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { AppConfig } from '../config/config.js';
import { GroupCommit } from '../database/group-commit.js';
import { Sql } from '../database/sql.js';
import { ABANDON_KEY, CLAIM_KEYS, COMPLETE_KEYS, PURGE_BATCH, PURGE_KEYS, RECLAIM_KEY } from './queries/idempotency.queries.js';

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

/** A claim as CLAIM_KEYS reads it. */
interface ClaimItem {
  scope: string;
  key: string;
  fingerprint: string;
  token: string | null;
  lease_ms: number | null;
}

/** A response to store, as COMPLETE_KEYS reads it. */
interface CompletionItem {
  scope: string;
  key: string;
  lease: string | null;
  response_status: number;
  response_body: string;
}

interface KeyRow {
  claimed: boolean;
  lease: Date | null;
  found: boolean;
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
 * the database's clock, the same for every instance. A claim and a stored response are the
 * create path's writes too: concurrent ones go together, one statement and one commit
 * (`GroupCommit`), each committed before its request goes on.
 */
@Injectable()
export class IdempotencyService {
  private readonly claims = new GroupCommit<ClaimItem, KeyRow | undefined>(async (items) => {
    const rows = await this.sql.query<KeyRow>(CLAIM_KEYS, [JSON.stringify(items)]);
    return rows.map((row) => (row.claimed || row.found ? row : undefined));
  });

  private readonly completions = new GroupCommit<CompletionItem, void>(async (items) => {
    await this.sql.query(COMPLETE_KEYS, [JSON.stringify(items)]);
    return items.map(() => undefined);
  });

  constructor(
    private readonly sql: Sql,
    private readonly config: AppConfig,
  ) {}

  /**
   * `leaseMs`: how long the key stays in flight before a retry may reclaim it; null for a
   * route whose effect a reclaim could not find, which then keeps its key until the purge.
   */
  async begin(scope: string, key: string, fingerprint: string, leaseMs: number | null): Promise<IdempotencyDecision> {
    // One statement claims the key or reads who holds it (CLAIM_KEYS). No row: a concurrent
    // request claimed it meanwhile, or its row vanished since (its request failed and freed
    // the key): ask again.
    const token = leaseMs === null ? null : randomUUID();
    for (let attempt = 0; attempt < 3; attempt++) {
      const row = await this.claims.run({ scope, key, fingerprint, token, lease_ms: leaseMs });
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
    const [row] = await this.sql.query<{ lease: Date; token: string }>(RECLAIM_KEY, [scope, key, leaseMs]);
    return row;
  }

  /** Stores the response, if this request still holds the key. */
  async complete(scope: string, key: string, lease: Date | null, status: number, body: string): Promise<void> {
    await this.completions.run({ scope, key, lease: lease?.toISOString() ?? null, response_status: status, response_body: body });
  }

  /**
   * A request that failed (4xx or 5xx) is not kept: the key may be used again. Only its own
   * holder frees it: a request that outlived its lease leaves the key to whoever reclaimed it.
   */
  async abandon(scope: string, key: string, lease: Date | null): Promise<void> {
    await this.sql.query(ABANDON_KEY, [scope, key, lease]);
  }

  /** Deletes keys older than IDEMPOTENCY_KEY_TTL, in batches; returns how many. */
  async purge(): Promise<number> {
    let total = 0;
    for (;;) {
      const deleted = (await this.sql.query(PURGE_KEYS, [this.config.idempotencyKeyTtlMs])).length;
      total += deleted;
      if (deleted < PURGE_BATCH) return total;
    }
  }
}
