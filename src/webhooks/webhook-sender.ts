import http from 'node:http';
import https from 'node:https';
import type { OutboundAgents } from '../network/outbound-url-policy.js';

export interface SendResult {
  status: number | null;
  durationMs: number;
  error: string | null;
  body: string | null;
  retryAfter: string | undefined;
}

const MAX_BODY = 1024;

/**
 * POSTs one webhook through `agents` (which refuse a non-public address as the socket
 * connects): no redirects followed, the whole attempt, lookup included, cut at `timeoutMs`, at
 * most a kilobyte of the answer kept. Never throws: every outcome is a result to record.
 */
export function sendWebhook(url: string, headers: Record<string, string>, body: string, timeoutMs: number, agents: OutboundAgents): Promise<SendResult> {
  const started = performance.now();
  const target = new URL(url);
  const secure = target.protocol === 'https:';
  const transport = secure ? https : http;
  return new Promise((resolve) => {
    let settled = false;
    const finish = (result: Omit<SendResult, 'durationMs'>) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve({ ...result, durationMs: Math.round(performance.now() - started) });
    };
    const request = transport.request(
      target,
      {
        method: 'POST',
        headers: { ...headers, 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), 'user-agent': 'payment-gateway-webhooks/1' },
        agent: secure ? agents.https : agents.http,
      },
      (response) => {
        let text = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => {
          if (text.length < MAX_BODY) text += chunk.slice(0, MAX_BODY - text.length);
        });
        response.on('end', () =>
          finish({ status: response.statusCode ?? null, error: null, body: storable(text), retryAfter: header(response.headers['retry-after']) }),
        );
        response.on('error', (error) =>
          finish({ status: response.statusCode ?? null, error: error.message, body: storable(text), retryAfter: undefined }),
        );
      },
    );
    const timer = setTimeout(() => {
      finish({ status: null, error: `timeout after ${timeoutMs} ms`, body: null, retryAfter: undefined });
      request.destroy();
    }, timeoutMs);
    request.on('error', (error) => finish({ status: null, error: error.message, body: null, retryAfter: undefined }));
    request.end(body);
  });
}

/** PostgreSQL text cannot hold NUL: a receiver's answer with one must still be recordable. */
function storable(text: string): string {
  return text.replace(/\0/g, '\uFFFD');
}

function header(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}
