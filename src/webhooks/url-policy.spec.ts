import { isNonPublicAddress, urlProblem, type UrlPolicy } from './url-policy.js';

describe(isNonPublicAddress.name, () => {
  it.each([
    ['127.0.0.1', 'IPv4 loopback'],
    ['127.255.255.254', 'the rest of 127/8'],
    ['10.0.0.1', '10/8'],
    ['10.255.255.255', '10/8, last address'],
    ['172.16.0.1', '172.16/12, first block'],
    ['172.20.10.10', '172.16/12, middle'],
    ['172.31.255.255', '172.16/12, last address'],
    ['192.168.0.1', '192.168/16'],
    ['192.168.255.255', '192.168/16, last address'],
    ['169.254.169.254', 'link-local (cloud metadata)'],
    ['169.254.0.1', 'link-local'],
    ['100.64.0.1', 'shared address space (CGNAT)'],
    ['100.127.255.255', 'shared address space, last address'],
    ['0.0.0.0', 'the unspecified IPv4 address'],
    ['0.1.2.3', 'this network'],
    ['224.0.0.1', 'multicast'],
    ['255.255.255.255', 'broadcast'],
    ['::1', 'IPv6 loopback'],
    ['::', 'the unspecified IPv6 address'],
    ['fe80::1', 'IPv6 link-local'],
    ['fc00::1', 'IPv6 unique local'],
    ['fd12:3456:789a::1', 'IPv6 unique local (fd)'],
    ['ff02::1', 'IPv6 multicast'],
    ['::ffff:127.0.0.1', 'IPv4-mapped loopback'],
    ['::FFFF:10.0.0.1', 'IPv4-mapped private, upper case'],
    ['::ffff:169.254.169.254', 'IPv4-mapped link-local'],
    ['::ffff:7f00:1', 'IPv4-mapped loopback, hex form'],
    ['64:ff9b::7f00:1', 'NAT64 of loopback'],
  ])('%s is non-public (%s)', (address) => {
    expect(isNonPublicAddress(address)).toBe(true);
  });

  it.each([
    ['8.8.8.8', 'Google DNS'],
    ['1.1.1.1', 'Cloudflare DNS'],
    ['172.15.255.255', 'just below 172.16/12'],
    ['172.32.0.1', 'just above 172.16/12'],
    ['100.63.255.255', 'just below 100.64/10'],
    ['100.128.0.1', 'just above 100.64/10'],
    ['192.169.0.1', 'just above 192.168/16'],
    ['11.0.0.1', 'just above 10/8'],
    ['2001:4860:4860::8888', 'Google DNS over IPv6'],
    ['2606:4700:4700::1111', 'Cloudflare DNS over IPv6'],
    ['::ffff:8.8.8.8', 'IPv4-mapped public'],
  ])('%s is public (%s)', (address) => {
    expect(isNonPublicAddress(address)).toBe(false);
  });

  it.each(['', 'localhost', 'example.com', '256.0.0.1', '1.2.3', 'fe80::1%eth0x', 'not an address'])('%j, not an address, counts as non-public', (value) => {
    expect(isNonPublicAddress(value)).toBe(true);
  });
});

describe(urlProblem.name, () => {
  const strict: UrlPolicy = { allowHttp: false, allowPrivate: false };
  const dev: UrlPolicy = { allowHttp: true, allowPrivate: true };
  const httpOnly: UrlPolicy = { allowHttp: true, allowPrivate: false };
  const privateOnly: UrlPolicy = { allowHttp: false, allowPrivate: true };
  const PRIVATE = 'url must not point to a loopback, private or link-local address';

  it.each([
    ['https://shop.example.com/webhooks', strict],
    ['https://shop.example.com:8443/webhooks?source=gateway', strict],
    ['https://8.8.8.8/hooks', strict],
    ['https://[2001:4860:4860::8888]/hooks', strict],
    ['http://shop.example.com/webhooks', httpOnly],
    ['http://127.0.0.1:3000/hooks', dev],
    ['https://localhost/hooks', privateOnly],
    ['https://[::1]/hooks', privateOnly],
  ])('accepts %s (%j)', (url, policy) => {
    expect(urlProblem(url, policy)).toBeUndefined();
  });

  describe('scheme', () => {
    it('refuses http unless allowed', () => {
      expect(urlProblem('http://shop.example.com/webhooks', strict)).toBe('url must use https');
      expect(urlProblem('http://shop.example.com/webhooks', privateOnly)).toBe('url must use https');
      expect(urlProblem('http://shop.example.com/webhooks', httpOnly)).toBeUndefined();
    });

    it.each(['ftp://shop.example.com/x', 'file:///etc/passwd', 'ws://shop.example.com/', 'javascript:alert(1)', 'data:text/plain,hi'])(
      'refuses %s whatever the policy',
      (url) => {
        expect(urlProblem(url, strict)).toBe('url must use https');
        expect(urlProblem(url, dev)).toBe('url must use https or http');
      },
    );
  });

  it.each(['https://user:pass@shop.example.com/', 'https://user@shop.example.com/', 'https://:pass@shop.example.com/', 'https://a:b@127.0.0.1/'])(
    'refuses credentials in %s, whatever the policy',
    (url) => {
      expect(urlProblem(url, strict)).toBe('url must not contain credentials');
      expect(urlProblem(url, dev)).toBe('url must not contain credentials');
    },
  );

  it.each(['https://localhost/x', 'https://LOCALHOST:8443/x', 'https://api.localhost/x', 'https://a.b.localhost/x'])('refuses %s unless private targets are allowed', (url) => {
    expect(urlProblem(url, strict)).toBe(PRIVATE);
    expect(urlProblem(url, privateOnly)).toBeUndefined();
  });

  it.each([
    'https://127.0.0.1/x',
    'https://127.0.0.1:8443/x',
    'https://10.0.0.1/x',
    'https://172.16.0.1/x',
    'https://192.168.1.1/x',
    'https://169.254.169.254/latest/meta-data/',
    'https://100.64.0.1/x',
    'https://0.0.0.0/x',
    'https://[::1]/x',
    'https://[::]/x',
    'https://[fe80::1]/x',
    'https://[fc00::1]/x',
    'https://[::ffff:127.0.0.1]/x',
    'https://[::ffff:a9fe:a9fe]/x',
    // Other spellings of 127.0.0.1, normalised by the URL parser.
    'https://2130706433/x',
    'https://0x7f000001/x',
    'https://127.1/x',
    'https://0177.0.0.1/x',
  ])('refuses the IP literal in %s unless private targets are allowed', (url) => {
    expect(urlProblem(url, strict)).toBe(PRIVATE);
    expect(urlProblem(url, privateOnly)).toBeUndefined();
  });

  it('leaves host names to the lookup: only their shape is judged here', () => {
    expect(urlProblem('https://internal.example.com/x', strict)).toBeUndefined();
  });

  it.each(['', 'not a url', 'shop.example.com/webhooks', '/webhooks', 'https://', 'https://exa mple.com/', 'http//shop.example.com', 'https://[::1/x'])(
    'refuses garbage %j',
    (text) => {
      expect(urlProblem(text, strict)).toBe('url must be an absolute URL');
      expect(urlProblem(text, dev)).toBe('url must be an absolute URL');
    },
  );
});
