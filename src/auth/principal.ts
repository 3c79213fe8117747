export type Role = 'admin' | 'merchant';

/** Who is calling: the admin, or one merchant through one of its keys. */
export type Principal = { role: 'admin'; keyId: string | null } | { role: 'merchant'; keyId: string; merchantId: string };

/** The merchant a caller is confined to; undefined for the admin, who sees every merchant. */
export function merchantScope(principal: Principal): string | undefined {
  return principal.role === 'merchant' ? principal.merchantId : undefined;
}
