import { BlockList, isIP } from 'node:net';

/** One block of address space that is not plainly public, with where it is defined. */
export interface SpecialPurposeRange {
  readonly cidr: string;
  readonly name: string;
  readonly rfc: string;
  /**
   * IANA's "Globally Reachable" column; `null` where the registry answers N/A (terminated or
   * transition blocks), which is never taken to mean reachable.
   */
  readonly globallyReachable: boolean | null;
  /** Reaches an IPv4 address through a translator or tunnel: refused even when IANA says reachable. */
  readonly carriesIpv4?: true;
}

/** IANA IPv4 Special-Purpose Address Registry, every entry (registry updated 2025-10). */
export const IANA_IPV4_SPECIAL_PURPOSE: readonly SpecialPurposeRange[] = [
  { cidr: '0.0.0.0/8', name: '"This network"', rfc: 'RFC 791', globallyReachable: false },
  { cidr: '0.0.0.0/32', name: '"This host on this network"', rfc: 'RFC 1122', globallyReachable: false },
  { cidr: '10.0.0.0/8', name: 'Private-Use', rfc: 'RFC 1918', globallyReachable: false },
  { cidr: '100.64.0.0/10', name: 'Shared Address Space', rfc: 'RFC 6598', globallyReachable: false },
  { cidr: '127.0.0.0/8', name: 'Loopback', rfc: 'RFC 1122', globallyReachable: false },
  { cidr: '169.254.0.0/16', name: 'Link Local', rfc: 'RFC 3927', globallyReachable: false },
  { cidr: '172.16.0.0/12', name: 'Private-Use', rfc: 'RFC 1918', globallyReachable: false },
  { cidr: '192.0.0.0/24', name: 'IETF Protocol Assignments', rfc: 'RFC 6890', globallyReachable: false },
  { cidr: '192.0.0.0/29', name: 'IPv4 Service Continuity Prefix', rfc: 'RFC 7335', globallyReachable: false },
  { cidr: '192.0.0.8/32', name: 'IPv4 dummy address', rfc: 'RFC 7600', globallyReachable: false },
  { cidr: '192.0.0.9/32', name: 'Port Control Protocol Anycast', rfc: 'RFC 7723', globallyReachable: true },
  { cidr: '192.0.0.10/32', name: 'Traversal Using Relays around NAT Anycast', rfc: 'RFC 8155', globallyReachable: true },
  { cidr: '192.0.0.170/32', name: 'NAT64/DNS64 Discovery', rfc: 'RFC 8880', globallyReachable: false },
  { cidr: '192.0.0.171/32', name: 'NAT64/DNS64 Discovery', rfc: 'RFC 8880', globallyReachable: false },
  { cidr: '192.0.2.0/24', name: 'Documentation (TEST-NET-1)', rfc: 'RFC 5737', globallyReachable: false },
  { cidr: '192.31.196.0/24', name: 'AS112-v4', rfc: 'RFC 7535', globallyReachable: true },
  { cidr: '192.52.193.0/24', name: 'AMT', rfc: 'RFC 7450', globallyReachable: true },
  { cidr: '192.88.99.0/24', name: 'Deprecated (6to4 Relay Anycast)', rfc: 'RFC 7526', globallyReachable: null },
  { cidr: '192.88.99.2/32', name: '6a44-relay anycast address', rfc: 'RFC 6751', globallyReachable: false },
  { cidr: '192.168.0.0/16', name: 'Private-Use', rfc: 'RFC 1918', globallyReachable: false },
  { cidr: '192.175.48.0/24', name: 'Direct Delegation AS112 Service', rfc: 'RFC 7534', globallyReachable: true },
  { cidr: '198.18.0.0/15', name: 'Benchmarking', rfc: 'RFC 2544', globallyReachable: false },
  { cidr: '198.51.100.0/24', name: 'Documentation (TEST-NET-2)', rfc: 'RFC 5737', globallyReachable: false },
  { cidr: '203.0.113.0/24', name: 'Documentation (TEST-NET-3)', rfc: 'RFC 5737', globallyReachable: false },
  { cidr: '240.0.0.0/4', name: 'Reserved', rfc: 'RFC 1112', globallyReachable: false },
  { cidr: '255.255.255.255/32', name: 'Limited Broadcast', rfc: 'RFC 919', globallyReachable: false },
];

/** IANA IPv6 Special-Purpose Address Registry, every entry (registry updated 2025-10). */
export const IANA_IPV6_SPECIAL_PURPOSE: readonly SpecialPurposeRange[] = [
  { cidr: '::1/128', name: 'Loopback Address', rfc: 'RFC 4291', globallyReachable: false },
  { cidr: '::/128', name: 'Unspecified Address', rfc: 'RFC 4291', globallyReachable: false },
  { cidr: '::ffff:0:0/96', name: 'IPv4-mapped Address', rfc: 'RFC 4291', globallyReachable: false },
  { cidr: '64:ff9b::/96', name: 'IPv4-IPv6 Translation (NAT64)', rfc: 'RFC 6052', globallyReachable: true, carriesIpv4: true },
  { cidr: '64:ff9b:1::/48', name: 'IPv4-IPv6 Translation (local-use NAT64)', rfc: 'RFC 8215', globallyReachable: false, carriesIpv4: true },
  { cidr: '100::/64', name: 'Discard-Only Address Block', rfc: 'RFC 6666', globallyReachable: false },
  { cidr: '100:0:0:1::/64', name: 'Dummy IPv6 Prefix', rfc: 'RFC 9780', globallyReachable: false },
  { cidr: '2001::/23', name: 'IETF Protocol Assignments', rfc: 'RFC 2928', globallyReachable: false },
  { cidr: '2001::/32', name: 'TEREDO', rfc: 'RFC 4380', globallyReachable: null, carriesIpv4: true },
  { cidr: '2001:1::1/128', name: 'Port Control Protocol Anycast', rfc: 'RFC 7723', globallyReachable: true },
  { cidr: '2001:1::2/128', name: 'Traversal Using Relays around NAT Anycast', rfc: 'RFC 8155', globallyReachable: true },
  { cidr: '2001:1::3/128', name: 'DNS-SD Service Registration Protocol Anycast', rfc: 'RFC 9665', globallyReachable: true },
  { cidr: '2001:2::/48', name: 'Benchmarking', rfc: 'RFC 5180', globallyReachable: false },
  { cidr: '2001:3::/32', name: 'AMT', rfc: 'RFC 7450', globallyReachable: true },
  { cidr: '2001:4:112::/48', name: 'AS112-v6', rfc: 'RFC 7535', globallyReachable: true },
  { cidr: '2001:10::/28', name: 'Deprecated (previously ORCHID)', rfc: 'RFC 4843', globallyReachable: null },
  { cidr: '2001:20::/28', name: 'ORCHIDv2', rfc: 'RFC 7343', globallyReachable: true },
  { cidr: '2001:30::/28', name: 'Drone Remote ID Protocol Entity Tags (DETs) Prefix', rfc: 'RFC 9374', globallyReachable: true },
  { cidr: '2001:db8::/32', name: 'Documentation', rfc: 'RFC 3849', globallyReachable: false },
  { cidr: '2002::/16', name: '6to4', rfc: 'RFC 3056', globallyReachable: null, carriesIpv4: true },
  { cidr: '2620:4f:8000::/48', name: 'Direct Delegation AS112 Service', rfc: 'RFC 7534', globallyReachable: true },
  { cidr: '3fff::/20', name: 'Documentation', rfc: 'RFC 9637', globallyReachable: false },
  { cidr: '5f00::/16', name: 'Segment Routing (SRv6) SIDs', rfc: 'RFC 9602', globallyReachable: false },
  { cidr: 'fc00::/7', name: 'Unique-Local', rfc: 'RFC 4193', globallyReachable: false },
  { cidr: 'fe80::/10', name: 'Link-Local Unicast', rfc: 'RFC 4291', globallyReachable: false },
];

/** Non-public space the special-purpose registries leave to other documents. */
export const OTHER_NON_PUBLIC: readonly SpecialPurposeRange[] = [
  { cidr: '224.0.0.0/4', name: 'Multicast', rfc: 'RFC 5771', globallyReachable: false },
  { cidr: 'ff00::/8', name: 'Multicast', rfc: 'RFC 4291', globallyReachable: false },
  { cidr: 'fec0::/10', name: 'Site-Local (deprecated)', rfc: 'RFC 3879', globallyReachable: false },
  { cidr: '::/96', name: 'IPv4-compatible (deprecated)', rfc: 'RFC 4291', globallyReachable: false, carriesIpv4: true },
  { cidr: '::ffff:0:0:0/96', name: 'IPv4-translated', rfc: 'RFC 2765', globallyReachable: false, carriesIpv4: true },
];

/** Everything outside 2000::/3 is unassigned or special: nothing there is a merchant's server. */
const GLOBAL_UNICAST = subnet('2000::/3');
const IPV4_MAPPED = subnet('::ffff:0:0/96');

interface Matcher {
  range: SpecialPurposeRange;
  family: 'ipv4' | 'ipv6';
  prefix: number;
  list: BlockList;
}

/** Non-public entries, most specific first, so a refusal names the narrowest block. */
const NON_PUBLIC: readonly Matcher[] = [...IANA_IPV4_SPECIAL_PURPOSE, ...IANA_IPV6_SPECIAL_PURPOSE, ...OTHER_NON_PUBLIC]
  .filter((range) => range.globallyReachable !== true || range.carriesIpv4)
  // IPv4-mapped addresses are judged by the IPv4 address they carry (see nonPublicReason).
  .filter((range) => range.cidr !== '::ffff:0:0/96')
  .map((range) => ({ range, family: range.cidr.includes(':') ? ('ipv6' as const) : ('ipv4' as const), prefix: Number(range.cidr.split('/')[1]), list: subnet(range.cidr) }))
  .sort((a, b) => b.prefix - a.prefix);

function subnet(cidr: string): BlockList {
  const [network, prefix] = cidr.split('/') as [string, string];
  const list = new BlockList();
  list.addSubnet(network, Number(prefix), network.includes(':') ? 'ipv6' : 'ipv4');
  return list;
}

/**
 * Why `address` is not a public unicast address, or null when it is. Public means that no
 * non-global block contains it; IPv6 forms that carry an IPv4 address to a translator or tunnel
 * (IPv4-compatible, IPv4-translated, NAT64, 6to4, Teredo) are never public, since where they
 * lead is decided by equipment inside the network. An IPv4-mapped address (::ffff:a.b.c.d) is
 * opened by the kernel as a.b.c.d itself, so it is exactly as public as that address.
 */
export function nonPublicReason(address: string): string | null {
  const family = isIP(address);
  if (family === 0) return 'not an IP address';
  // A zone (fe80::1%eth0) only makes sense on a link-local address: never a remote server.
  if (address.includes('%')) return 'a scoped address';
  if (family === 4) return describe(NON_PUBLIC.find((m) => m.family === 'ipv4' && m.list.check(address, 'ipv4')));
  if (IPV4_MAPPED.check(address, 'ipv6')) {
    // BlockList compares an IPv4 block with the IPv4 address an IPv4-mapped address carries.
    const reason = describe(NON_PUBLIC.find((m) => m.family === 'ipv4' && m.list.check(address, 'ipv6')));
    return reason && `IPv4-mapped, ${reason}`;
  }
  const reason = describe(NON_PUBLIC.find((m) => m.family === 'ipv6' && m.list.check(address, 'ipv6')));
  if (reason) return reason;
  return GLOBAL_UNICAST.check(address, 'ipv6') ? null : 'outside global unicast 2000::/3 (RFC 4291)';
}

function describe(matcher: Matcher | undefined): string | null {
  return matcher ? `${matcher.range.cidr} ${matcher.range.name} (${matcher.range.rfc})` : null;
}
