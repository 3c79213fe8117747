import { isIP } from 'node:net';
import {
  IANA_IPV4_SPECIAL_PURPOSE,
  IANA_IPV6_SPECIAL_PURPOSE,
  nonPublicReason,
  OTHER_NON_PUBLIC,
  type SpecialPurposeRange,
} from './special-purpose-addresses.js';

// Address arithmetic for the tests only, independent of the BlockList the code uses.
function toBigInt(address: string): bigint {
  if (isIP(address) === 4) return address.split('.').reduce((sum, part) => (sum << 8n) + BigInt(part), 0n);
  const [head, tail] = address.includes('::') ? address.split('::') : [address, undefined];
  const groups = (text: string | undefined) => (text ? text.split(':') : []);
  const left = groups(head);
  const right = groups(tail);
  const all = tail === undefined ? left : [...left, ...Array<string>(8 - left.length - right.length).fill('0'), ...right];
  return all.reduce((sum, group) => (sum << 16n) + BigInt(`0x${group}`), 0n);
}

function format(value: bigint, family: 4 | 6): string {
  if (family === 4) return [24n, 16n, 8n, 0n].map((shift) => String((value >> shift) & 0xffn)).join('.');
  return [112n, 96n, 80n, 64n, 48n, 32n, 16n, 0n].map((shift) => ((value >> shift) & 0xffffn).toString(16)).join(':');
}

function bounds(cidr: string): { first: string; last: string; network: bigint; family: 4 | 6 } {
  const [network, prefix] = cidr.split('/') as [string, string];
  const family = isIP(network) as 4 | 6;
  const bits = family === 4 ? 32n : 128n;
  const hostMask = (1n << (bits - BigInt(prefix))) - 1n;
  const base = toBigInt(network) & ~hostMask;
  return { first: format(base, family), last: format(base | hostMask, family), network: toBigInt(network), family };
}

const ALL = [...IANA_IPV4_SPECIAL_PURPOSE, ...IANA_IPV6_SPECIAL_PURPOSE, ...OTHER_NON_PUBLIC];
const refused = (range: SpecialPurposeRange) => range.globallyReachable !== true || range.carriesIpv4 === true;

describe('the special-purpose table', () => {
  it.each(ALL.map((range) => [range.cidr, range]))('%s is a network address with its prefix and an RFC', (cidr, range) => {
    const { first, network, family } = bounds(cidr);
    expect(toBigInt(first)).toBe(network);
    expect(Number(cidr.split('/')[1])).toBeLessThanOrEqual(family === 4 ? 32 : 128);
    expect(range.rfc).toMatch(/^RFC \d+$/);
  });

  it('transcribes every entry of both IANA registries', () => {
    expect(IANA_IPV4_SPECIAL_PURPOSE).toHaveLength(26);
    expect(IANA_IPV6_SPECIAL_PURPOSE).toHaveLength(25);
  });
});

describe(nonPublicReason.name, () => {
  describe.each(ALL.filter(refused).map((range) => [`${range.cidr} ${range.name}`, range]))('every non-global entry: %s', (_, range) => {
    const { first, last } = bounds(range.cidr);
    it.each([first, last])('refuses %s', (address) => {
      expect(nonPublicReason(address)).not.toBeNull();
    });
  });

  it.each([
    // The forms the production policy used to accept.
    ['::127.0.0.1', '::/96 IPv4-compatible (deprecated) (RFC 4291)'],
    ['::8.8.8.8', '::/96 IPv4-compatible (deprecated) (RFC 4291)'],
    ['::ffff:0:127.0.0.1', '::ffff:0:0:0/96 IPv4-translated (RFC 2765)'],
    ['::ffff:0:8.8.8.8', '::ffff:0:0:0/96 IPv4-translated (RFC 2765)'],
    ['64:ff9b::127.0.0.1', '64:ff9b::/96 IPv4-IPv6 Translation (NAT64) (RFC 6052)'],
    ['64:ff9b::8.8.8.8', '64:ff9b::/96 IPv4-IPv6 Translation (NAT64) (RFC 6052)'],
    ['64:ff9b:1::a00:1', '64:ff9b:1::/48 IPv4-IPv6 Translation (local-use NAT64) (RFC 8215)'],
    ['64:ff9b:1:ffff:ffff:ffff:ffff:ffff', '64:ff9b:1::/48 IPv4-IPv6 Translation (local-use NAT64) (RFC 8215)'],
    ['2002:7f00:1::1', '2002::/16 6to4 (RFC 3056)'],
    ['2002:a9fe:a9fe::1', '2002::/16 6to4 (RFC 3056)'],
    ['2002:808:808::1', '2002::/16 6to4 (RFC 3056)'],
    ['2001::1', '2001::/32 TEREDO (RFC 4380)'],
    ['2001:0:4136:e378:8000:63bf:3fff:fdd2', '2001::/32 TEREDO (RFC 4380)'],
    ['fec0::1', 'fec0::/10 Site-Local (deprecated) (RFC 3879)'],
    ['feff:ffff:ffff:ffff:ffff:ffff:ffff:ffff', 'fec0::/10 Site-Local (deprecated) (RFC 3879)'],
    ['192.0.2.1', '192.0.2.0/24 Documentation (TEST-NET-1) (RFC 5737)'],
    ['198.51.100.7', '198.51.100.0/24 Documentation (TEST-NET-2) (RFC 5737)'],
    ['203.0.113.9', '203.0.113.0/24 Documentation (TEST-NET-3) (RFC 5737)'],
    ['198.18.0.0', '198.18.0.0/15 Benchmarking (RFC 2544)'],
    ['198.19.255.255', '198.18.0.0/15 Benchmarking (RFC 2544)'],
    // The most specific block names the refusal.
    ['127.0.0.1', '127.0.0.0/8 Loopback (RFC 1122)'],
    ['0.0.0.0', '0.0.0.0/32 "This host on this network" (RFC 1122)'],
    ['0.1.2.3', '0.0.0.0/8 "This network" (RFC 791)'],
    ['255.255.255.255', '255.255.255.255/32 Limited Broadcast (RFC 919)'],
    ['255.255.255.254', '240.0.0.0/4 Reserved (RFC 1112)'],
    ['224.0.0.1', '224.0.0.0/4 Multicast (RFC 5771)'],
    ['239.255.255.255', '224.0.0.0/4 Multicast (RFC 5771)'],
    ['169.254.169.254', '169.254.0.0/16 Link Local (RFC 3927)'],
    ['100.64.0.1', '100.64.0.0/10 Shared Address Space (RFC 6598)'],
    ['192.88.99.1', '192.88.99.0/24 Deprecated (6to4 Relay Anycast) (RFC 7526)'],
    ['192.88.99.2', '192.88.99.2/32 6a44-relay anycast address (RFC 6751)'],
    ['::1', '::1/128 Loopback Address (RFC 4291)'],
    ['::', '::/128 Unspecified Address (RFC 4291)'],
    ['fe80::1', 'fe80::/10 Link-Local Unicast (RFC 4291)'],
    ['fd12:3456:789a::1', 'fc00::/7 Unique-Local (RFC 4193)'],
    ['ff02::1', 'ff00::/8 Multicast (RFC 4291)'],
    ['2001:db8::1', '2001:db8::/32 Documentation (RFC 3849)'],
    ['3fff:fff:ffff::1', '3fff::/20 Documentation (RFC 9637)'],
    ['2001:2::1', '2001:2::/48 Benchmarking (RFC 5180)'],
    // Globally reachable per IANA, but inside a non-global block: not a merchant's server.
    ['192.0.0.9', '192.0.0.0/24 IETF Protocol Assignments (RFC 6890)'],
    ['192.0.0.10', '192.0.0.0/24 IETF Protocol Assignments (RFC 6890)'],
    ['2001:1::1', '2001::/23 IETF Protocol Assignments (RFC 2928)'],
    ['2001:3::1', '2001::/23 IETF Protocol Assignments (RFC 2928)'],
    ['2001:20::1', '2001::/23 IETF Protocol Assignments (RFC 2928)'],
    // IPv4-mapped: exactly as public as the IPv4 address it carries, in either spelling.
    ['::ffff:127.0.0.1', 'IPv4-mapped, 127.0.0.0/8 Loopback (RFC 1122)'],
    ['::ffff:7f00:1', 'IPv4-mapped, 127.0.0.0/8 Loopback (RFC 1122)'],
    ['::FFFF:10.0.0.1', 'IPv4-mapped, 10.0.0.0/8 Private-Use (RFC 1918)'],
    ['::ffff:a9fe:a9fe', 'IPv4-mapped, 169.254.0.0/16 Link Local (RFC 3927)'],
    ['::ffff:192.0.2.1', 'IPv4-mapped, 192.0.2.0/24 Documentation (TEST-NET-1) (RFC 5737)'],
    ['::ffff:0.0.0.0', 'IPv4-mapped, 0.0.0.0/32 "This host on this network" (RFC 1122)'],
    // Unassigned IPv6 space.
    ['4000::1', 'outside global unicast 2000::/3 (RFC 4291)'],
    ['1fff:ffff:ffff:ffff:ffff:ffff:ffff:ffff', 'outside global unicast 2000::/3 (RFC 4291)'],
    ['100::1:1', '100::/64 Discard-Only Address Block (RFC 6666)'],
    ['100:0:0:1::1', '100:0:0:1::/64 Dummy IPv6 Prefix (RFC 9780)'],
    ['5f00::1', '5f00::/16 Segment Routing (SRv6) SIDs (RFC 9602)'],
    // Not addresses a socket should be given.
    ['fe80::1%eth0', 'a scoped address'],
    ['2001:4860:4860::8888%1', 'a scoped address'],
    ['', 'not an IP address'],
    ['localhost', 'not an IP address'],
    ['256.0.0.1', 'not an IP address'],
    ['1.2.3', 'not an IP address'],
    ['::ffff:1.2.3.256', 'not an IP address'],
  ])('refuses %s: %s', (address, reason) => {
    expect(nonPublicReason(address)).toBe(reason);
  });

  it.each([
    ['8.8.8.8', 'Google DNS'],
    ['1.1.1.1', 'Cloudflare DNS'],
    ['1.0.0.0', 'just above 0.0.0.0/8'],
    ['9.255.255.255', 'just below 10/8'],
    ['11.0.0.0', 'just above 10/8'],
    ['100.63.255.255', 'just below 100.64/10'],
    ['100.128.0.0', 'just above 100.64/10'],
    ['126.255.255.255', 'just below 127/8'],
    ['128.0.0.0', 'just above 127/8'],
    ['169.253.255.255', 'just below 169.254/16'],
    ['169.255.0.0', 'just above 169.254/16'],
    ['172.15.255.255', 'just below 172.16/12'],
    ['172.32.0.0', 'just above 172.16/12'],
    ['191.255.255.255', 'just below 192.0.0/24'],
    ['192.0.1.0', 'between 192.0.0/24 and 192.0.2/24'],
    ['192.0.3.0', 'just above 192.0.2/24'],
    ['192.31.196.1', 'AS112-v4, globally reachable'],
    ['192.52.193.1', 'AMT, globally reachable'],
    ['192.88.98.255', 'just below 192.88.99/24'],
    ['192.88.100.0', 'just above 192.88.99/24'],
    ['192.167.255.255', 'just below 192.168/16'],
    ['192.169.0.0', 'just above 192.168/16'],
    ['192.175.48.1', 'AS112 direct delegation, globally reachable'],
    ['198.17.255.255', 'just below 198.18/15'],
    ['198.20.0.0', 'just above 198.18/15'],
    ['198.51.99.255', 'just below 198.51.100/24'],
    ['198.51.101.0', 'just above 198.51.100/24'],
    ['203.0.112.255', 'just below 203.0.113/24'],
    ['203.0.114.0', 'just above 203.0.113/24'],
    ['223.255.255.255', 'just below multicast'],
    ['2001:4860:4860::8888', 'Google DNS over IPv6'],
    ['2606:4700:4700::1111', 'Cloudflare DNS over IPv6'],
    ['2000::1', 'first of global unicast'],
    ['2001:200::', 'just above 2001::/23'],
    ['2001:db7:ffff:ffff:ffff:ffff:ffff:ffff', 'just below 2001:db8::/32'],
    ['2001:db9::', 'just above 2001:db8::/32'],
    ['2001:ffff:ffff:ffff:ffff:ffff:ffff:ffff', 'just below 6to4'],
    ['2003::', 'just above 6to4'],
    ['2620:4f:8000::1', 'AS112 direct delegation, globally reachable'],
    ['3ffe:ffff::1', 'just below 3fff::/20'],
    ['3fff:1000::', 'just above 3fff::/20'],
    ['3fff:ffff:ffff:ffff:ffff:ffff:ffff:ffff', 'last of global unicast'],
    ['::ffff:8.8.8.8', 'IPv4-mapped public'],
    ['::ffff:808:808', 'IPv4-mapped public, hex form'],
    ['::ffff:198.20.0.0', 'IPv4-mapped, just above 198.18/15'],
  ])('accepts %s (%s)', (address) => {
    expect(nonPublicReason(address)).toBeNull();
  });
});
