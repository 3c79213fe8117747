import pg from 'pg';
import { QueryFailedError } from 'typeorm';
import { isClientTimeout, isDatabaseTimeout, isDatabaseUnavailable, isStatementRefused } from './database-errors.js';

function databaseError(code: string): pg.DatabaseError {
  const error = new pg.DatabaseError('terminating connection due to administrator command', 0, 'error');
  error.code = code;
  return error;
}

describe(isDatabaseUnavailable.name, () => {
  it.each([
    ['a dropped connection', new Error('Connection terminated unexpectedly')],
    ['a client that lost its connection', new Error('Client has encountered a connection error and is not queryable')],
    ['a pool that could not connect in time', new Error('timeout exceeded when trying to connect')],
    ['a refused connection', Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' })],
    ['an administrator shutdown (57P01)', databaseError('57P01')],
    ['a server still starting (57P03)', databaseError('57P03')],
    ['a connection exception (08006)', databaseError('08006')],
    ['the same, wrapped by TypeORM', new QueryFailedError('SELECT 1', [], databaseError('57P01'))],
    ['a statement past statement_timeout (57014)', databaseError('57014')],
    ['a server that did not answer within query_timeout', new Error('Query read timeout')],
  ])('is true for %s', (_label, error) => {
    expect(isDatabaseUnavailable(error)).toBe(true);
  });

  it.each([
    ['a constraint violation (23514)', databaseError('23514')],
    ['a serialization failure (40001)', databaseError('40001')],
    ['a syntax error, wrapped by TypeORM', new QueryFailedError('SELEC 1', [], databaseError('42601'))],
    ['any other error', new Error('something else')],
    ['a string', 'Connection terminated'],
    ['nothing', undefined],
  ])('is false for %s', (_label, error) => {
    expect(isDatabaseUnavailable(error)).toBe(false);
  });
});

describe(isStatementRefused.name, () => {
  it('is true for a statement the database refused', () => {
    expect(isStatementRefused(databaseError('23514'))).toBe(true);
    expect(isStatementRefused(databaseError('23505'))).toBe(true);
  });

  it('is false when the database is going away, or for anything else', () => {
    expect(isStatementRefused(databaseError('57P01'))).toBe(false);
    expect(isStatementRefused(new Error('Connection terminated unexpectedly'))).toBe(false);
    expect(isStatementRefused(new Error('23514'))).toBe(false);
  });
});

describe(isDatabaseTimeout.name, () => {
  it.each([
    ['statement_timeout (57014)', databaseError('57014')],
    ['the same, wrapped by TypeORM', new QueryFailedError('SELECT 1', [], databaseError('57014'))],
    ["the client's query_timeout", new Error('Query read timeout')],
    ['a pool checkout past its deadline', new Error('timeout exceeded when trying to connect')],
    ['a new connection past its deadline', new Error('Connection terminated due to connection timeout')],
  ])('is true for %s', (_label, error) => {
    expect(isDatabaseTimeout(error)).toBe(true);
  });

  it.each([
    ['a dropped connection', new Error('Connection terminated unexpectedly')],
    ['a constraint violation', databaseError('23514')],
    ['nothing', undefined],
  ])('is false for %s', (_label, error) => {
    expect(isDatabaseTimeout(error)).toBe(false);
  });
});

describe(isClientTimeout.name, () => {
  it("is true only for the client's own deadline", () => {
    expect(isClientTimeout(new Error('Query read timeout'))).toBe(true);
    expect(isClientTimeout(databaseError('57014'))).toBe(false);
    expect(isClientTimeout(undefined)).toBe(false);
  });
});
