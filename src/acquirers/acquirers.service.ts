import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { QueryFailedError, Repository } from 'typeorm';
import { invalidParam, notFound } from '../common/errors.js';
import { newId } from '../common/ids.js';
import { decodeCursor, toPage, type Page } from '../common/pagination.js';
import { Clock } from '../common/clock.js';
import { AuditTrail } from '../audit/audit-trail.js';
import { AppConfig } from '../config/config.js';
import { MerchantsService } from '../merchants/merchants.service.js';
import { outboundUrlRefusal } from '../network/outbound-url-policy.js';
import { isActiveCurrency } from '../payments/rules/currency.js';
import { AcquirerHealthService } from './acquirer-health.service.js';
import { Acquirer, SIMULATOR_ACQUIRER_ID } from './acquirer.entity.js';
import { AcquirerResponse, type CreateAcquirerDto, type UpdateAcquirerDto } from './dto/acquirer.dto.js';
import type { RoutingDto } from './dto/routing.dto.js';
import { MerchantRouting } from './merchant-routing.entity.js';
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
    @InjectRepository(Acquirer) private readonly acquirers: Repository<Acquirer>,
    @InjectRepository(MerchantRouting) private readonly routings: Repository<MerchantRouting>,
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
      this.acquirers.manager.transaction(async (manager) => {
        await manager.insert(Acquirer, acquirer);
        await this.audit.record(manager, {
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
    const query = this.acquirers.createQueryBuilder('a').orderBy('a.created_at', 'DESC').addOrderBy('a.id', 'DESC');
    if (cursor) {
      const after = decodeCursor(cursor);
      query.where('(a.created_at, a.id) < (:createdAt, :id)', { createdAt: after.createdAt, id: after.id });
    }
    return toPage(await query.limit(limit + 1).getMany(), limit, (acquirer) => this.response(acquirer));
  }

  async get(id: string): Promise<AcquirerResponse> {
    return this.response(await this.find(id));
  }

  /** The simulator keeps its kind and has no URL or key: only its name, timeout and switch change. */
  async update(id: string, dto: UpdateAcquirerDto): Promise<AcquirerResponse> {
    const acquirer = await this.find(id);
    if (acquirer.kind === 'simulator') {
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
    await this.saving(() =>
      this.acquirers.manager.transaction(async (manager) => {
        await manager.update(Acquirer, { id }, changes);
        await this.audit.record(manager, {
          action: 'acquirer.update',
          target: { type: 'acquirer', id },
          merchantId: null,
          before: auditedFields(acquirer, changed),
          after: auditedFields({ ...acquirer, ...changes }, changed),
        });
      }),
    );
    this.routes.changed();
    return this.response({ ...acquirer, ...changes });
  }

  async routing(merchantId: string): Promise<Routing> {
    if (!(await this.merchants.exists(merchantId))) throw notFound('merchant');
    const routing = await this.routings.findOneBy({ merchantId });
    return routing ? { rules: routing.rules, default: routing.default } : IMPLICIT_ROUTING;
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
    const known = new Set((await this.acquirers.findBy(named.map(({ id }) => ({ id })))).map((acquirer) => acquirer.id));
    const unknown = named.find(({ id }) => !known.has(id));
    if (unknown) throw invalidParam(unknown.param, `No such acquirer: ${unknown.id}`);
    await this.routings.manager.transaction(async (manager) => {
      const before = await manager.findOne(MerchantRouting, { where: { merchantId }, lock: { mode: 'pessimistic_write' } });
      await manager.upsert(MerchantRouting, { merchantId, rules: routing.rules, default: routing.default, updatedAt: this.clock.now() }, ['merchantId']);
      await this.audit.record(manager, {
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
    const acquirer = await this.acquirers.findOneBy({ id });
    if (!acquirer) throw notFound('acquirer');
    return acquirer;
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

  private async saving(write: () => Promise<unknown>): Promise<void> {
    try {
      await write();
    } catch (error) {
      const driverError = (error as QueryFailedError & { driverError?: { constraint?: string } }).driverError;
      if (error instanceof QueryFailedError && driverError?.constraint === 'acquirers_name_idx') {
        throw invalidParam('name', 'An acquirer with this name exists already');
      }
      throw error;
    }
  }
}
