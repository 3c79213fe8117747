import type { LookupAddress, LookupOptions } from 'node:dns';
import { lookup } from 'node:dns/promises';
import http from 'node:http';
import https from 'node:https';
import { isIP, type LookupFunction } from 'node:net';
import type { Duplex } from 'node:stream';
import { nonPublicReason } from './special-purpose-addresses.js';

/**
 * Where the gateway may open connections that someone else chose (webhook URLs, acquirer
 * endpoints): against server-side request forgery.
 */
export interface OutboundPolicy {
  allowHttp: boolean;
  allowPrivate: boolean;
}

/** Every address a host name resolves to, as getaddrinfo answers (hosts file included). */
export type ResolveAll = (hostname: string, options?: Omit<LookupOptions, 'all'>) => Promise<LookupAddress[]>;

const systemResolveAll: ResolveAll = (hostname, options = {}) => lookup(hostname, { ...options, all: true });

const NON_PUBLIC_TARGET = 'url must not point to a loopback, private or link-local address';
const DEFAULT_RESOLVE_TIMEOUT_MS = 5000;

/** A connection refused by the policy before any byte was sent: the far end saw nothing. */
export class OutboundAddressRefused extends Error {
  readonly code = 'ERR_OUTBOUND_ADDRESS_REFUSED';
}

/** The host a URL connects to: no IPv6 brackets, no trailing root dot. */
function targetHost(url: URL): string {
  return url.hostname.replace(/^\[|\]$/g, '').replace(/\.$/, '');
}

/** Why `text` is refused, judging only what it says (no lookup), or null when its shape is acceptable. */
export function outboundUrlProblem(text: string, policy: OutboundPolicy): string | null {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return 'url must be an absolute URL';
  }
  if (url.protocol !== 'https:' && !(policy.allowHttp && url.protocol === 'http:')) {
    return policy.allowHttp ? 'url must use https or http' : 'url must use https';
  }
  if (url.username || url.password) return 'url must not contain credentials';
  if (policy.allowPrivate) return null;
  const host = targetHost(url);
  // RFC 6761: every name under localhost is the local machine, whatever a resolver says.
  if (host === 'localhost' || host.endsWith('.localhost')) return `${NON_PUBLIC_TARGET} (${host} is this machine)`;
  const reason = isIP(host) === 0 ? null : nonPublicReason(host);
  return reason && `${NON_PUBLIC_TARGET} (${host}: ${reason})`;
}

export interface RefusalOptions extends OutboundPolicy {
  /** How long the host name may take to resolve; a slow resolver must not hold a request. */
  resolveTimeoutMs?: number;
  resolve?: ResolveAll;
}

/**
 * Why `text` is refused as an outbound URL, or null: its shape, then (unless private targets
 * are allowed) every address its host name resolves to now, each of which must be public.
 * The answer can change later: connect through `outboundAgents`, which checks again.
 */
export async function outboundUrlRefusal(text: string, options: RefusalOptions): Promise<string | null> {
  const problem = outboundUrlProblem(text, options);
  if (problem || options.allowPrivate) return problem;
  const host = targetHost(new URL(text));
  if (isIP(host) !== 0) return null;
  const addresses = await withDeadline((options.resolve ?? systemResolveAll)(host), options.resolveTimeoutMs ?? DEFAULT_RESOLVE_TIMEOUT_MS).catch(() => []);
  if (addresses.length === 0) return `url host ${host} does not resolve`;
  for (const { address } of addresses) {
    const reason = nonPublicReason(address);
    if (reason) return `${NON_PUBLIC_TARGET} (${host} resolves to ${address}: ${reason})`;
  }
  return null;
}

function withDeadline<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer in ${ms} ms`)), ms);
  });
  return Promise.race([promise, deadline]).finally(() => clearTimeout(timer));
}

/**
 * A socket lookup that keeps only the public addresses a name resolves to, at the moment of
 * connecting: a name re-pointed at a private address after it was accepted (DNS rebinding)
 * fails here, with the reason, before any byte is sent.
 */
export function publicOnlyLookup(resolve: ResolveAll = systemResolveAll): LookupFunction {
  return (hostname, options, callback) => {
    const { all, ...hints } = options;
    resolve(hostname, hints).then(
      (addresses) => {
        const allowed = addresses.filter((entry) => nonPublicReason(entry.address) === null);
        if (allowed.length === 0) {
          const refused = addresses.map((entry) => `${entry.address}: ${nonPublicReason(entry.address)}`).join('; ');
          return callback(new OutboundAddressRefused(`${hostname} resolves only to non-public addresses (${refused || 'none'})`), '', 0);
        }
        if (all) return callback(null, allowed);
        return callback(null, allowed[0]!.address, allowed[0]!.family);
      },
      (error: NodeJS.ErrnoException) => callback(error, '', 0),
    );
  };
}

/** An IP literal is connected to without any lookup: judged here instead. */
function literalRefusal(options: http.ClientRequestArgs): OutboundAddressRefused | null {
  const host = options.host ?? '';
  const reason = isIP(host) === 0 ? null : nonPublicReason(host);
  return reason ? new OutboundAddressRefused(`${host} is a non-public address (${reason})`) : null;
}

type Oncreate = (error: Error | null, socket: Duplex) => void;

class PublicOnlyHttpAgent extends http.Agent {
  override createConnection(options: http.ClientRequestArgs, oncreate?: Oncreate): Duplex | null | undefined {
    const refused = literalRefusal(options);
    if (!refused) return super.createConnection(options, oncreate);
    oncreate?.(refused, undefined as never);
    return undefined;
  }
}

class PublicOnlyHttpsAgent extends https.Agent {
  override createConnection(options: http.ClientRequestArgs, oncreate?: Oncreate): Duplex | null | undefined {
    const refused = literalRefusal(options);
    if (!refused) return super.createConnection(options, oncreate);
    oncreate?.(refused, undefined as never);
    return undefined;
  }
}

export interface OutboundAgents {
  http: http.Agent;
  https: https.Agent;
  destroy(): void;
}

/**
 * Agents for connections to addresses someone else chose. Unless private targets are allowed,
 * every new socket goes to a public address (an IP literal judged as is, a name through
 * `publicOnlyLookup`). Agents of their own, never the global ones: a kept-alive socket opened
 * under another policy must not be reused without the check.
 */
export function outboundAgents(policy: Pick<OutboundPolicy, 'allowPrivate'>, resolve?: ResolveAll): OutboundAgents {
  const agents = policy.allowPrivate
    ? { http: new http.Agent({ keepAlive: true }), https: new https.Agent({ keepAlive: true }) }
    : {
        http: new PublicOnlyHttpAgent({ keepAlive: true, lookup: publicOnlyLookup(resolve) }),
        https: new PublicOnlyHttpsAgent({ keepAlive: true, lookup: publicOnlyLookup(resolve) }),
      };
  return {
    ...agents,
    destroy: () => {
      agents.http.destroy();
      agents.https.destroy();
    },
  };
}
