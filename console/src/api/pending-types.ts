/**
 * Shapes of the routes being added to the backend, not yet in openapi.json. Each is marked
 * TODO: schema — replace it with the generated type (Schemas['…']) once openapi.json is regenerated.
 */
import type { Schemas } from './client';

// TODO: schema — UserResponse.role gains the merchant roles, and merchant_id.
export type Role = 'admin' | 'support' | 'merchant_admin' | 'merchant_viewer';

// TODO: schema
export interface User extends Omit<Schemas['UserResponse'], 'role'> {
  role: Role;
  merchant_id?: string | null;
}

// TODO: schema
export interface CreatedUser extends User {
  password?: string;
}

// TODO: schema
export interface Session extends Omit<Schemas['SessionResponse'], 'user'> {
  user: User;
}

// TODO: schema
export interface Page<T> {
  data: T[];
  has_more: boolean;
  next_cursor: string | null;
}

// TODO: schema — GET /v1/admin/merchants/{id}/api-keys, GET /v1/api-keys
export interface ApiKey {
  id: string;
  object: 'api_key';
  merchant_id: string;
  prefix: string;
  livemode: boolean;
  created_at: string;
  revoked_at: string | null;
}

// TODO: schema — GET /v1/admin/audit-events, GET /v1/audit-events
export interface AuditEvent {
  id: string;
  object: 'audit_event';
  action: string;
  actor: { type: 'user' | 'api_key' | 'admin_key'; id: string | null; label: string };
  target: { type: string; id: string };
  merchant_id: string | null;
  request_id: string | null;
  client_ip: string | null;
  before: Record<string, unknown> | null;
  after: Record<string, unknown> | null;
  created_at: string;
}
