import pg from 'pg';

/**
 * SQLSTATEs of a database that is going away or not there: connection exceptions (class 08),
 * an administrator's or a crash's shutdown, a server still starting (57P01–57P03).
 */
const UNAVAILABLE_STATES = /^(08|57P0[123])/;

/** Messages of node-postgres and its pool when the connection, not the statement, failed. */
const CONNECTION_FAILURES = /^(Connection terminated|Client has encountered a connection error|timeout exceeded when trying to connect)/;

const SOCKET_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENOTFOUND', 'EPIPE']);

/**
 * Whether `error` says that the database could not be reached or dropped the connection (as
 * opposed to refusing a statement): a transient fault, answered 503 rather than 500. TypeORM's
 * QueryFailedError carries the driver's error as `driverError`.
 */
export function isDatabaseUnavailable(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const driverError = (error as { driverError?: unknown }).driverError;
  if (driverError !== undefined && driverError !== error) return isDatabaseUnavailable(driverError);
  if (error instanceof pg.DatabaseError) return UNAVAILABLE_STATES.test(error.code ?? '');
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string' && SOCKET_CODES.has(code)) return true;
  return error instanceof Error && CONNECTION_FAILURES.test(error.message);
}

/**
 * Whether the database answered and refused the statement (a constraint, a bad value): the
 * same statement without the offending row may succeed. Not when the database is going away.
 */
export function isStatementRefused(error: unknown): boolean {
  return error instanceof pg.DatabaseError && !isDatabaseUnavailable(error);
}
