import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { AuditTrail } from '../audit/audit-trail.js';
import type { ListQueryDto } from '../common/list-query.dto.js';
import { decodeCursor, toPage, type Page } from '../common/pagination.js';
import { AppConfig, hashApiKey } from '../config/config.js';
import { Clock } from '../common/clock.js';
import { notFound } from '../common/errors.js';
import { newId } from '../common/ids.js';
import { Sql } from '../database/sql.js';
import { MerchantsService } from '../merchants/merchants.service.js';
import { ApiKeyRevocations } from './api-key-revocations.js';
import type { ApiKeyCache } from './api-key-cache.js';
import { ApiKeyResponse, CreatedApiKeyResponse } from './dto/api-key.response.js';
import type { KeyMode } from './dto/issue-api-key.dto.js';
import type { Principal } from './principal.js';
import {
  INSERT_API_KEY,
  INSERT_GENERATED_ADMIN_KEY,
  KEY_BY_HASH,
  MERCHANT_KEY_FOR_UPDATE,
  REVOKE_KEY,
  apiKeyFromRow,
  listKeys,
  type StoredApiKey,
} from './queries/api-keys.queries.js';

/** How much of the random part `prefix` shows. */
const RANDOM_SHOWN = 8;

/**
 * `sk_test_…` or `sk_live_…` for a merchant key, `sk_…` for the generated admin key (which has
 * no mode), then 192 random bits; and the prefix kept to tell keys apart, its mode included.
 */
function generateKey(mode?: KeyMode): { key: string; prefix: string } {
  const head = mode === undefined ? 'sk_' : `sk_${mode}_`;
  const random = randomBytes(24).toString('base64url');
  return { key: head + random, prefix: head + random.slice(0, RANDOM_SHOWN) };
}

@Injectable()
export class ApiKeysService implements OnApplicationBootstrap {
  private readonly logger = new Logger('ApiKeys');
  private readonly adminKeyHash: Buffer | undefined;
  private readonly cache: ApiKeyCache;

  constructor(
    private readonly merchants: MerchantsService,
    private readonly config: AppConfig,
    private readonly clock: Clock,
    private readonly sql: Sql,
    private readonly audit: AuditTrail,
    revocations: ApiKeyRevocations,
  ) {
    this.cache = revocations.cache;
    this.adminKeyHash = config.adminApiKeyHash ? Buffer.from(config.adminApiKeyHash, 'hex') : undefined;
  }

  /** Without ADMIN_API_KEY, the first instance to start makes an admin key and prints it once. */
  async onApplicationBootstrap(): Promise<void> {
    if (this.adminKeyHash) return;
    const { key, prefix } = generateKey();
    // The unique index on the admin role lets exactly one of several starting instances win.
    const inserted = await this.sql.query(INSERT_GENERATED_ADMIN_KEY, [newId('apiKey'), prefix, hashApiKey(key), this.clock.now()]);
    if (inserted.length > 0) {
      this.logger.warn(
        `No ADMIN_API_KEY is set, so an admin key was generated. It is shown this once; only its hash is kept:\n\n    ${key}\n`,
      );
    }
  }

  /** Who the key stands for when that is known without the database (the admin key, a cached key). */
  fromMemory(key: string): Principal | undefined {
    const hash = hashApiKey(key);
    if (this.adminKeyHash && timingSafeEqual(this.adminKeyHash, Buffer.from(hash, 'hex'))) {
      return { role: 'admin', keyId: null };
    }
    return this.cache.get(hash);
  }

  async authenticate(key: string): Promise<Principal | undefined> {
    const known = this.fromMemory(key);
    if (known) return known;
    const hash = hashApiKey(key);
    const generation = this.cache.generation;
    const principal = await this.lookUp(hash);
    if (principal) this.cache.set(hash, principal, generation);
    return principal;
  }

  private async lookUp(hash: string): Promise<Principal | undefined> {
    const [row] = await this.sql.query<{ id: string; role: string; merchant_id: string | null; livemode: boolean }>(KEY_BY_HASH, [hash]);
    if (!row) return undefined;
    if (row.role === 'admin') {
      // A configured ADMIN_API_KEY supersedes the generated one.
      return this.adminKeyHash ? undefined : { role: 'admin', keyId: row.id };
    }
    return { role: 'merchant', keyId: row.id, merchantId: row.merchant_id!, livemode: row.livemode };
  }

  /** A live key unless `mode` says test. */
  async issue(merchantId: string, mode: KeyMode = 'live'): Promise<CreatedApiKeyResponse> {
    if (!(await this.merchants.exists(merchantId))) throw notFound('merchant');
    const { key, prefix } = generateKey(mode);
    const row: StoredApiKey = {
      id: newId('apiKey'),
      merchantId,
      role: 'merchant',
      prefix,
      livemode: mode === 'live',
      createdAt: this.clock.now(),
      revokedAt: null,
    };
    await this.sql.transaction(async (tx) => {
      await tx.query(INSERT_API_KEY, [row.id, row.merchantId, row.role, row.prefix, hashApiKey(key), row.livemode, row.createdAt, row.revokedAt]);
      await this.audit.record(tx, {
        action: 'api_key.issue',
        target: { type: 'api_key', id: row.id },
        merchantId,
        after: { prefix, livemode: row.livemode },
      });
    });
    return { ...toResponse(row), key };
  }

  async listOfMerchant(merchantId: string, query: ListQueryDto): Promise<Page<ApiKeyResponse>> {
    if (!(await this.merchants.exists(merchantId))) throw notFound('merchant');
    return this.list(merchantId, query);
  }

  /** A merchant's keys, newest first, revoked ones included (never a key or its hash). */
  async list(merchantId: string, query: ListQueryDto): Promise<Page<ApiKeyResponse>> {
    const after = query.cursor === undefined ? undefined : decodeCursor(query.cursor);
    const { text, values } = listKeys(merchantId, after, query.limit + 1);
    return toPage((await this.sql.query(text, values)).map(apiKeyFromRow), query.limit, toResponse);
  }

  /**
   * Revoking twice is fine (and audited once); the generated admin key cannot be revoked
   * through the API. `merchantId`: only that merchant's keys (a merchant admin's).
   */
  async revoke(id: string, merchantId?: string): Promise<void> {
    await this.sql.transaction(async (tx) => {
      const [row] = await tx.query(MERCHANT_KEY_FOR_UPDATE, [id, merchantId ?? null]);
      if (!row) throw notFound('API key');
      const key = apiKeyFromRow(row);
      if (key.revokedAt) return;
      const now = this.clock.now();
      await tx.query(REVOKE_KEY, [id, now]);
      await this.audit.record(tx, {
        action: 'api_key.revoke',
        target: { type: 'api_key', id },
        merchantId: key.merchantId,
        before: { prefix: key.prefix, revoked_at: null },
        after: { prefix: key.prefix, revoked_at: now.toISOString() },
      });
    });
    // Every instance hears of it from the database; this one need not wait for that.
    this.cache.revokedKey(id);
  }
}

function toResponse(key: StoredApiKey): ApiKeyResponse {
  return {
    id: key.id,
    object: 'api_key',
    merchant_id: key.merchantId!,
    prefix: key.prefix,
    livemode: key.livemode,
    created_at: key.createdAt.toISOString(),
    revoked_at: key.revokedAt?.toISOString() ?? null,
  };
}
