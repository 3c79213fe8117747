import { randomFillSync } from 'node:crypto';
import { monotonicFactory } from 'ulid';

export const ID_PREFIXES = {
  payment: 'pay',
  merchant: 'mer',
  apiKey: 'key',
  refund: 're',
  event: 'evt',
  webhookEndpoint: 'we',
  webhookDelivery: 'whd',
  request: 'req',
  bankReference: 'bnk',
  acquirer: 'acq',
  attempt: 'att',
  user: 'usr',
  session: 'ses',
  signInFailure: 'sif',
  auditEvent: 'aud',
} as const;

export type IdKind = keyof typeof ID_PREFIXES;

/**
 * ulid asks its PRNG once per character; a syscall each time is the default. Draw from a
 * pool of cryptographic random bytes instead, refilled 4 kB at a time.
 */
const pool = new Uint8Array(4096);
let poolIndex = pool.length;
function pooledRandom(): number {
  if (poolIndex >= pool.length) {
    randomFillSync(pool);
    poolIndex = 0;
  }
  return pool[poolIndex++]! / 256;
}

const ulid = monotonicFactory(pooledRandom);

/** `pay_01J…`: a prefix naming the object, then a ULID so ids sort by creation time. */
export function newId(kind: IdKind): string {
  return `${ID_PREFIXES[kind]}_${ulid()}`;
}

const ULID_BODY = '[0-9A-HJKMNP-TV-Z]{26}';
const patterns = Object.fromEntries(
  Object.entries(ID_PREFIXES).map(([kind, prefix]) => [kind, new RegExp(`^${prefix}_${ULID_BODY}$`)]),
) as Record<IdKind, RegExp>;

export function isId(kind: IdKind, value: string): boolean {
  return patterns[kind].test(value);
}
