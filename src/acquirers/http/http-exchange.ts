import http from 'node:http';
import https from 'node:https';
import type { Socket } from 'node:net';
import type { OutboundAgents } from '../../network/outbound-url-policy.js';
import type { Exchange } from './classify.js';

export interface ExchangeRequest {
  method: 'GET' | 'POST';
  url: URL;
  headers: Record<string, string>;
  body?: string;
}

/** An acquirer's answer is a small JSON object: anything bigger is not one, and is not buffered. */
const MAX_ANSWER_BYTES = 64 * 1024;
const MAX_ERROR_LENGTH = 200;
/** How a kept-alive socket the acquirer had already closed fails when written to. */
const STALE_SOCKET_CODES = new Set(['ECONNRESET', 'EPIPE', 'ECONNABORTED']);

/**
 * Sends one call and reports what came of it, never throwing, within `timeoutMs` in all
 * (lookup, connect, TLS, sending, the whole answer).
 *
 * "Sent" is the line between certainly-not-processed and unknown, drawn conservatively:
 * - an error before the request was fully handed to a connected socket ('finish' on the
 *   request, only counted once the connection, TLS included, is up) means the acquirer never
 *   had the whole request: refused, DNS, TLS, the address policy, a write that failed;
 * - a timeout is "not sent" only if the connection was never established: once connected, the
 *   bytes may have left even if their write has not been reported yet;
 * - anything after that without a status (a reset, a close, a timeout) is unknown.
 * A kept-alive socket reused from the pool is the exception that must not be misread: the
 * acquirer may have closed it while idle, and the failure then looks exactly like a reset
 * after sending. Such a call is sent again, on a fresh connection, with the same
 * Idempotency-Key (the protocol answers a repeated key with the first result, so it cannot act
 * twice); only what a fresh connection says is classified.
 */
export async function exchange(request: ExchangeRequest, agents: OutboundAgents, timeoutMs: number, secret: string): Promise<Exchange> {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    const { result, staleSocket } = await exchangeOnce(request, agents, timeoutMs, deadline - performance.now(), secret);
    if (!staleSocket || performance.now() >= deadline) return result;
  }
}

function exchangeOnce(
  spec: ExchangeRequest,
  agents: OutboundAgents,
  timeoutMs: number,
  remainingMs: number,
  secret: string,
): Promise<{ result: Exchange; staleSocket: boolean }> {
  const secure = spec.url.protocol === 'https:';
  return new Promise((resolve) => {
    let connected = false;
    let sent = false;
    let status: number | null = null;
    let settled = false;
    const finish = (result: Exchange, staleSocket = false) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve({ result, staleSocket });
    };
    const request = (secure ? https : http).request(spec.url, {
      method: spec.method,
      headers: spec.body === undefined ? spec.headers : { ...spec.headers, 'content-length': String(Buffer.byteLength(spec.body)) },
      agent: secure ? agents.https : agents.http,
    });
    const timer = setTimeout(
      () => {
        const error = `timeout after ${timeoutMs} ms`;
        if (status !== null) finish({ kind: 'answered', status, body: null, error });
        else finish({ kind: 'failed', sent: connected, error: connected ? error : `${error} before connecting` });
        request.destroy();
      },
      Math.max(remainingMs, 0),
    );
    request.on('socket', (socket: Socket) => {
      if (!socket.connecting) connected = true;
      else socket.once(secure ? 'secureConnect' : 'connect', () => (connected = true));
    });
    request.on('finish', () => (sent = connected));
    request.on('response', (response) => {
      status = response.statusCode ?? 0;
      const chunks: Buffer[] = [];
      let size = 0;
      const unreadable = (error: string) => {
        finish({ kind: 'answered', status: status!, body: null, error });
        request.destroy();
      };
      response.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > MAX_ANSWER_BYTES) return unreadable(`answer larger than ${MAX_ANSWER_BYTES} bytes`);
        chunks.push(chunk);
      });
      response.on('end', () => finish({ kind: 'answered', status: status!, body: Buffer.concat(chunks).toString('utf8') }));
      response.on('aborted', () => unreadable('connection lost while reading the answer'));
      response.on('error', () => unreadable('connection lost while reading the answer'));
    });
    request.on('error', (error: NodeJS.ErrnoException) => {
      if (status !== null) return finish({ kind: 'answered', status, body: null, error: 'connection lost while reading the answer' });
      const staleSocket = request.reusedSocket && STALE_SOCKET_CODES.has(error.code ?? '');
      if (!sent) return finish({ kind: 'failed', sent: false, error: describe(error, secret) }, staleSocket);
      const lost = error.code === 'ECONNRESET' && error.message !== 'socket hang up' ? 'reset' : 'closed';
      finish({ kind: 'failed', sent: true, error: `connection ${lost} after the request was sent` }, staleSocket);
    });
    request.end(spec.body);
  });
}

/**
 * A connection error, short, as Node words it (`connect ECONNREFUSED 127.0.0.1:4100`), but an
 * OpenSSL one by its reason only (`TLS handshake failed: wrong version number`). Node's
 * messages name addresses and codes, never a header's value or the body; the API key is masked
 * anyway, should one ever quote it.
 */
function describe(error: Error, secret: string): string {
  const parts = error instanceof AggregateError && !error.message ? error.errors.map((inner: Error) => inner.message) : [error.message];
  let text = parts.filter(Boolean).join('; ') || (error as NodeJS.ErrnoException).code || 'connection failed';
  const openssl = /SSL routines:[^:]*:([^:]+)/.exec(text);
  if (openssl) text = `TLS handshake failed: ${openssl[1]}`;
  text = text.split('\n')[0]!;
  if (secret) text = text.split(secret).join('***');
  return text.length > MAX_ERROR_LENGTH ? `${text.slice(0, MAX_ERROR_LENGTH - 1)}…` : text;
}
