import { requestContext, type RequestContext } from '../common/request-context.js';
import { isStatementRefused } from './database-errors.js';

export interface GroupCommitOptions {
  /** Batches of this statement on the wire at once; a call waits only while all are busy. */
  readonly inFlight: number;
  /** Items in one batch, at most. */
  readonly maxItems: number;
  /** Whether a failed batch is tried again item by item (say, a constraint one item broke; not a lost connection). */
  readonly retryAlone: (error: unknown) => boolean;
}

/**
 * Two batches on the wire per statement (measured against 1 and 4, docs/performance.md): a call
 * waits only while both are busy, and then goes with all those that queued meanwhile.
 */
const DEFAULTS: GroupCommitOptions = { inFlight: 2, maxItems: 100, retryAlone: isStatementRefused };

interface Pending<Item, Result> {
  readonly item: Item;
  readonly context: RequestContext | undefined;
  readonly queuedAt: number;
  readonly resolve: (result: Result) => void;
  readonly reject: (error: unknown) => void;
}

/**
 * Group commit for one write statement: calls that arrive while its batches are on the wire
 * wait, and then go together, as one statement, one round trip and one commit. Under load this
 * turns N commits (N WAL flushes, N statement executions in PostgreSQL, N round trips in the
 * driver) into one; when idle, a call goes out at once, alone, and waits for nothing.
 *
 * A call resolves only when the statement that carried it has committed: batching changes
 * what is written together, never what is durable when the caller goes on. `execute` gets the
 * items in arrival order and returns one result per item, in the same order; it must be one
 * statement (atomic), so that a failed batch wrote nothing and can be tried again alone.
 */
export class GroupCommit<Item, Result> {
  private queue: Pending<Item, Result>[] = [];
  private busy = 0;

  constructor(
    private readonly execute: (items: Item[]) => Promise<Result[]>,
    private readonly options: GroupCommitOptions = DEFAULTS,
  ) {}

  run(item: Item): Promise<Result> {
    return new Promise<Result>((resolve, reject) => {
      this.queue.push({ item, context: requestContext.current(), queuedAt: performance.now(), resolve, reject });
      this.drain();
    });
  }

  private drain(): void {
    while (this.busy < this.options.inFlight && this.queue.length > 0) {
      const batch = this.queue.splice(0, this.options.maxItems);
      this.busy++;
      // Outside any one request's context: each request is charged its own wait below.
      void requestContext.detached(() => this.send(batch)).finally(() => {
        this.busy--;
        this.drain();
      });
    }
  }

  private async send(batch: Pending<Item, Result>[]): Promise<void> {
    try {
      const results = await this.execute(batch.map((pending) => pending.item));
      charge(batch);
      batch.forEach((pending, i) => pending.resolve(results[i]!));
    } catch (error) {
      if (batch.length > 1 && this.options.retryAlone(error)) {
        await Promise.all(batch.map((pending) => this.send([pending])));
      } else {
        charge(batch);
        for (const pending of batch) pending.reject(error);
      }
    }
  }
}

/** A request's `db` timing gets its wait for the database: in the queue, then on the wire. */
function charge(batch: readonly { context: RequestContext | undefined; queuedAt: number }[]): void {
  const now = performance.now();
  for (const { context, queuedAt } of batch) if (context) context.dbMs += now - queuedAt;
}
