/** Readiness: the database answers a statement. */
export const PING = 'SELECT 1';
