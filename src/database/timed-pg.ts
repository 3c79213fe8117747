import pg from 'pg';
import { requestContext } from '../common/request-context.js';

/**
 * node-postgres with every query's duration added to the current request's `db`
 * timing, whichever repository, guard or transaction issued it.
 */
class TimedClient extends pg.Client {
  override query(...args: unknown[]): never {
    const started = performance.now();
    const record = () => requestContext.addDbTime(performance.now() - started);
    const last = args.at(-1);
    if (typeof last === 'function') {
      args[args.length - 1] = (...callbackArgs: unknown[]) => {
        record();
        return (last as (...a: unknown[]) => unknown)(...callbackArgs);
      };
      return (super.query as (...a: unknown[]) => never)(...args);
    }
    const result = (super.query as (...a: unknown[]) => unknown)(...args);
    if (result instanceof Promise) void result.then(record, record);
    return result as never;
  }
}

class TimedPool extends pg.Pool {
  constructor(options?: pg.PoolConfig) {
    super({ ...options, Client: TimedClient });
  }
}

export const timedPg = { ...pg, Pool: TimedPool, Client: TimedClient };
