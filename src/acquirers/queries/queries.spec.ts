import { entityColumns, listedColumns, rowOf } from '../../database/entity-columns.js';
import { Acquirer } from '../acquirer.entity.js';
import { MerchantRouting } from '../merchant-routing.entity.js';
import { ACQUIRER_COLUMNS, ROUTING_COLUMNS, acquirerFromRow, routingFromRow } from './acquirers.queries.js';

const unquoted = (list: string) => listedColumns(list).map((column) => column.replace(/"/g, ''));

describe('acquirers.queries', () => {
  it('lists every column of each entity, and nothing else', () => {
    expect(unquoted(ACQUIRER_COLUMNS).sort()).toEqual([...entityColumns(Acquirer).values()].sort());
    expect(unquoted(ROUTING_COLUMNS).sort()).toEqual([...entityColumns(MerchantRouting).values()].sort());
  });

  it('reads every column of an acquirer row into its property (acquirerFromRow)', () => {
    const acquirer: Acquirer = {
      id: 'acq_01JQ0000000000000000000001',
      name: 'name',
      kind: 'http',
      baseUrl: 'http://127.0.0.1:1',
      apiKey: 'api-key',
      timeoutMs: 1001,
      enabled: false,
      createdAt: new Date('2026-01-01T00:00:01.001Z'),
      updatedAt: new Date('2026-01-01T00:00:02.002Z'),
    };
    expect(Object.keys(acquirer).sort()).toEqual([...entityColumns(Acquirer).keys()].sort());
    expect(acquirerFromRow(rowOf(Acquirer, acquirer))).toEqual(acquirer);
  });

  it('reads every column of a routing row into its property (routingFromRow)', () => {
    const routing: MerchantRouting = {
      merchantId: 'mer_01JQ0000000000000000000001',
      rules: [{ currency: ['EUR'], acquirers: ['acq_01JQ0000000000000000000001'] }],
      default: ['acq_01JQ0000000000000000000002'],
      updatedAt: new Date('2026-01-01T00:00:01.001Z'),
    };
    expect(Object.keys(routing).sort()).toEqual([...entityColumns(MerchantRouting).keys()].sort());
    expect(routingFromRow(rowOf(MerchantRouting, routing))).toEqual(routing);
  });
});
