import pg from 'pg';

/**
 * SQLSTATEs of a database that is going away or not there: connection exceptions (class 08),
 * an administrator's or a crash's shutdown, a server still starting (57P01–57P03).
 */
const UNAVAILABLE_STATES = /^(08|57P0[123])/;

/** query_canceled: statement_timeout passed (or an operator cancelled the statement). */
const STATEMENT_TIMEOUT = '57014';

/** node-postgres' own message when query_timeout passes without an answer from the server. */
const CLIENT_TIMEOUT = 'Query read timeout';

/** Messages of node-postgres and its pool when the connection, not the statement, failed. */
const CONNECTION_FAILURES = /^(Connection terminated|Client has encountered a connection error|timeout exceeded when trying to connect|Query read timeout)/;

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
  if (error instanceof pg.DatabaseError) return UNAVAILABLE_STATES.test(error.code ?? '') || error.code === STATEMENT_TIMEOUT;
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

/** Whether the database did not answer in time: the server's statement_timeout or the client's own deadline. */
export function isDatabaseTimeout(error: unknown): boolean {
  const driverError = (error as { driverError?: unknown } | null)?.driverError;
  if (driverError !== undefined && driverError !== error) return isDatabaseTimeout(driverError);
  if (error instanceof pg.DatabaseError) return error.code === STATEMENT_TIMEOUT;
  return error instanceof Error && /^(Query read timeout|timeout exceeded when trying to connect|Connection terminated due to connection timeout)/.test(error.message);
}

/** Whether the client gave up waiting for the server's answer on its connection. */
export function isClientTimeout(error: unknown): boolean {
  return error instanceof Error && error.message === CLIENT_TIMEOUT;
}

/** Whether a unique constraint or index (`constraint`, when named) refused the row (SQLSTATE 23505), e.g. an email taken. */
export function isUniqueViolation(error: unknown, constraint?: string): boolean {
  const driverError = (error as { driverError?: unknown } | null)?.driverError ?? error;
  return driverError instanceof pg.DatabaseError && driverError.code === '23505' && (constraint === undefined || driverError.constraint === constraint);
}
