import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { DataSource, Repository } from 'typeorm';
import { InjectDataSource } from '@nestjs/typeorm';
import { AuditTrail } from '../audit/audit-trail.js';
import type { ListQueryDto } from '../common/list-query.dto.js';
import { decodeCursor, toPage, type Page } from '../common/pagination.js';
import { AppConfig, hashApiKey } from '../config/config.js';
import { Clock } from '../common/clock.js';
import { notFound } from '../common/errors.js';
import { newId } from '../common/ids.js';
import { Sql } from '../database/sql.js';
import { MerchantsService } from '../merchants/merchants.service.js';
import { ApiKey } from './api-key.entity.js';
import { ApiKeyRevocations } from './api-key-revocations.js';
import type { ApiKeyCache } from './api-key-cache.js';
import { ApiKeyResponse, CreatedApiKeyResponse } from './dto/api-key.response.js';
import type { KeyMode } from './dto/issue-api-key.dto.js';
import type { Principal } from './principal.js';

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
    @InjectRepository(ApiKey) private readonly apiKeys: Repository<ApiKey>,
    private readonly merchants: MerchantsService,
    private readonly config: AppConfig,
    private readonly clock: Clock,
    private readonly sql: Sql,
    @InjectDataSource() private readonly dataSource: DataSource,
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
    const inserted = (await this.apiKeys.query(
      `INSERT INTO api_keys (id, merchant_id, role, prefix, key_hash, created_at)
       VALUES ($1, NULL, 'admin', $2, $3, $4)
       ON CONFLICT DO NOTHING
       RETURNING id`,
      [newId('apiKey'), prefix, hashApiKey(key), this.clock.now()],
    )) as unknown[];
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
    const [row] = await this.sql.query<{ id: string; role: string; merchant_id: string | null; livemode: boolean }>(
      'SELECT id, role, merchant_id, livemode FROM api_keys WHERE key_hash = $1 AND revoked_at IS NULL',
      [hash],
    );
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
    const row: ApiKey = {
      id: newId('apiKey'),
      merchantId,
      role: 'merchant',
      prefix,
      keyHash: hashApiKey(key),
      livemode: mode === 'live',
      createdAt: this.clock.now(),
      revokedAt: null,
    };
    await this.dataSource.transaction(async (manager) => {
      await manager.insert(ApiKey, row);
      await this.audit.record(manager, {
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
    const rows = (await this.dataSource.query(LIST_KEYS, [merchantId, after?.createdAt ?? null, after?.id ?? null, query.limit + 1])) as KeyRow[];
    return toPage(
      rows.map((row) => ({ ...row, createdAt: row.created_at })),
      query.limit,
      (row): ApiKeyResponse => ({
        id: row.id,
        object: 'api_key',
        merchant_id: row.merchant_id,
        prefix: row.prefix,
        livemode: row.livemode,
        created_at: row.created_at.toISOString(),
        revoked_at: row.revoked_at?.toISOString() ?? null,
      }),
    );
  }

  /**
   * Revoking twice is fine (and audited once); the generated admin key cannot be revoked
   * through the API. `merchantId`: only that merchant's keys (a merchant admin's).
   */
  async revoke(id: string, merchantId?: string): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      const [key] = (await manager.query(
        `SELECT merchant_id, prefix, revoked_at FROM api_keys WHERE id = $1 AND role = 'merchant' AND ($2::text IS NULL OR merchant_id = $2) FOR UPDATE`,
        [id, merchantId ?? null],
      )) as { merchant_id: string; prefix: string; revoked_at: Date | null }[];
      if (!key) throw notFound('API key');
      if (key.revoked_at) return;
      const now = this.clock.now();
      await manager.query(`UPDATE api_keys SET revoked_at = $2 WHERE id = $1`, [id, now]);
      await this.audit.record(manager, {
        action: 'api_key.revoke',
        target: { type: 'api_key', id },
        merchantId: key.merchant_id,
        before: { prefix: key.prefix, revoked_at: null },
        after: { prefix: key.prefix, revoked_at: now.toISOString() },
      });
    });
    // Every instance hears of it from the database; this one need not wait for that.
    this.cache.revokedKey(id);
  }
}

interface KeyRow {
  id: string;
  merchant_id: string;
  prefix: string;
  livemode: boolean;
  created_at: Date;
  revoked_at: Date | null;
}

const LIST_KEYS = `
  SELECT id, merchant_id, prefix, livemode, created_at, revoked_at FROM api_keys
   WHERE merchant_id = $1
     AND ($2::timestamptz IS NULL OR (created_at, id) < ($2, $3))
   ORDER BY created_at DESC, id DESC
   LIMIT $4`;

function toResponse(key: ApiKey): ApiKeyResponse {
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
