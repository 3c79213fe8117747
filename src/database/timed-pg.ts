import type { Socket } from 'node:net';
import pg from 'pg';
import { requestContext } from '../common/request-context.js';
import { isClientTimeout } from './database-errors.js';

/**
 * node-postgres with every query's duration added to the current request's `db`
 * timing, whichever repository, guard or transaction issued it.
 */
class TimedClient extends pg.Client {
  constructor(config?: string | pg.ClientConfig) {
    super(config);
    // A connection that dies while checked out of the pool (PostgreSQL restarted, a failover,
    // pg_terminate_backend) emits 'error' on its client, and the pool listens only to idle
    // ones: unheard, the event would crash the process. The statement running on it fails
    // with the same error, and the pool drops the client when it comes back.
    this.on('error', () => undefined);
  }

  override query(...args: unknown[]): never {
    const started = performance.now();
    const record = (error?: unknown) => {
      requestContext.addDbTime(performance.now() - started);
      if (isClientTimeout(error)) this.abandon();
    };
    const last = args.at(-1);
    if (typeof last === 'function') {
      args[args.length - 1] = (...callbackArgs: unknown[]) => {
        record(callbackArgs[0]);
        return (last as (...a: unknown[]) => unknown)(...callbackArgs);
      };
      return (super.query as (...a: unknown[]) => never)(...args);
    }
    const result = (super.query as (...a: unknown[]) => unknown)(...args);
    if (result instanceof Promise) void result.then(() => record(), record);
    return result as never;
  }

  /**
   * The client gave up on a statement the server never answered (query_timeout): the
   * connection still expects that answer, so no later statement may use it. Ending marks it
   * for the pool to drop, whoever checked it out (TypeORM releases without an error); the
   * socket is destroyed so that a silent server cannot keep it open.
   */
  private abandon(): void {
    void this.end().catch(() => undefined);
    (this as unknown as { connection: { stream: Socket } }).connection.stream.destroy();
  }
}

class TimedPool extends pg.Pool {
  constructor(options?: pg.PoolConfig) {
    super({ ...options, Client: TimedClient });
  }
}

export const timedPg = { ...pg, Pool: TimedPool, Client: TimedClient };
