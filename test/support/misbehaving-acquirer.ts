import { createServer, type IncomingHttpHeaders, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';

/** One request as the acquirer read it. */
export interface AcquirerCall {
  method: string;
  /** Path and query, e.g. `/authorizations?reference=att_1`. */
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
  /** Which TCP connection carried it (1, 2, …, in the order they were accepted). */
  connection: number;
}

/**
 * What the acquirer does with a call it has read whole:
 * - `{ status, body }`: answers it (`body` an object sent as JSON, or a string sent as is);
 * - `'protocol'`: answers as a correct acquirer would (see `protocolAnswer`);
 * - `'reset'`: a TCP reset, no answer; `'close'`: closes the connection, no answer;
 * - `'hang'`: never answers;
 * - `{ after, then }`: does `then` after `after` ms.
 */
export type Behaviour =
  | { status: number; body?: unknown }
  | 'protocol'
  | 'reset'
  | 'close'
  | 'hang'
  | { after: number; then: Behaviour };

const DECLINES: Record<string, string> = {
  '4000000000000002': 'card_declined',
  '4000000000009995': 'insufficient_funds',
  '4000000000000069': 'expired_card',
  '4000000000000127': 'incorrect_cvc',
  '4000000000000101': 'issuer_unavailable',
};

/**
 * An acquirer on 127.0.0.1 that misbehaves on purpose: `behave` decides each call's fate.
 * Every call is kept, in arrival order, with the connection that carried it.
 */
export class MisbehavingAcquirer {
  readonly received: AcquirerCall[] = [];
  behave: (call: AcquirerCall, index: number) => Behaviour = () => 'protocol';
  /** The correct acquirer's authorisations, by reference; one per Idempotency-Key. */
  readonly authorizations = new Map<string, Record<string, unknown>>();
  private readonly answers = new Map<string, { status: number; body: unknown }>();
  private readonly connections = new Map<Socket, number>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private accepted = 0;
  private server: Server | undefined;

  /** Starts listening; returns the base URL (`http://127.0.0.1:<port>/v1`). */
  async start(): Promise<string> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        const call: AcquirerCall = {
          method: req.method ?? '',
          path: (req.url ?? '').replace(/^\/v1/, ''),
          headers: req.headers,
          body: Buffer.concat(chunks).toString('utf8'),
          connection: this.connections.get(req.socket) ?? 0,
        };
        const behaviour = this.behave(call, this.received.length);
        this.received.push(call);
        this.act(behaviour, call, req, res);
      });
    });
    this.server.on('connection', (socket: Socket) => {
      this.connections.set(socket, ++this.accepted);
      socket.on('close', () => this.connections.delete(socket));
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as { port: number }).port}/v1`;
  }

  /** Connections open now, whoever is to close them. */
  openConnections(): number {
    return this.connections.size;
  }

  async stop(): Promise<void> {
    for (const timer of this.timers) clearTimeout(timer);
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => this.server?.close(() => resolve()) ?? resolve());
  }

  private act(behaviour: Behaviour, call: AcquirerCall, req: IncomingMessage, res: ServerResponse): void {
    if (behaviour === 'reset') return void req.socket.resetAndDestroy();
    if (behaviour === 'close') return void req.socket.destroy();
    if (behaviour === 'hang') return;
    if (behaviour === 'protocol') return this.act(this.protocolAnswer(call), call, req, res);
    if ('after' in behaviour) {
      const timer = setTimeout(() => {
        this.timers.delete(timer);
        this.act(behaviour.then, call, req, res);
      }, behaviour.after);
      this.timers.add(timer);
      return;
    }
    const text = typeof behaviour.body === 'string' ? behaviour.body : JSON.stringify(behaviour.body ?? {});
    res.writeHead(behaviour.status, { 'content-type': 'application/json' }).end(text);
  }

  /** The acquirer protocol with the test-card table; a repeated Idempotency-Key gets the first answer. */
  protocolAnswer(call: AcquirerCall): { status: number; body: unknown } {
    const key = call.headers['idempotency-key'];
    const replay = typeof key === 'string' ? this.answers.get(`${call.path} ${key}`) : undefined;
    if (replay) return replay;
    const answer = this.freshAnswer(call);
    if (typeof key === 'string' && call.method === 'POST') this.answers.set(`${call.path} ${key}`, answer);
    return answer;
  }

  private freshAnswer(call: AcquirerCall): { status: number; body: unknown } {
    const url = new URL(call.path, 'http://acquirer');
    const input = (call.body ? JSON.parse(call.body) : {}) as Record<string, unknown>;
    if (call.method === 'GET' && url.pathname === '/authorizations') {
      const found = this.authorizations.get(url.searchParams.get('reference') ?? '');
      return found ? { status: 200, body: found } : { status: 404, body: { error: 'not_found' } };
    }
    if (call.method === 'POST' && url.pathname === '/authorizations') {
      const card = input.card as { number: string };
      const declineCode = DECLINES[card.number] ?? null;
      const authorization = {
        id: `auth_${this.authorizations.size + 1}`,
        reference: input.reference,
        status: declineCode ? 'declined' : 'approved',
        decline_code: declineCode,
        captured: !declineCode && input.capture === true,
      };
      this.authorizations.set(String(input.reference), authorization);
      return { status: 201, body: authorization };
    }
    if (call.method === 'POST' && url.pathname === '/authorizations/reversals') {
      const found = this.authorizations.get(String(input.reference));
      return { status: 200, body: { reference: input.reference, reversed: found?.status === 'approved' } };
    }
    const operation = /^\/authorizations\/([^/]+)\/(captures|voids|refunds)$/.exec(url.pathname);
    if (call.method === 'POST' && operation) return { status: 201, body: { id: `${operation[2]}_${this.received.length}`, status: 'succeeded' } };
    return { status: 404, body: { error: 'not_found' } };
  }
}

/** A loopback URL nothing listens on: connections to it are refused. */
export async function refusingAcquirerUrl(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `http://127.0.0.1:${port}/v1`;
}
