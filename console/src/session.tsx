import { createContext, useContext } from 'react';
import type { Session } from './api/types';
import type { Permissions } from './permissions';

export interface SessionContextValue {
  session: Session;
  can: Permissions;
  signOut: () => Promise<void>;
}

export const SessionContext = createContext<SessionContextValue | null>(null);

export function useSession(): SessionContextValue {
  const value = useContext(SessionContext);
  if (!value) throw new Error('useSession outside a signed-in console');
  return value;
}
