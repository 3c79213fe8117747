import { createHash, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import type { AcquirerLedger, Answer } from './acquirer-ledger.js';
import { parseControlChange, type Mode, type Parsed } from './control.js';
import { parseAuthorization, parseCapture, parseRefund, parseReversal } from './protocol-requests.js';

export type Route =
  | { name: 'health' | 'control' | 'records' | 'authorize' | 'lookUp' | 'reverse' }
  | { name: 'capture' | 'void' | 'refund'; authorizationId: string }
  | { name: 'not_found' }
  | { name: 'method_not_allowed'; allow: string };

const OPERATION_PATH = /^\/authorizations\/([^/]+)\/(captures|voids|refunds)$/;
const OPERATIONS = { captures: 'capture', voids: 'void', refunds: 'refund' } as const;

/** The route of a request: the acquirer protocol's calls, and the server's own `/_…` endpoints. */
export function matchRoute(method: string, pathname: string): Route {
  const only = (allowed: string[], route: Route): Route =>
    allowed.includes(method) ? route : { name: 'method_not_allowed', allow: allowed.join(', ') };
  switch (pathname) {
    case '/_health':
      return only(['GET'], { name: 'health' });
    case '/_control':
      return only(['GET', 'POST'], { name: 'control' });
    case '/_records':
      return only(['GET'], { name: 'records' });
    case '/authorizations':
      return method === 'GET' ? { name: 'lookUp' } : only(['GET', 'POST'], { name: 'authorize' });
    case '/authorizations/reversals':
      return only(['POST'], { name: 'reverse' });
  }
  const match = OPERATION_PATH.exec(pathname);
  if (!match) return { name: 'not_found' };
  let authorizationId: string;
  try {
    authorizationId = decodeURIComponent(match[1]!);
  } catch {
    return { name: 'not_found' };
  }
  return only(['POST'], { name: OPERATIONS[match[2] as keyof typeof OPERATIONS], authorizationId });
}

export interface AcquirerServerOptions {
  apiKey: string;
  mode: Mode;
  latencyMs: number;
  timeoutCardDelayMs: number;
  log: (line: Record<string, unknown>) => void;
}

/** What to send, and how: `after` ms of delay, or a reset instead of an answer. */
interface Reply {
  status: number;
  text: string;
  headers?: Record<string, string>;
  after?: number;
  reset?: boolean;
  replayed?: boolean;
}

const MAX_BODY_BYTES = 64 * 1024;
/** Longer than a gateway's idle keep-alive: the server must not close a connection the gateway is about to reuse for a POST. */
const KEEP_ALIVE_TIMEOUT_MS = 65_000;

const json = (status: number, body: unknown, headers?: Record<string, string>): Reply => ({ status, text: JSON.stringify(body), headers });
const problem = (status: number, type: string, message: string, param?: string): Reply =>
  json(status, { error: { type, message, ...(param && { param }) } });

/**
 * A bank behind the acquirer protocol, in plain node:http: decisions are the ledger's, this
 * class only reads requests, applies the outage switch and answers.
 */
export class AcquirerServer {
  readonly http: Server;
  private mode: Mode;
  private latencyMs: number;
  private readonly counters = { requests: 0, replays: 0, unavailable: 0, failing: 0, resets: 0 };
  private readonly keyDigest: Buffer;

  constructor(
    private readonly ledger: AcquirerLedger,
    private readonly options: AcquirerServerOptions,
  ) {
    this.mode = options.mode;
    this.latencyMs = options.latencyMs;
    this.keyDigest = digest(options.apiKey);
    this.http = createServer({ keepAliveTimeout: KEEP_ALIVE_TIMEOUT_MS, headersTimeout: KEEP_ALIVE_TIMEOUT_MS + 1000 }, (request, response) =>
      void this.handle(request, response),
    );
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const started = performance.now();
    this.counters.requests++;
    const url = new URL(request.url ?? '/', 'http://acquirer.invalid');
    let reply: Reply;
    try {
      const body = await readBody(request);
      reply =
        body === undefined
          ? { ...problem(413, 'too_large', `the body must be at most ${MAX_BODY_BYTES} bytes`), headers: { Connection: 'close' } }
          : this.reply(request, url, body);
    } catch (error) {
      // The client went away mid-body, or the data file could not be written: nothing was recorded.
      this.options.log({ level: 'error', msg: 'request failed', path: url.pathname, error: (error as Error).message });
      reply = problem(500, 'internal_error', 'the acquirer failed');
    }
    const line = { level: 'info', msg: 'request', method: request.method, path: url.pathname, mode: this.mode, replayed: reply.replayed ?? false };
    if (reply.reset) {
      this.counters.resets++;
      this.options.log({ ...line, status: 'reset', ms: Math.round(performance.now() - started) });
      request.socket.resetAndDestroy();
      return;
    }
    if (reply.after) await sleep(reply.after);
    if (!response.destroyed) {
      response.writeHead(reply.status, { 'Content-Type': 'application/json', 'Cache-Control': 'no-store', ...reply.headers });
      response.end(reply.text);
    }
    this.options.log({ ...line, status: reply.status, ms: Math.round(performance.now() - started) });
  }

  private reply(request: IncomingMessage, url: URL, body: Buffer): Reply {
    const route = matchRoute(request.method ?? '', url.pathname);
    switch (route.name) {
      case 'not_found':
        return problem(404, 'not_found', 'no such route');
      case 'method_not_allowed':
        return { ...problem(405, 'method_not_allowed', `use ${route.allow}`), headers: { Allow: route.allow } };
      case 'health':
        return json(200, { status: 'ok' });
      case 'control':
      case 'records':
        if (!this.authorized(request)) return unauthorized();
        if (route.name === 'records') return json(200, this.ledger.records());
        return request.method === 'POST' ? this.changeControl(body) : json(200, this.controlState());
    }
    // The outages that answer before anything is done, whoever asks.
    if (this.mode === 'down') {
      this.counters.unavailable++;
      return problem(503, 'unavailable', 'the acquirer is down (ACQUIRER_MODE=down)');
    }
    if (this.mode === 'failing') {
      this.counters.failing++;
      return problem(500, 'internal_error', 'the acquirer is failing (ACQUIRER_MODE=failing)');
    }
    const reply = this.protocolReply(request, url, route, body);
    // The outages that act after processing: the bank did its part, the answer is late or lost.
    if (this.mode === 'reset') return { ...reply, reset: true };
    if (this.mode === 'slow') return { ...reply, after: Math.max(reply.after ?? 0, this.latencyMs) };
    return reply;
  }

  private protocolReply(request: IncomingMessage, url: URL, route: Route, body: Buffer): Reply {
    if (!this.authorized(request)) return unauthorized();
    if (route.name === 'lookUp') {
      const reference = url.searchParams.get('reference');
      if (!reference) return problem(400, 'invalid_request', 'the reference query parameter is required', 'reference');
      return this.send(this.ledger.lookUp(reference));
    }
    const key = request.headers['idempotency-key'];
    if (typeof key !== 'string' || key.length === 0 || key.length > 255) {
      return problem(400, 'invalid_request', 'every POST needs an Idempotency-Key header of 1 to 255 characters', 'Idempotency-Key');
    }
    // Keys are scoped by route: the gateway may use one id (an attempt's) for an authorisation and its reversal.
    const scope = `${url.pathname} ${key}`;
    const earlier = this.ledger.answerFor(scope);
    if (earlier) {
      this.counters.replays++;
      return { status: earlier.status, text: earlier.body, headers: { 'Idempotent-Replayed': 'true' }, replayed: true };
    }
    let parsed: unknown;
    try {
      parsed = body.length === 0 ? {} : JSON.parse(body.toString('utf8'));
    } catch {
      return problem(400, 'invalid_json', 'the body is not JSON');
    }
    const reply = this.send(this.decide(route, parsed));
    // Only what was decided is kept: a refusal (4xx, 5xx) moved nothing and is judged again on a retry.
    if (reply.status >= 200 && reply.status < 300) this.ledger.keepAnswer(scope, { status: reply.status, body: reply.text });
    return reply;
  }

  private decide(route: Route, body: unknown): Answer {
    switch (route.name) {
      case 'authorize':
        return valid(parseAuthorization(body), (request) => this.ledger.authorize(request, this.mode === 'soft_decline'));
      case 'reverse':
        return valid(parseReversal(body), ({ reference }) => this.ledger.reverse(reference));
      case 'capture':
        return valid(parseCapture(body), ({ amount }) => this.ledger.capture(route.authorizationId, amount));
      case 'void':
        return this.ledger.void(route.authorizationId);
      case 'refund':
        return valid(parseRefund(body), ({ amount, reference }) => this.ledger.refund(route.authorizationId, amount, reference));
      default:
        throw new Error(`${route.name} is not a POST of the protocol`);
    }
  }

  private send(answer: Answer): Reply {
    return { ...json(answer.status, answer.body), after: answer.late ? this.options.timeoutCardDelayMs : undefined };
  }

  private changeControl(body: Buffer): Reply {
    let parsed: unknown;
    try {
      parsed = JSON.parse(body.toString('utf8'));
    } catch {
      return problem(400, 'invalid_json', 'the body is not JSON');
    }
    const change = parseControlChange(parsed);
    if (!change.ok) return problem(422, 'invalid_request', change.message, change.param);
    this.mode = change.value.mode;
    if (change.value.latencyMs !== undefined) this.latencyMs = change.value.latencyMs;
    this.options.log({ level: 'warn', msg: 'mode changed', mode: this.mode, latency_ms: this.latencyMs });
    return json(200, this.controlState());
  }

  private controlState() {
    return {
      mode: this.mode,
      latency_ms: this.latencyMs,
      timeout_card_delay_ms: this.options.timeoutCardDelayMs,
      counters: { ...this.counters, records: this.ledger.counts() },
    };
  }

  private authorized(request: IncomingMessage): boolean {
    const header = request.headers.authorization;
    if (!header?.startsWith('Bearer ')) return false;
    return timingSafeEqual(digest(header.slice('Bearer '.length)), this.keyDigest);
  }
}

function valid<T>(parsed: Parsed<T>, then: (value: T) => Answer): Answer {
  if (!parsed.ok) return { status: 422, body: { error: { type: 'invalid_request', message: parsed.message, param: parsed.param } } };
  return then(parsed.value);
}

const unauthorized = (): Reply => ({
  ...problem(401, 'unauthorized', 'a valid Authorization: Bearer key is required'),
  headers: { 'WWW-Authenticate': 'Bearer' },
});

/** Equal-length digests, so comparing keys takes the same time whatever was sent. */
const digest = (text: string) => createHash('sha256').update(text).digest();

/** The whole body, or undefined past MAX_BODY_BYTES. */
async function readBody(request: IncomingMessage): Promise<Buffer | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) return undefined;
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}
