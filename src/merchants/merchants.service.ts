import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { Clock } from '../common/clock.js';
import { newId } from '../common/ids.js';
import { Page, decodeCursor, toPage } from '../common/pagination.js';
import { MerchantResponse } from './dto/merchant.response.js';
import { Merchant } from './merchant.entity.js';

@Injectable()
export class MerchantsService {
  constructor(
    @InjectRepository(Merchant) private readonly merchants: Repository<Merchant>,
    private readonly clock: Clock,
  ) {}

  async create(name: string): Promise<MerchantResponse> {
    const merchant: Merchant = { id: newId('merchant'), name, createdAt: this.clock.now() };
    await this.merchants.insert(merchant);
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

  async exists(id: string): Promise<boolean> {
    return this.merchants.exists({ where: { id } });
  }
}
