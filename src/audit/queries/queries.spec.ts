import { entityColumns, listedColumns, rowOf } from '../../database/entity-columns.js';
import { AuditEvent } from '../audit-event.entity.js';
import { AUDIT_EVENT_COLUMNS, INSERT_AUDIT_EVENT, auditEventFromRow, listAuditEvents } from './audit.queries.js';

const event: AuditEvent = {
  id: 'aud_01JQ0000000000000000000001',
  action: 'refund.create',
  actorType: 'api_key',
  actorId: 'key_01JQ0000000000000000000001',
  merchantId: 'mer_01JQ0000000000000000000001',
  targetType: 'refund',
  targetId: 're_01JQ0000000000000000000001',
  requestId: 'request-id',
  clientIp: '127.0.0.1',
  before: { status: 'a' },
  after: { status: 'b' },
  createdAt: new Date('2026-01-01T00:00:01.001Z'),
};

describe('audit.queries', () => {
  const columns = entityColumns(AuditEvent);

  it('lists every column of the entity in AUDIT_EVENT_COLUMNS and in the insert, and nothing else', () => {
    expect(listedColumns(AUDIT_EVENT_COLUMNS).sort()).toEqual([...columns.values()].sort());
    expect(listedColumns(/\(([^)]*)\)/.exec(INSERT_AUDIT_EVENT)![1]!).sort()).toEqual([...columns.values()].sort());
  });

  it('reads every column of a row into its property (auditEventFromRow)', () => {
    expect(Object.keys(event).sort()).toEqual([...columns.keys()].sort());
    expect(auditEventFromRow(rowOf(AuditEvent, event))).toEqual(event);
  });

  it('filters the list by the filters given only, values as parameters', () => {
    const cursor = { createdAt: new Date('2026-01-01T00:00:00.000Z'), id: 'aud_01JQ0000000000000000000002' };
    const { text, values } = listAuditEvents({ merchantId: 'mer_1', action: 'x', after: cursor, limit: 11 });
    expect(text).toMatch(/WHERE a\.merchant_id = \$1 AND a\.action = \$2 AND \(a\.created_at, a\.id\) < \(\$3, \$4\) ORDER BY .* LIMIT \$5$/);
    expect(values).toEqual(['mer_1', 'x', cursor.createdAt, cursor.id, 11]);
    expect(listAuditEvents({ limit: 2 }).text).not.toContain('WHERE');
  });
});
