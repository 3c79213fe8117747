import { lookup } from 'node:dns';
import http from 'node:http';
import https from 'node:https';
import { isIP, type LookupFunction } from 'node:net';
import { isNonPublicAddress } from './url-policy.js';

export interface SendResult {
  status: number | null;
  durationMs: number;
  error: string | null;
  body: string | null;
  retryAfter: string | undefined;
}

const MAX_BODY = 1024;

/** A DNS lookup that refuses non-public addresses, checked on the address actually connected to. */
const publicOnlyLookup: LookupFunction = (hostname, options, callback) => {
  lookup(hostname, { ...options, all: true }, (error, addresses) => {
    if (error) return callback(error, '', 0);
    const list = addresses as unknown as { address: string; family: number }[];
    const blocked = list.find((entry) => isNonPublicAddress(entry.address));
    if (blocked) return callback(new Error(`${hostname} resolves to a non-public address (${blocked.address})`), '', 0);
    if ((options as { all?: boolean }).all) return (callback as unknown as (e: null, a: typeof list) => void)(null, list);
    return callback(null, list[0]!.address, list[0]!.family);
  });
};

/**
 * POSTs one webhook: no redirects followed, the whole attempt cut at `timeoutMs`, at most a
 * kilobyte of the answer kept. Never throws: every outcome is a result to record.
 */
export function sendWebhook(url: string, headers: Record<string, string>, body: string, timeoutMs: number, allowPrivate: boolean): Promise<SendResult> {
  const started = performance.now();
  const target = new URL(url);
  const transport = target.protocol === 'https:' ? https : http;
  // An IP literal is connected to without any lookup: check it here.
  const host = target.hostname.replace(/^\[|\]$/g, '');
  if (!allowPrivate && isIP(host) !== 0 && isNonPublicAddress(host)) {
    return Promise.resolve({ status: null, durationMs: 0, error: `${host} is a non-public address`, body: null, retryAfter: undefined });
  }
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
        ...(allowPrivate ? {} : { lookup: publicOnlyLookup }),
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
