import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { AuditTrail } from '../audit/audit-trail.js';
import { Clock } from '../common/clock.js';
import type { Principal } from '../auth/principal.js';
import { GatewayError, invalidParam } from '../common/errors.js';
import { isId, newId } from '../common/ids.js';
import { Page, decodeCursor, toPage } from '../common/pagination.js';
import { MerchantResponse } from './dto/merchant.response.js';
import { Merchant } from './merchant.entity.js';

@Injectable()
export class MerchantsService {
  constructor(
    @InjectRepository(Merchant) private readonly merchants: Repository<Merchant>,
    private readonly clock: Clock,
    private readonly audit: AuditTrail,
  ) {}

  async create(name: string): Promise<MerchantResponse> {
    const merchant: Merchant = { id: newId('merchant'), name, createdAt: this.clock.now() };
    await this.merchants.manager.transaction(async (manager) => {
      await manager.insert(Merchant, merchant);
      await this.audit.record(manager, { action: 'merchant.create', target: { type: 'merchant', id: merchant.id }, merchantId: merchant.id, after: { name } });
    });
    return MerchantResponse.from(merchant);
  }

  async list(limit: number, cursor?: string): Promise<Page<MerchantResponse>> {
    const query = this.merchants.createQueryBuilder('m').orderBy('m.created_at', 'DESC').addOrderBy('m.id', 'DESC');
    if (cursor) {
      const after = decodeCursor(cursor);
      query.where('(m.created_at, m.id) < (:createdAt, :id)', { createdAt: after.createdAt, id: after.id });
    }
    const rows = await query.limit(limit + 1).getMany();
    return toPage(rows, limit, MerchantResponse.from);
  }

  /**
   * The merchant a new object belongs to: a merchant key's own merchant (naming one is an
   * unknown parameter), or the existing merchant the admin key must name.
   */
  async resolveOwner(principal: Principal, requested: string | undefined): Promise<string> {
    if (principal.role === 'merchant') {
      if (requested !== undefined) throw new GatewayError('parameter_unknown', 'Unknown parameter: merchant_id', 'merchant_id');
      return principal.merchantId;
    }
    if (requested === undefined) throw new GatewayError('parameter_missing', 'The admin key must name merchant_id', 'merchant_id');
    if (!isId('merchant', requested) || !(await this.exists(requested))) {
      throw invalidParam('merchant_id', `No such merchant: ${requested}`);
    }
    return requested;
  }

  async exists(id: string): Promise<boolean> {
    return this.merchants.exists({ where: { id } });
  }
}
