import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * Per request: timings, so `Server-Timing` can tell the gateway's own time apart; and, once
 * the guard has authenticated it, who made it and from where, for the audit trail.
 */
export interface RequestContext {
  readonly requestId: string;
  readonly startedAt: number;
  dbMs: number;
  bankMs: number;
  /** The authenticated caller: a person (`userId`) or a key (`keyId`, null for the configured admin key). */
  caller?: { readonly userId?: string; readonly keyId: string | null };
  /** The request itself, for its client address (worked out only when something is audited). */
  peer?: { readonly ip?: string };
}

const storage = new AsyncLocalStorage<RequestContext>();

export const requestContext = {
  run<T>(context: RequestContext, fn: () => T): T {
    return storage.run(context, fn);
  },
  current(): RequestContext | undefined {
    return storage.getStore();
  },
  /** Runs `fn` outside any request: work done for several requests at once is not one's alone. */
  detached<T>(fn: () => T): T {
    return storage.exit(fn);
  },
  addDbTime(ms: number): void {
    const context = storage.getStore();
    if (context) context.dbMs += ms;
  },
  /** Times a bank round trip against the current request, if any. */
  async timeBank<T>(fn: () => Promise<T>): Promise<T> {
    const started = performance.now();
    try {
      return await fn();
    } finally {
      const context = storage.getStore();
      if (context) context.bankMs += performance.now() - started;
    }
  },
};

export function serverTiming(context: RequestContext, now = performance.now()): string {
  const total = now - context.startedAt;
  const app = Math.max(0, total - context.dbMs - context.bankMs);
  const fmt = (ms: number) => ms.toFixed(1);
  return `db;dur=${fmt(context.dbMs)}, bank;dur=${fmt(context.bankMs)}, app;dur=${fmt(app)}`;
}
