import { entityColumns, listedColumns, rowOf } from '../../database/entity-columns.js';
import { WebhookAttempt } from '../webhook-attempt.entity.js';
import { WebhookEndpoint } from '../webhook-endpoint.entity.js';
import { ATTEMPT_COLUMNS, ENDPOINT_COLUMNS, attemptFromRow, endpointFromRow, endpointRow, listDeliveries, listEndpoints } from './webhooks.queries.js';

const endpoint: WebhookEndpoint = {
  id: 'we_01JQ0000000000000000000001',
  merchantId: 'mer_01JQ0000000000000000000001',
  livemode: false,
  url: 'https://example.com/hook',
  events: ['payment.captured'],
  secret: 'whs_secret',
  status: 'disabled',
  disabledReason: '410 Gone',
  createdAt: new Date('2026-01-01T00:00:01.001Z'),
  deletedAt: new Date('2026-01-01T00:00:02.002Z'),
};

const attempt: WebhookAttempt = {
  id: '9007199254740993',
  deliveryId: 'whd_01JQ0000000000000000000001',
  attempt: 3,
  responseStatus: 500,
  durationMs: 12,
  error: 'error',
  responseBody: 'body',
  createdAt: new Date('2026-01-01T00:00:03.003Z'),
};

describe('webhooks.queries', () => {
  it('lists every column of each entity, and nothing else', () => {
    expect(listedColumns(ENDPOINT_COLUMNS).sort()).toEqual([...entityColumns(WebhookEndpoint).values()].sort());
    expect(listedColumns(ATTEMPT_COLUMNS).sort()).toEqual([...entityColumns(WebhookAttempt).values()].sort());
  });

  it('maps every property of an endpoint to its column and back (endpointRow in the order of ENDPOINT_COLUMNS, endpointFromRow)', () => {
    expect(Object.keys(endpoint).sort()).toEqual([...entityColumns(WebhookEndpoint).keys()].sort());
    const row = rowOf(WebhookEndpoint, endpoint);
    expect(endpointRow(endpoint)).toEqual(listedColumns(ENDPOINT_COLUMNS).map((column) => row[column]));
    expect(endpointFromRow(row)).toEqual(endpoint);
  });

  it('reads every column of an attempt row into its property (attemptFromRow)', () => {
    expect(Object.keys(attempt).sort()).toEqual([...entityColumns(WebhookAttempt).keys()].sort());
    expect(attemptFromRow(rowOf(WebhookAttempt, attempt))).toEqual(attempt);
  });

  it('filters lists by the filters given only, values as parameters', () => {
    expect(listEndpoints(undefined, false)).toEqual({ text: expect.stringMatching(/WHERE deleted_at IS NULL AND livemode = \$1 ORDER BY created_at, id$/), values: [false] });
    const { text, values } = listDeliveries({ endpointId: 'we_1', status: 'failed', limit: 3 });
    expect(text).toMatch(/WHERE d\.endpoint_id = \$1 AND d\.status = \$2 ORDER BY d\.created_at DESC, d\.id DESC LIMIT \$3$/);
    expect(values).toEqual(['we_1', 'failed', 3]);
  });
});
