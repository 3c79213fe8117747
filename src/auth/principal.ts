import { GatewayError, invalidParam } from '../common/errors.js';
import { isId } from '../common/ids.js';

export type Role = 'admin' | 'merchant';

/**
 * Who is calling: the admin (every merchant, both modes); one merchant in one mode through one
 * of its keys; or a person of one merchant (`userId`), who sees both of its modes.
 */
export type Principal =
  /** The admin key, or a staff member signed in (`userId`; the guard keeps support to reads). */
  | { role: 'admin'; keyId: string | null; userId?: string; livemode?: undefined }
  | { role: 'merchant'; keyId: string; merchantId: string; livemode: boolean; userId?: undefined }
  /** A merchant's person signed in: both modes (the guard keeps viewers to reads). */
  | { role: 'merchant'; keyId: null; merchantId: string; livemode?: undefined; userId: string };

/**
 * What a caller may see: one merchant's objects (of one mode, for a key); nothing left out for
 * the admin. Every repository read a merchant's caller reaches filters by the whole scope.
 */
export type Scope = { merchantId: string; livemode?: boolean } | { merchantId?: undefined; livemode?: undefined };

export function scopeOf(principal: Principal): Scope {
  return principal.role === 'merchant' ? { merchantId: principal.merchantId, livemode: principal.livemode } : {};
}

/** The mode of what a caller creates: its key's, or live for the admin and for people. */
export function modeOf(principal: Principal): boolean {
  return principal.livemode ?? true;
}

/**
 * The mode a list shows: a merchant key's own (naming one, like naming `merchant_id`, is an
 * unknown parameter); for the admin and for people, `livemode=true|false` or, absent, both
 * (undefined).
 */
export function listedMode(principal: Principal, livemode: string | undefined): boolean | undefined {
  if (principal.livemode !== undefined) {
    if (livemode !== undefined) throw new GatewayError('parameter_unknown', 'Unknown parameter: livemode', 'livemode');
    return principal.livemode;
  }
  if (livemode === undefined) return undefined;
  if (livemode === 'true' || livemode === 'false') return livemode === 'true';
  throw invalidParam('livemode', 'livemode must be true or false');
}

/**
 * The merchant a list shows: a merchant's caller's own (naming one is an unknown parameter); for
 * the admin, `merchant_id` or, absent, every merchant (undefined).
 */
export function listedMerchant(principal: Principal, merchantId: string | undefined): string | undefined {
  if (merchantId === undefined) return scopeOf(principal).merchantId;
  if (principal.role !== 'admin') throw new GatewayError('parameter_unknown', 'Unknown parameter: merchant_id', 'merchant_id');
  if (!isId('merchant', merchantId)) throw invalidParam('merchant_id', 'merchant_id is not a merchant id');
  return merchantId;
}

/** The merchant of a route only a merchant's people reach (PeopleOnly has let nobody else in). */
export function ownMerchant(principal: Principal): string {
  if (principal.role !== 'merchant') throw new Error("This route is for a merchant's people only");
  return principal.merchantId;
}
