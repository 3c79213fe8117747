import type { Role, User } from './api/types';

/** What a role may see and do in the console: the one table the navigation and the buttons read. */
export interface Permissions {
  staff: boolean;
  home: boolean;
  payments: boolean;
  paymentActions: boolean;
  archive: boolean;
  merchants: boolean;
  manageMerchants: boolean;
  keys: boolean;
  manageKeys: boolean;
  webhooks: boolean;
  manageWebhooks: boolean;
  users: boolean;
  manageUsers: boolean;
  audit: boolean;
  acquirers: boolean;
  manageAcquirers: boolean;
}

const NONE: Permissions = {
  staff: false, home: false, payments: false, paymentActions: false, archive: false, merchants: false,
  manageMerchants: false, keys: false, manageKeys: false, webhooks: false, manageWebhooks: false,
  users: false, manageUsers: false, audit: false, acquirers: false, manageAcquirers: false,
};

const BY_ROLE: Record<Role, Permissions> = {
  admin: Object.fromEntries(Object.keys(NONE).map((name) => [name, true])) as unknown as Permissions,
  support: {
    ...NONE, staff: true, home: true, payments: true, merchants: true, keys: true, webhooks: true, users: true, audit: true, acquirers: true,
  },
  merchant_admin: {
    ...NONE, home: true, payments: true, paymentActions: true, keys: true, manageKeys: true, webhooks: true, manageWebhooks: true,
    users: true, manageUsers: true, audit: true,
  },
  merchant_viewer: { ...NONE, home: true, payments: true, webhooks: true },
};

export function permissionsOf(user: Pick<User, 'role'>): Permissions {
  return BY_ROLE[user.role] ?? NONE;
}

export const ROLE_LABELS: Record<Role, string> = {
  admin: 'Admin',
  support: 'Support',
  merchant_admin: 'Merchant admin',
  merchant_viewer: 'Merchant viewer',
};
