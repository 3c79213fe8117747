import { Injectable } from '@nestjs/common';
import { invalidParam, notFound } from '../common/errors.js';
import { newId } from '../common/ids.js';
import { decodeCursor, toPage, type Page } from '../common/pagination.js';
import { Clock } from '../common/clock.js';
import { AuditTrail } from '../audit/audit-trail.js';
import { AppConfig } from '../config/config.js';
import { isUniqueViolation } from '../database/database-errors.js';
import { Sql } from '../database/sql.js';
import { MerchantsService } from '../merchants/merchants.service.js';
import { outboundUrlRefusal } from '../network/outbound-url-policy.js';
import { isActiveCurrency } from '../payments/rules/currency.js';
import { AcquirerHealthService } from './acquirer-health.service.js';
import { Acquirer, SIMULATOR_ACQUIRER_ID } from './acquirer.entity.js';
import { AcquirerResponse, type CreateAcquirerDto, type UpdateAcquirerDto } from './dto/acquirer.dto.js';
import type { RoutingDto } from './dto/routing.dto.js';
import {
  ACQUIRER_BY_ID,
  ACQUIRER_BY_ID_FOR_UPDATE,
  EXISTING_ACQUIRER_IDS,
  INSERT_ACQUIRER,
  ROUTING_OF_MERCHANT,
  ROUTING_OF_MERCHANT_FOR_UPDATE,
  UPDATE_ACQUIRER,
  UPSERT_ROUTING,
  acquirerFromRow,
  listAcquirers,
  routingFromRow,
} from './queries/acquirers.queries.js';
import { Routes } from './routes.js';
import { namedAcquirers, type Routing } from './rules/routing.js';

const DEFAULT_TIMEOUT_MS = 2000;
/** A name lookup of a base URL being saved waits at most this long. */
const RESOLVE_TIMEOUT_MS = 5000;

/** A merchant without routing: everything to the simulator. */
export const IMPLICIT_ROUTING: Routing = { rules: [], default: [SIMULATOR_ACQUIRER_ID] };

const SNAKE: Partial<Record<keyof Acquirer, string>> = { baseUrl: 'base_url', apiKey: 'api_key', timeoutMs: 'timeout_ms' };

/** An acquirer's fields for the audit trail, as the API names them; its key only as "changed". */
function auditedFields(acquirer: Acquirer, fields: (keyof Acquirer)[]): Record<string, unknown> {
  return Object.fromEntries(fields.map((field) => [SNAKE[field] ?? field, field === 'apiKey' ? '(secret)' : acquirer[field]]));
}

@Injectable()
export class AcquirersService {
  constructor(
    private readonly sql: Sql,
    private readonly merchants: MerchantsService,
    private readonly health: AcquirerHealthService,
    private readonly config: AppConfig,
    private readonly clock: Clock,
    private readonly audit: AuditTrail,
    private readonly routes: Routes,
  ) {}

  async create(dto: CreateAcquirerDto): Promise<AcquirerResponse> {
    await this.assertAcceptableUrl(dto.base_url);
    const now = this.clock.now();
    const acquirer: Acquirer = {
      id: newId('acquirer'),
      name: dto.name,
      kind: 'http',
      baseUrl: dto.base_url,
      apiKey: dto.api_key,
      timeoutMs: dto.timeout_ms ?? DEFAULT_TIMEOUT_MS,
      enabled: true,
      createdAt: now,
      updatedAt: now,
    };
    await this.saving(() =>
      this.sql.transaction(async (tx) => {
        await tx.query(INSERT_ACQUIRER, [
          acquirer.id,
          acquirer.name,
          acquirer.kind,
          acquirer.baseUrl,
          acquirer.apiKey,
          acquirer.timeoutMs,
          acquirer.enabled,
          acquirer.createdAt,
          acquirer.updatedAt,
        ]);
        await this.audit.record(tx, {
          action: 'acquirer.create',
          target: { type: 'acquirer', id: acquirer.id },
          merchantId: null,
          after: auditedFields(acquirer, ['name', 'baseUrl', 'timeoutMs', 'enabled']),
        });
      }),
    );
    this.routes.changed();
    return this.response(acquirer);
  }

  async list(limit: number, cursor?: string): Promise<Page<AcquirerResponse>> {
    const { text, values } = listAcquirers(cursor ? decodeCursor(cursor) : undefined, limit + 1);
    return toPage((await this.sql.query(text, values)).map(acquirerFromRow), limit, (acquirer) => this.response(acquirer));
  }

  async get(id: string): Promise<AcquirerResponse> {
    return this.response(await this.find(id));
  }

  /** The simulator keeps its kind and has no URL or key: only its name, timeout and switch change. */
  async update(id: string, dto: UpdateAcquirerDto): Promise<AcquirerResponse> {
    const { kind } = await this.find(id);
    if (kind === 'simulator') {
      for (const field of ['base_url', 'api_key'] as const) {
        if (dto[field] !== undefined) throw invalidParam(field, `The simulator has no ${field}`);
      }
    }
    if (dto.base_url !== undefined) await this.assertAcceptableUrl(dto.base_url);
    const changes: Partial<Acquirer> = {
      ...(dto.name !== undefined && { name: dto.name }),
      ...(dto.base_url !== undefined && { baseUrl: dto.base_url }),
      ...(dto.api_key !== undefined && { apiKey: dto.api_key }),
      ...(dto.timeout_ms !== undefined && { timeoutMs: dto.timeout_ms }),
      ...(dto.enabled !== undefined && { enabled: dto.enabled }),
      updatedAt: this.clock.now(),
    };
    const changed = (Object.keys(changes) as (keyof Acquirer)[]).filter((field) => field !== 'updatedAt');
    // Locked, then written whole: a concurrent change of other fields is kept, not overwritten.
    const updated = await this.saving(() =>
      this.sql.transaction(async (tx) => {
        const [row] = await tx.query(ACQUIRER_BY_ID_FOR_UPDATE, [id]);
        if (!row) throw notFound('acquirer');
        const before = acquirerFromRow(row);
        const after = { ...before, ...changes };
        await tx.query(UPDATE_ACQUIRER, [id, after.name, after.baseUrl, after.apiKey, after.timeoutMs, after.enabled, after.updatedAt]);
        await this.audit.record(tx, {
          action: 'acquirer.update',
          target: { type: 'acquirer', id },
          merchantId: null,
          before: auditedFields(before, changed),
          after: auditedFields(after, changed),
        });
        return after;
      }),
    );
    this.routes.changed();
    return this.response(updated);
  }

  async routing(merchantId: string): Promise<Routing> {
    if (!(await this.merchants.exists(merchantId))) throw notFound('merchant');
    const [row] = await this.sql.query(ROUTING_OF_MERCHANT, [merchantId]);
    if (!row) return IMPLICIT_ROUTING;
    const routing = routingFromRow(row);
    return { rules: routing.rules, default: routing.default };
  }

  /** Checked whole before it is saved: a routing that names no acquirer it can reach never reaches a payment. */
  async setRouting(merchantId: string, dto: RoutingDto): Promise<Routing> {
    if (!(await this.merchants.exists(merchantId))) throw notFound('merchant');
    const routing: Routing = { rules: dto.rules.map((rule) => ({ ...rule })), default: dto.default };
    routing.rules.forEach((rule, r) => {
      rule.currency?.forEach((code, c) => {
        if (!isActiveCurrency(code)) throw invalidParam(`rules[${r}].currency[${c}]`, `Not an ISO 4217 currency: ${code}`);
      });
      if (rule.amount_gte !== undefined && rule.amount_lt !== undefined && rule.amount_gte >= rule.amount_lt) {
        throw invalidParam(`rules[${r}].amount_lt`, 'amount_lt must be above amount_gte');
      }
    });
    const named = namedAcquirers(routing);
    const known = new Set((await this.sql.query<{ id: string }>(EXISTING_ACQUIRER_IDS, [named.map(({ id }) => id)])).map(({ id }) => id));
    const unknown = named.find(({ id }) => !known.has(id));
    if (unknown) throw invalidParam(unknown.param, `No such acquirer: ${unknown.id}`);
    await this.sql.transaction(async (tx) => {
      const [row] = await tx.query(ROUTING_OF_MERCHANT_FOR_UPDATE, [merchantId]);
      const before = row && routingFromRow(row);
      await tx.query(UPSERT_ROUTING, [merchantId, JSON.stringify(routing.rules), JSON.stringify(routing.default), this.clock.now()]);
      await this.audit.record(tx, {
        action: 'routing.update',
        target: { type: 'merchant', id: merchantId },
        merchantId,
        before: before ? { rules: before.rules, default: before.default } : null,
        after: { rules: routing.rules, default: routing.default },
      });
    });
    this.routes.changed(merchantId);
    return routing;
  }

  private async find(id: string): Promise<Acquirer> {
    const [row] = await this.sql.query(ACQUIRER_BY_ID, [id]);
    if (!row) throw notFound('acquirer');
    return acquirerFromRow(row);
  }

  private response(acquirer: Acquirer): AcquirerResponse {
    return AcquirerResponse.from(acquirer, this.health.view(acquirer.id));
  }

  private async assertAcceptableUrl(url: string): Promise<void> {
    const refusal = await outboundUrlRefusal(url, {
      allowHttp: this.config.acquirersAllowHttp,
      allowPrivate: this.config.acquirersAllowPrivate,
      resolveTimeoutMs: RESOLVE_TIMEOUT_MS,
    });
    if (refusal) throw invalidParam('base_url', refusal.replace(/^url\b/, 'base_url'));
  }

  private async saving<T>(write: () => Promise<T>): Promise<T> {
    try {
      return await write();
    } catch (error) {
      if (isUniqueViolation(error, 'acquirers_name_idx')) {
        throw invalidParam('name', 'An acquirer with this name exists already');
      }
      throw error;
    }
  }
}
