import { entityColumns, listedColumns, rowOf } from '../../database/entity-columns.js';
import { Merchant } from '../merchant.entity.js';
import { MERCHANT_COLUMNS, merchantFromRow } from './merchants.queries.js';

describe('merchants.queries', () => {
  const columns = entityColumns(Merchant);

  it('lists every column of the entity in MERCHANT_COLUMNS, and nothing else', () => {
    expect(listedColumns(MERCHANT_COLUMNS).sort()).toEqual([...columns.values()].sort());
  });

  it('reads every column of a row into its property (merchantFromRow)', () => {
    const merchant: Merchant = { id: 'mer_01JQ0000000000000000000001', name: 'name', createdAt: new Date('2026-01-01T00:00:01.001Z') };
    expect(Object.keys(merchant).sort()).toEqual([...columns.keys()].sort());
    expect(merchantFromRow(rowOf(Merchant, merchant))).toEqual(merchant);
  });
});
