import { entityColumns, listedColumns, rowOf } from '../../database/entity-columns.js';
import { ApiKey } from '../api-key.entity.js';
import { API_KEY_COLUMNS, INSERT_API_KEY, apiKeyFromRow, type StoredApiKey } from './api-keys.queries.js';

const key: StoredApiKey = {
  id: 'key_01JQ0000000000000000000001',
  merchantId: 'mer_01JQ0000000000000000000001',
  role: 'merchant',
  prefix: 'sk_test_abcdefgh',
  livemode: false,
  createdAt: new Date('2026-01-01T00:00:01.001Z'),
  revokedAt: new Date('2026-01-01T00:00:02.002Z'),
};

describe('api-keys.queries', () => {
  const columns = entityColumns(ApiKey);

  it('lists every column of the entity but key_hash in API_KEY_COLUMNS, and every one in the insert', () => {
    expect(listedColumns(API_KEY_COLUMNS).sort()).toEqual([...columns.values()].filter((column) => column !== 'key_hash').sort());
    expect(listedColumns(/\(([^)]*)\)/.exec(INSERT_API_KEY)![1]!).sort()).toEqual([...columns.values()].sort());
  });

  it('reads every column it selects into its property (apiKeyFromRow)', () => {
    expect(Object.keys(key).sort()).toEqual([...columns.keys()].filter((property) => property !== 'keyHash').sort());
    expect(apiKeyFromRow(rowOf(ApiKey, key))).toEqual(key);
  });
});
