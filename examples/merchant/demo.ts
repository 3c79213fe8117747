import { MerchantBackend } from './merchant-backend.js';
import { gatewayClient, unwrap } from './gateway.js';

export interface DemoOptions {
  gatewayUrl: string;
  /** A merchant key (`sk_test_…` for a rehearsal: the simulator answers, no card is charged). */
  apiKey: string;
  /** Where the shop's webhook receiver listens (0: any free port); loopback only. */
  port?: number;
  log?: (line: string) => void;
}

export interface DemoResult {
  paymentId: string;
  retryReplayed: boolean;
  refundId: string;
  events: string[];
  forgedWebhookStatus: number;
}

/**
 * A shop's life with the gateway, in order: register a webhook endpoint, charge an order,
 * retry the same checkout (one charge), refund part of it, receive and verify the events,
 * and refuse a forged one. Cleans up its webhook endpoint at the end.
 */
export async function runDemo({ gatewayUrl, apiKey, port = 0, log = console.log }: DemoOptions): Promise<DemoResult> {
  const gateway = gatewayClient(gatewayUrl, apiKey);
  const shop = new MerchantBackend(gateway);
  const base = await shop.listen(port);
  const endpoint = unwrap(
    await gateway.POST('/v1/webhook-endpoints', { body: { url: `${base}/webhooks/gateway`, events: ['payment.captured', 'refund.succeeded'] } }),
  );
  shop.useWebhookSecret(endpoint.secret);
  log(`webhook endpoint ${endpoint.id} → ${endpoint.url}`);
  try {
    const orderId = `demo-${Date.now()}`;
    const card = { number: '4242424242424242', expiry_month: 12, expiry_year: new Date().getFullYear() + 3, cvv: '123' };
    const payment = await shop.pay(orderId, 2500, 'EUR', card);
    log(`order ${orderId}: payment ${payment.id} ${payment.status}`);
    const retry = await shop.pay(orderId, 2500, 'EUR', card);
    log(`checkout retried: ${retry.id === payment.id ? 'the same payment, charged once' : `a second payment ${retry.id}!`}`);
    const refund = await shop.refund(orderId, `${orderId}-r1`, 1000);
    log(`refund ${refund.id} of ${refund.amount}: ${refund.status}`);

    const order = shop.orders.get(orderId)!;
    const deadline = Date.now() + 30_000;
    while (!(order.events.includes('payment.captured') && order.events.includes('refund.succeeded')) && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    log(`webhooks verified and received: ${order.events.join(', ') || 'none'}`);

    const forged = await fetch(`${base}/webhooks/gateway`, {
      method: 'POST',
      headers: { 'webhook-id': 'evt_forged', 'webhook-timestamp': String(Math.floor(Date.now() / 1000)), 'webhook-signature': 'v1,Zm9yZ2Vk' },
      body: JSON.stringify({ id: 'evt_forged', type: 'payment.captured', data: { object: { id: payment.id }, payment_status: 'captured' } }),
    });
    log(`a forged webhook: ${forged.status}`);
    return { paymentId: payment.id, retryReplayed: retry.id === payment.id, refundId: refund.id, events: [...order.events], forgedWebhookStatus: forged.status };
  } finally {
    await gateway.DELETE('/v1/webhook-endpoints/{id}', { params: { path: { id: endpoint.id } } });
    await shop.close();
  }
}
