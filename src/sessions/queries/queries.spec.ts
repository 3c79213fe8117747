import { entityColumns, listedColumns, rowOf } from '../../database/entity-columns.js';
import { Session, SignInFailure } from '../session.entity.js';
import { INSERT_SIGN_IN_FAILURE, SESSION_COLUMNS, SIGN_IN_FAILURE_COLUMNS, sessionFromRow, sessionRow } from './sessions.queries.js';

const session: Session = {
  id: 'ses_01JQ0000000000000000000001',
  userId: 'usr_01JQ0000000000000000000001',
  tokenHash: 'token-hash',
  csrfToken: 'csrf-token',
  clientIp: '127.0.0.1',
  createdAt: new Date('2026-01-01T00:00:01.001Z'),
  lastSeenAt: new Date('2026-01-01T00:00:02.002Z'),
  expiresAt: new Date('2026-01-01T00:00:03.003Z'),
  endedAt: new Date('2026-01-01T00:00:04.004Z'),
};

describe('sessions.queries', () => {
  it('lists every column of each entity, and nothing else', () => {
    expect(listedColumns(SESSION_COLUMNS).sort()).toEqual([...entityColumns(Session).values()].sort());
    expect(listedColumns(SIGN_IN_FAILURE_COLUMNS).sort()).toEqual([...entityColumns(SignInFailure).values()].sort());
    expect(INSERT_SIGN_IN_FAILURE).toContain(`(${SIGN_IN_FAILURE_COLUMNS})`);
  });

  it('maps every property to its column and back (sessionRow in the order of SESSION_COLUMNS, sessionFromRow)', () => {
    expect(Object.keys(session).sort()).toEqual([...entityColumns(Session).keys()].sort());
    const row = rowOf(Session, session);
    expect(sessionRow(session)).toEqual(listedColumns(SESSION_COLUMNS).map((column) => row[column]));
    expect(sessionFromRow(row)).toEqual(session);
  });
});
