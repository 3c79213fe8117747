import { Injectable } from '@nestjs/common';
import { AuditTrail } from '../audit/audit-trail.js';
import { Clock } from '../common/clock.js';
import type { Principal } from '../auth/principal.js';
import { GatewayError, invalidParam } from '../common/errors.js';
import { isId, newId } from '../common/ids.js';
import { Page, decodeCursor, toPage } from '../common/pagination.js';
import { Sql } from '../database/sql.js';
import { MerchantResponse } from './dto/merchant.response.js';
import type { Merchant } from './merchant.entity.js';
import { INSERT_MERCHANT, MERCHANT_EXISTS, listMerchants, merchantFromRow } from './queries/merchants.queries.js';

@Injectable()
export class MerchantsService {
  constructor(
    private readonly sql: Sql,
    private readonly clock: Clock,
    private readonly audit: AuditTrail,
  ) {}

  async create(name: string): Promise<MerchantResponse> {
    const merchant: Merchant = { id: newId('merchant'), name, createdAt: this.clock.now() };
    await this.sql.transaction(async (tx) => {
      await tx.query(INSERT_MERCHANT, [merchant.id, merchant.name, merchant.createdAt]);
      await this.audit.record(tx, { action: 'merchant.create', target: { type: 'merchant', id: merchant.id }, merchantId: merchant.id, after: { name } });
    });
    return MerchantResponse.from(merchant);
  }

  async list(limit: number, cursor?: string): Promise<Page<MerchantResponse>> {
    const { text, values } = listMerchants(cursor ? decodeCursor(cursor) : undefined, limit + 1);
    const rows = (await this.sql.query(text, values)).map(merchantFromRow);
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
    const [row] = await this.sql.query<{ exists: boolean }>(MERCHANT_EXISTS, [id]);
    return row!.exists;
  }
}
