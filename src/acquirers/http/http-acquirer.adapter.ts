import { outboundAgents, type OutboundAgents } from '../../network/outbound-url-policy.js';
import type {
  AcquirerAdapter,
  AuthorizationCall,
  AuthorizationLookup,
  AuthorizationResult,
  OperationResult,
  ReversalResult,
} from '../acquirer-adapter.js';
import { classifyAuthorization, classifyLookup, classifyOperation, classifyReversal } from './classify.js';
import { exchange } from './http-exchange.js';

export interface HttpAcquirerOptions {
  /** e.g. `https://acquirer.example/v1`: the protocol's paths are appended to it. */
  baseUrl: string;
  apiKey: string;
  /** The whole call: connecting, sending and the whole answer. */
  timeoutMs: number;
  /** Loopback and private targets, checked again as each connection opens (ACQUIRERS_ALLOW_PRIVATE). */
  allowPrivate: boolean;
}

/**
 * An acquirer speaking the acquirer protocol (API.md) over HTTP(S), through a keep-alive pool
 * of its own. Redirects are never followed. The card number and CVV are written into the
 * authorisation's body and nowhere else: errors are built from statuses and connection codes,
 * never from a request or an answer.
 */
export class HttpAcquirerAdapter implements AcquirerAdapter {
  private readonly agents: OutboundAgents;
  private readonly base: string;

  constructor(private readonly options: HttpAcquirerOptions) {
    this.agents = outboundAgents({ allowPrivate: options.allowPrivate });
    this.base = options.baseUrl.replace(/\/+$/, '');
  }

  async authorize(call: AuthorizationCall): Promise<AuthorizationResult> {
    const { card } = call;
    const body = {
      reference: call.reference,
      amount: call.amount,
      currency: call.currency,
      capture: call.capture,
      card: { number: card.number, expiry_month: card.expiryMonth, expiry_year: card.expiryYear, cvv: card.cvv, holder_name: card.holderName },
    };
    return classifyAuthorization(await this.post('/authorizations', body, call.reference), call.reference);
  }

  async lookUp(reference: string): Promise<AuthorizationLookup> {
    return classifyLookup(await this.send('GET', `/authorizations?reference=${encodeURIComponent(reference)}`), reference);
  }

  async reverse(reference: string): Promise<ReversalResult> {
    return classifyReversal(await this.post('/authorizations/reversals', { reference }, `${reference}/reversal`), reference);
  }

  async capture(acquirerReference: string, amount: number, idempotencyKey: string): Promise<OperationResult> {
    return classifyOperation(await this.post(`${authorizationPath(acquirerReference)}/captures`, { amount }, idempotencyKey));
  }

  async void(acquirerReference: string, idempotencyKey: string): Promise<OperationResult> {
    return classifyOperation(await this.post(`${authorizationPath(acquirerReference)}/voids`, {}, idempotencyKey));
  }

  async refund(acquirerReference: string, amount: number, refundId: string): Promise<OperationResult> {
    return classifyOperation(await this.post(`${authorizationPath(acquirerReference)}/refunds`, { amount, reference: refundId }, refundId));
  }

  async close(): Promise<void> {
    this.agents.destroy();
  }

  private post(path: string, body: object, idempotencyKey: string) {
    return this.send('POST', path, JSON.stringify(body), idempotencyKey);
  }

  private send(method: 'GET' | 'POST', path: string, body?: string, idempotencyKey?: string) {
    const headers: Record<string, string> = {
      authorization: `Bearer ${this.options.apiKey}`,
      'content-type': 'application/json',
      accept: 'application/json',
      'user-agent': 'payment-gateway-acquirer/1',
    };
    if (idempotencyKey !== undefined) headers['idempotency-key'] = idempotencyKey;
    return exchange({ method, url: new URL(this.base + path), headers, body }, this.agents, this.options.timeoutMs, this.options.apiKey);
  }
}

function authorizationPath(acquirerReference: string): string {
  return `/authorizations/${encodeURIComponent(acquirerReference)}`;
}
