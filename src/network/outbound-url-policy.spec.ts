import type { LookupAddress } from 'node:dns';
import { createServer, request, type Server } from 'node:http';
import type { LookupFunction } from 'node:net';
import {
  outboundAgents,
  OutboundAddressRefused,
  type OutboundPolicy,
  outboundUrlProblem,
  outboundUrlRefusal,
  publicOnlyLookup,
  type ResolveAll,
} from './outbound-url-policy.js';

const strict: OutboundPolicy = { allowHttp: false, allowPrivate: false };
const dev: OutboundPolicy = { allowHttp: true, allowPrivate: true };
const httpOnly: OutboundPolicy = { allowHttp: true, allowPrivate: false };
const privateOnly: OutboundPolicy = { allowHttp: false, allowPrivate: true };
const PRIVATE = /^url must not point to a loopback, private or link-local address \(.+\)$/;

/** A resolver answering from a table: no query ever leaves the process. */
function fakeDns(answers: Record<string, string[]>): ResolveAll & { calls: { hostname: string; options: unknown }[] } {
  const calls: { hostname: string; options: unknown }[] = [];
  const resolve = (hostname: string, options?: unknown) => {
    calls.push({ hostname, options });
    const addresses = answers[hostname];
    if (!addresses) return Promise.reject(Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' }));
    return Promise.resolve(addresses.map((address): LookupAddress => ({ address, family: address.includes(':') ? 6 : 4 })));
  };
  return Object.assign(resolve, { calls });
}

describe(outboundUrlProblem.name, () => {
  it.each([
    ['https://shop.example.com/webhooks', strict],
    ['https://shop.example.com:8443/webhooks?source=gateway', strict],
    ['https://8.8.8.8/hooks', strict],
    ['https://[2001:4860:4860::8888]/hooks', strict],
    ['https://[::ffff:8.8.8.8]/hooks', strict],
    ['http://shop.example.com/webhooks', httpOnly],
    ['http://127.0.0.1:3000/hooks', dev],
    ['https://localhost/hooks', privateOnly],
    ['https://[::1]/hooks', privateOnly],
    ['https://[::127.0.0.1]/hooks', privateOnly],
  ])('accepts %s (%j)', (url, policy) => {
    expect(outboundUrlProblem(url, policy)).toBeNull();
  });

  describe('scheme', () => {
    it('refuses http unless allowed', () => {
      expect(outboundUrlProblem('http://shop.example.com/webhooks', strict)).toBe('url must use https');
      expect(outboundUrlProblem('http://shop.example.com/webhooks', privateOnly)).toBe('url must use https');
      expect(outboundUrlProblem('http://shop.example.com/webhooks', httpOnly)).toBeNull();
    });

    it.each(['ftp://shop.example.com/x', 'file:///etc/passwd', 'ws://shop.example.com/', 'javascript:alert(1)', 'data:text/plain,hi'])(
      'refuses %s whatever the policy',
      (url) => {
        expect(outboundUrlProblem(url, strict)).toBe('url must use https');
        expect(outboundUrlProblem(url, dev)).toBe('url must use https or http');
      },
    );
  });

  it.each(['https://user:pass@shop.example.com/', 'https://user@shop.example.com/', 'https://:pass@shop.example.com/', 'https://a:b@127.0.0.1/'])(
    'refuses credentials in %s, whatever the policy',
    (url) => {
      expect(outboundUrlProblem(url, strict)).toBe('url must not contain credentials');
      expect(outboundUrlProblem(url, dev)).toBe('url must not contain credentials');
    },
  );

  it.each(['https://localhost/x', 'https://LOCALHOST:8443/x', 'https://localhost./x', 'https://api.localhost/x', 'https://a.b.localhost./x'])(
    'refuses %s by name unless private targets are allowed',
    (url) => {
      expect(outboundUrlProblem(url, strict)).toMatch(PRIVATE);
      expect(outboundUrlProblem(url, privateOnly)).toBeNull();
    },
  );

  it.each([
    ['https://[::127.0.0.1]/x', 'IPv4-compatible'],
    ['https://[::ffff:0:127.0.0.1]/x', 'IPv4-translated'],
    ['https://[::ffff:127.0.0.1]/x', 'IPv4-mapped, 127.0.0.0/8 Loopback'],
    ['https://[::ffff:a9fe:a9fe]/x', 'IPv4-mapped, 169.254.0.0/16 Link Local'],
    ['https://[64:ff9b::127.0.0.1]/x', 'NAT64'],
    ['https://[64:ff9b::8.8.8.8]/x', 'NAT64'],
    ['https://[64:ff9b:1::a00:1]/x', 'local-use NAT64'],
    ['https://[2002:7f00:1::1]/x', '6to4'],
    ['https://[2001::1]/x', 'TEREDO'],
    ['https://[fec0::1]/x', 'Site-Local'],
    ['https://192.0.2.1/x', 'TEST-NET-1'],
    ['https://198.51.100.7/x', 'TEST-NET-2'],
    ['https://203.0.113.9/x', 'TEST-NET-3'],
    ['https://198.18.0.1/x', 'Benchmarking'],
    ['https://198.19.255.255/x', 'Benchmarking'],
    ['https://127.0.0.1/x', 'Loopback'],
    ['https://127.0.0.1:8443/x', 'Loopback'],
    ['https://10.0.0.1/x', 'Private-Use'],
    ['https://172.16.0.1/x', 'Private-Use'],
    ['https://192.168.1.1/x', 'Private-Use'],
    ['https://169.254.169.254/latest/meta-data/', 'Link Local'],
    ['https://100.64.0.1/x', 'Shared Address Space'],
    ['https://0.0.0.0/x', 'This host'],
    ['https://255.255.255.255/x', 'Limited Broadcast'],
    ['https://224.0.0.1/x', 'Multicast'],
    ['https://[::1]/x', 'Loopback Address'],
    ['https://[::]/x', 'Unspecified Address'],
    ['https://[fe80::1]/x', 'Link-Local Unicast'],
    ['https://[fc00::1]/x', 'Unique-Local'],
    ['https://[2001:db8::1]/x', 'Documentation'],
    // Other spellings of 127.0.0.1, normalised by the URL parser.
    ['https://2130706433/x', 'Loopback'],
    ['https://0x7f000001/x', 'Loopback'],
    ['https://127.1/x', 'Loopback'],
    ['https://0177.0.0.1/x', 'Loopback'],
    ['https://127.0.0.1./x', 'Loopback'],
  ])('refuses the IP literal in %s (%s) unless private targets are allowed', (url, range) => {
    const problem = outboundUrlProblem(url, strict);
    expect(problem).toMatch(PRIVATE);
    expect(problem).toContain(range);
    expect(outboundUrlProblem(url, privateOnly)).toBeNull();
  });

  it('leaves host names to the lookup: only their shape is judged here', () => {
    expect(outboundUrlProblem('https://internal.example.com/x', strict)).toBeNull();
  });

  it.each(['', 'not a url', 'shop.example.com/webhooks', '/webhooks', 'https://', 'https://exa mple.com/', 'http//shop.example.com', 'https://[::1/x', 'https://[fe80::1%25eth0]/x'])(
    'refuses garbage %j',
    (text) => {
      expect(outboundUrlProblem(text, strict)).toBe('url must be an absolute URL');
      expect(outboundUrlProblem(text, dev)).toBe('url must be an absolute URL');
    },
  );
});

describe(outboundUrlRefusal.name, () => {
  const dns = () =>
    fakeDns({
      'shop.example.com': ['93.184.215.14', '2606:2800:21f:cb07:6820:80da:af6b:8b2c'],
      'mixed.example.com': ['93.184.215.14', '10.0.0.7'],
      'nat64.example.com': ['64:ff9b::a9fe:a9fe'],
      'empty.example.com': [],
    });

  it('accepts a name every address of which is public', async () => {
    const resolve = dns();
    expect(await outboundUrlRefusal('https://shop.example.com/hooks', { ...strict, resolve })).toBeNull();
    expect(resolve.calls.map((call) => call.hostname)).toEqual(['shop.example.com']);
  });

  it.each([
    ['https://mixed.example.com/hooks', 'mixed.example.com resolves to 10.0.0.7: 10.0.0.0/8 Private-Use (RFC 1918)'],
    ['https://nat64.example.com/hooks', 'nat64.example.com resolves to 64:ff9b::a9fe:a9fe: 64:ff9b::/96 IPv4-IPv6 Translation (NAT64) (RFC 6052)'],
  ])('refuses %s: one non-public address is enough', async (url, detail) => {
    expect(await outboundUrlRefusal(url, { ...strict, resolve: dns() })).toBe(`url must not point to a loopback, private or link-local address (${detail})`);
  });

  it.each(['https://unknown.example.com/hooks', 'https://empty.example.com/hooks'])('refuses %s, which does not resolve', async (url) => {
    expect(await outboundUrlRefusal(url, { ...strict, resolve: dns() })).toBe(`url host ${new URL(url).hostname} does not resolve`);
  });

  it('gives up on a resolver that does not answer in time', async () => {
    const resolve: ResolveAll = () => new Promise(() => undefined);
    const started = performance.now();
    expect(await outboundUrlRefusal('https://slow.example.com/hooks', { ...strict, resolve, resolveTimeoutMs: 50 })).toBe('url host slow.example.com does not resolve');
    expect(performance.now() - started).toBeLessThan(5000);
  });

  it('judges an IP literal without any lookup, and looks nothing up when private targets are allowed', async () => {
    const resolve = dns();
    expect(await outboundUrlRefusal('https://8.8.8.8/hooks', { ...strict, resolve })).toBeNull();
    expect(await outboundUrlRefusal('https://[::ffff:0:127.0.0.1]/hooks', { ...strict, resolve })).toMatch(/IPv4-translated/);
    expect(await outboundUrlRefusal('https://mixed.example.com/hooks', { ...privateOnly, resolve })).toBeNull();
    expect(resolve.calls).toEqual([]);
  });

  it('reports a shape problem before any lookup', async () => {
    const resolve = dns();
    expect(await outboundUrlRefusal('http://shop.example.com/hooks', { ...strict, resolve })).toBe('url must use https');
    expect(resolve.calls).toEqual([]);
  });
});

describe(publicOnlyLookup.name, () => {
  const lookup = (fn: LookupFunction, hostname: string, options: { all?: boolean; family?: number }) =>
    new Promise<{ error: NodeJS.ErrnoException | null; address: unknown; family?: number }>((resolve) =>
      fn(hostname, options, (error, address, family) => resolve({ error, address, family })),
    );
  const resolve = () =>
    fakeDns({
      'mixed.example.com': ['10.0.0.7', '93.184.215.14', '::ffff:127.0.0.1', '2606:2800:21f:cb07:6820:80da:af6b:8b2c'],
      'rebound.example.com': ['127.0.0.1', '::ffff:0:a00:1', '169.254.169.254'],
    });

  it('keeps only the public addresses, for a socket that tries them all', async () => {
    const result = await lookup(publicOnlyLookup(resolve()), 'mixed.example.com', { all: true });
    expect(result).toEqual({
      error: null,
      address: [
        { address: '93.184.215.14', family: 4 },
        { address: '2606:2800:21f:cb07:6820:80da:af6b:8b2c', family: 6 },
      ],
      family: undefined,
    });
  });

  it('answers the first public address to a socket that asks for one, passing its hints on', async () => {
    const dns = resolve();
    expect(await lookup(publicOnlyLookup(dns), 'mixed.example.com', { family: 0 })).toEqual({ error: null, address: '93.184.215.14', family: 4 });
    expect(dns.calls).toEqual([{ hostname: 'mixed.example.com', options: { family: 0 } }]);
  });

  it('fails the connection, naming every address and why, when none is public', async () => {
    const { error } = await lookup(publicOnlyLookup(resolve()), 'rebound.example.com', { all: true });
    expect(error).toBeInstanceOf(OutboundAddressRefused);
    expect(error).toMatchObject({ code: 'ERR_OUTBOUND_ADDRESS_REFUSED' });
    expect(error!.message).toBe(
      'rebound.example.com resolves only to non-public addresses (127.0.0.1: 127.0.0.0/8 Loopback (RFC 1122); ' +
        '::ffff:0:a00:1: ::ffff:0:0:0/96 IPv4-translated (RFC 2765); 169.254.169.254: 169.254.0.0/16 Link Local (RFC 3927))',
    );
  });

  it("passes the resolver's own failure on", async () => {
    const { error } = await lookup(publicOnlyLookup(resolve()), 'unknown.example.com', { all: true });
    expect(error).toMatchObject({ code: 'ENOTFOUND' });
  });
});

describe(outboundAgents.name, () => {
  let server: Server;
  let port: number;
  let received: number;

  beforeAll(async () => {
    server = createServer((_, res) => {
      received += 1;
      res.end('ok');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as { port: number }).port;
  });
  beforeEach(() => {
    received = 0;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  const get = (url: string, agents: ReturnType<typeof outboundAgents>) =>
    new Promise<{ status?: number; error?: Error }>((resolve) => {
      const req = request(url, { agent: agents.http }, (res) => {
        res.resume();
        res.on('end', () => resolve({ status: res.statusCode }));
      });
      req.on('error', (error) => resolve({ error }));
      req.end();
    });

  // Loopback targets only: a broken guard must never send anything off this machine.
  it.each([
    ['127.0.0.1', '127.0.0.1 is a non-public address (127.0.0.0/8 Loopback (RFC 1122))'],
    ['[::ffff:127.0.0.1]', '::ffff:7f00:1 is a non-public address (IPv4-mapped, 127.0.0.0/8 Loopback (RFC 1122))'],
  ])('refuses the literal %s before connecting', async (host, message) => {
    const agents = outboundAgents({ allowPrivate: false });
    const { error } = await get(`http://${host}:${port}/hooks`, agents);
    agents.destroy();
    expect(error).toBeInstanceOf(OutboundAddressRefused);
    expect(error!.message).toBe(message);
    expect(received).toBe(0);
  });

  it('refuses a name that resolves to loopback when the socket connects', async () => {
    const agents = outboundAgents({ allowPrivate: false }, fakeDns({ 'rebound.example.com': ['127.0.0.1'] }));
    const { error } = await get(`http://rebound.example.com:${port}/hooks`, agents);
    agents.destroy();
    expect(error!.message).toBe('rebound.example.com resolves only to non-public addresses (127.0.0.1: 127.0.0.0/8 Loopback (RFC 1122))');
    expect(received).toBe(0);
  });

  it('connects anywhere when private targets are allowed', async () => {
    const agents = outboundAgents({ allowPrivate: true });
    expect(await get(`http://127.0.0.1:${port}/hooks`, agents)).toEqual({ status: 200 });
    agents.destroy();
    expect(received).toBe(1);
  });
});
