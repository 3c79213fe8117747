/** Names for the API's shapes the screens use, all from the generated schema. */
import type { Schemas } from './client';

export type User = Schemas['UserResponse'];
export type Role = User['role'];
export type CreatedUser = Schemas['CreatedUserResponse'];
export type Session = Schemas['SessionResponse'];
export type ApiKey = Schemas['ApiKeyResponse'];
export type AuditEvent = Schemas['AuditEventResponse'];

export interface Page<T> {
  data: T[];
  has_more: boolean;
  next_cursor: string | null;
}
