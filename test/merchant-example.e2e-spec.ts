import { runDemo } from '../examples/merchant/demo.js';
import { call, kill, startReady, type AppProcess } from './support/processes.js';

const ADMIN_KEY = 'example-admin-key-0123456789abcdef';

/**
 * examples/merchant, as a merchant would run it: against the real app (`node dist/src/main.js`)
 * over HTTP, its client typed from the committed OpenAPI document, its webhook receiver
 * verifying real signed deliveries.
 */
describe('The merchant example (e2e)', () => {
  let app: AppProcess;

  beforeAll(async () => {
    app = await startReady({ DATABASE_URL: process.env.DATABASE_URL, ADMIN_API_KEY: ADMIN_KEY, WEBHOOK_WORKER_INTERVAL_MS: '100' });
  });
  afterAll(() => kill(app));

  it('charges once despite a retried checkout, refunds, and verifies the webhooks it receives', async () => {
    const merchant = await call<{ id: string }>(app.base, 'POST', '/v1/admin/merchants', ADMIN_KEY, { name: 'Example shop' });
    const key = await call<{ key: string }>(app.base, 'POST', `/v1/admin/merchants/${merchant.body.id}/api-keys`, ADMIN_KEY, { mode: 'test' });
    expect(key.status).toBe(201);
    const lines: string[] = [];

    const result = await runDemo({ gatewayUrl: app.base, apiKey: key.body.key, log: (line) => lines.push(line) });

    expect(result.retryReplayed).toBe(true);
    expect(result.events).toEqual(expect.arrayContaining(['payment.captured', 'refund.succeeded']));
    expect(result.forgedWebhookStatus).toBe(400);
    // What the gateway holds: one payment for the order, 1000 of its 2500 refunded.
    const payments = await call<{ data: { id: string; amount_refunded: number; status: string }[] }>(app.base, 'GET', '/v1/payments', key.body.key);
    expect(payments.body.data).toEqual([expect.objectContaining({ id: result.paymentId, status: 'partially_refunded', amount_refunded: 1000 })]);
    // The demo removed its webhook endpoint.
    const endpoints = await call<{ data: unknown[] }>(app.base, 'GET', '/v1/webhook-endpoints', key.body.key);
    expect(endpoints.body.data).toEqual([]);
    expect(lines.join('\n')).not.toContain('4242424242424242');
  });
});
