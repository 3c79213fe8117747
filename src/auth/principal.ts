export type Role = 'admin' | 'merchant';

/** Who is calling: the admin, or one merchant through one of its keys. */
export type Principal = { role: 'admin'; keyId: string | null } | { role: 'merchant'; keyId: string; merchantId: string };
