import { entityColumns, listedColumns, rowOf } from '../../database/entity-columns.js';
import { User } from '../user.entity.js';
import { USER_COLUMNS, userFromRow, userRow } from './users.queries.js';

const user: User = {
  id: 'usr_01JQ0000000000000000000001',
  email: 'someone@example.com',
  name: 'name',
  role: 'merchant_viewer',
  merchantId: 'mer_01JQ0000000000000000000001',
  passwordHash: 'password-hash',
  disabled: true,
  lastLoginAt: new Date('2026-01-01T00:00:01.001Z'),
  createdAt: new Date('2026-01-01T00:00:02.002Z'),
  updatedAt: new Date('2026-01-01T00:00:03.003Z'),
};

describe('users.queries', () => {
  const columns = entityColumns(User);

  it('lists every column of the entity in USER_COLUMNS, and nothing else', () => {
    expect(listedColumns(USER_COLUMNS).sort()).toEqual([...columns.values()].sort());
  });

  it('reads every column of a row into its property (userFromRow)', () => {
    expect(Object.keys(user).sort()).toEqual([...columns.keys()].sort());
    expect(userFromRow(rowOf(User, user))).toEqual(user);
  });

  it('gives INSERT_USER each property in the order of USER_COLUMNS (userRow)', () => {
    const row = rowOf(User, user);
    expect(userRow(user)).toEqual(listedColumns(USER_COLUMNS).map((column) => row[column]));
  });
});
