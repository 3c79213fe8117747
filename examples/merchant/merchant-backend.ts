import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { Webhook, WebhookVerificationError } from 'standardwebhooks';
import { type GatewayClient, GatewayError, type Payment, unwrap } from './gateway.js';

/** What the shop knows about an order: its payment, and the events the gateway sent about it. */
export interface Order {
  id: string;
  paymentId?: string;
  status?: string;
  events: string[];
}

interface CardInput {
  number: string;
  expiry_month: number;
  expiry_year: number;
  cvv: string;
}

/**
 * A merchant's backend, the part that talks to the gateway: its checkout charges a card with an
 * `Idempotency-Key` derived from the order (a retried checkout can never charge twice), its
 * back office refunds, and its webhook receiver verifies every delivery before trusting it.
 * Plain `node:http` so that nothing but the gateway's client is on show.
 */
export class MerchantBackend {
  readonly orders = new Map<string, Order>();
  private readonly seenEvents = new Set<string>();
  private webhook?: Webhook;
  private readonly server: Server;

  constructor(private readonly gateway: GatewayClient) {
    this.server = createServer((req, res) => void this.route(req, res));
  }

  /** The endpoint's `whsec_…` secret, as POST /v1/webhook-endpoints returned it (once). */
  useWebhookSecret(secret: string): void {
    this.webhook = new Webhook(secret);
  }

  listen(port: number, host = '127.0.0.1'): Promise<string> {
    return new Promise((resolve) => this.server.listen(port, host, () => {
      const address = this.server.address() as { port: number };
      resolve(`http://${host}:${address.port}`);
    }));
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  /** Checkout: the order id is the idempotency key, so a retry (a double click, a timeout) replays the first charge. */
  async pay(orderId: string, amount: number, currency: string, card: CardInput): Promise<Payment> {
    const payment = unwrap(
      await this.gateway.POST('/v1/payments', {
        params: { header: { 'Idempotency-Key': `order-${orderId}-payment` } },
        body: { amount, currency, card, reference: orderId },
      }),
    );
    const order = this.orders.get(orderId) ?? { id: orderId, events: [] };
    this.orders.set(orderId, { ...order, paymentId: payment.id, status: payment.status });
    return payment;
  }

  /** A refund, keyed by the back office's own refund id: the same refund asked twice is made once. */
  async refund(orderId: string, refundId: string, amount: number) {
    const order = this.orders.get(orderId);
    if (!order?.paymentId) throw new Error(`Order ${orderId} has no payment`);
    return unwrap(
      await this.gateway.POST('/v1/payments/{id}/refunds', {
        params: { path: { id: order.paymentId }, header: { 'Idempotency-Key': `refund-${refundId}` } },
        body: { amount },
      }),
    );
  }

  private async route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    try {
      if (req.method === 'POST' && req.url === '/webhooks/gateway') return await this.receiveWebhook(req, res);
      res.writeHead(404).end();
    } catch (error) {
      const status = error instanceof GatewayError ? 502 : 500;
      res.writeHead(status, { 'Content-Type': 'text/plain' }).end(String(error));
    }
  }

  /** Verify on the raw bytes (the signature covers them exactly), then act on the event once. */
  private async receiveWebhook(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    if (!this.webhook) return void res.writeHead(503).end();
    let event: { id: string; type: string; data: { object: { id: string; payment_id?: string; reference?: string | null }; payment_status: string } };
    try {
      event = this.webhook.verify(Buffer.concat(chunks), {
        'webhook-id': String(req.headers['webhook-id'] ?? ''),
        'webhook-timestamp': String(req.headers['webhook-timestamp'] ?? ''),
        'webhook-signature': String(req.headers['webhook-signature'] ?? ''),
      }) as typeof event;
    } catch (error) {
      if (error instanceof WebhookVerificationError) return void res.writeHead(400).end('invalid signature');
      throw error;
    }
    // At least once: the same event may come again, with the same webhook-id.
    if (!this.seenEvents.has(event.id)) {
      this.seenEvents.add(event.id);
      const paymentId = event.data.object.payment_id ?? event.data.object.id;
      const order = [...this.orders.values()].find((candidate) => candidate.paymentId === paymentId);
      if (order) {
        order.events.push(event.type);
        // Deliveries can arrive out of order: the status they carry is the payment's when sent.
        order.status = event.data.payment_status;
      }
    }
    res.writeHead(204).end();
  }
}
