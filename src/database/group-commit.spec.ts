import { jest } from '@jest/globals';
import { requestContext, type RequestContext } from '../common/request-context.js';
import { GroupCommit, type GroupCommitOptions } from './group-commit.js';

/** A statement whose batches stay on the wire until the test lets them go. */
function fakeStatement(fail: (items: number[]) => Error | undefined = () => undefined) {
  const batches: { items: number[]; finish: () => void }[] = [];
  /** The request context each batch was sent in. */
  const contexts: (RequestContext | undefined)[] = [];
  const execute = (items: number[]) =>
    new Promise<string[]>((resolve, reject) => {
      contexts.push(requestContext.current());
      batches.push({
        items,
        finish: () => {
          const error = fail(items);
          if (error) reject(error);
          else resolve(items.map((item) => `done ${item}`));
        },
      });
    });
  return { batches, execute, contexts };
}

const options = (overrides: Partial<GroupCommitOptions> = {}): GroupCommitOptions => ({
  inFlight: 1,
  maxItems: 100,
  retryAlone: () => true,
  ...overrides,
});

const settle = () => new Promise((resolve) => setImmediate(resolve));

describe('GroupCommit', () => {
  afterEach(() => {
    jest.useRealTimers();
  });

  it('sends a call at once, alone, when nothing is on the wire', async () => {
    const { batches, execute } = fakeStatement();
    const group = new GroupCommit(execute, options());
    const result = group.run(1);
    expect(batches.map((batch) => batch.items)).toEqual([[1]]);
    batches[0]!.finish();
    await expect(result).resolves.toBe('done 1');
  });

  it('groups the calls that arrive while the batches are busy into the next batch, in order, each with its own result', async () => {
    const { batches, execute } = fakeStatement();
    const group = new GroupCommit(execute, options({ inFlight: 2 }));
    const results = [1, 2, 3, 4, 5].map((item) => group.run(item));
    expect(batches.map((batch) => batch.items)).toEqual([[1], [2]]);
    batches[0]!.finish();
    await settle();
    expect(batches.map((batch) => batch.items)).toEqual([[1], [2], [3, 4, 5]]);
    batches[1]!.finish();
    batches[2]!.finish();
    await expect(Promise.all(results)).resolves.toEqual(['done 1', 'done 2', 'done 3', 'done 4', 'done 5']);
  });

  it('does not resolve a call before its batch has finished', async () => {
    const { batches, execute } = fakeStatement();
    const group = new GroupCommit(execute, options());
    let resolved = false;
    void group.run(1);
    void group.run(2).then(() => (resolved = true));
    batches[0]!.finish();
    await settle();
    expect(resolved).toBe(false);
    batches[1]!.finish();
    await settle();
    expect(resolved).toBe(true);
  });

  it('puts at most maxItems in one batch', async () => {
    const { batches, execute } = fakeStatement();
    const group = new GroupCommit(execute, options({ maxItems: 2 }));
    const results = [1, 2, 3, 4, 5, 6].map((item) => group.run(item));
    for (let i = 0; i < 4; i++) {
      batches[i]!.finish();
      await settle();
    }
    expect(batches.map((batch) => batch.items)).toEqual([[1], [2, 3], [4, 5], [6]]);
    await expect(Promise.all(results)).resolves.toHaveLength(6);
  });

  it('tries a failed batch again item by item: only the item that fails alone gets the error', async () => {
    const { batches, execute } = fakeStatement((items) => (items.includes(3) ? new Error('check constraint') : undefined));
    const group = new GroupCommit(execute, options());
    const first = group.run(1);
    const results = [2, 3, 4].map((item) => group.run(item).catch((error: Error) => error.message));
    batches[0]!.finish();
    await settle();
    batches[1]!.finish(); // [2, 3, 4] fails
    await settle();
    expect(batches.slice(2).map((batch) => batch.items)).toEqual([[2], [3], [4]]);
    for (const batch of batches.slice(2)) batch.finish();
    await expect(first).resolves.toBe('done 1');
    await expect(Promise.all(results)).resolves.toEqual(['done 2', 'check constraint', 'done 4']);
  });

  it('fails every call of the batch when the error is not one to try again alone', async () => {
    const { batches, execute } = fakeStatement((items) => (items.length > 1 ? new Error('connection lost') : undefined));
    const group = new GroupCommit(execute, options({ retryAlone: () => false }));
    void group.run(1);
    const results = [2, 3].map((item) => group.run(item).catch((error: Error) => error.message));
    batches[0]!.finish();
    await settle();
    batches[1]!.finish();
    await expect(Promise.all(results)).resolves.toEqual(['connection lost', 'connection lost']);
    expect(batches).toHaveLength(2);
  });

  it("charges each request's db timing with its wait (queue and batch), and runs batches in no request's context", async () => {
    // The fake clock moves only when the test says so: the charged times are exact, whatever the machine's load.
    jest.useFakeTimers({ doNotFake: ['setImmediate', 'nextTick', 'queueMicrotask'] });
    const { batches, execute, contexts: seen } = fakeStatement();
    const group = new GroupCommit(execute, options({ inFlight: 2 }));
    const contexts = [1, 2, 3].map((i): RequestContext => ({ requestId: `req_${i}`, startedAt: 0, dbMs: 0, bankMs: 0 }));
    const results = contexts.map((context, i) => requestContext.run(context, () => group.run(i)));
    expect(batches.map((batch) => batch.items)).toEqual([[0], [1]]);

    jest.advanceTimersByTime(20);
    batches[0]!.finish();
    await settle();
    // The third waited in the queue for a batch to finish before its own went out.
    expect(batches.map((batch) => batch.items)).toEqual([[0], [1], [2]]);
    jest.advanceTimersByTime(10);
    batches[1]!.finish();
    await settle();
    jest.advanceTimersByTime(20);
    batches[2]!.finish();
    await Promise.all(results);

    expect(seen).toEqual([undefined, undefined, undefined]);
    expect(contexts.map((context) => context.dbMs)).toEqual([20, 30, 50]);
  });
});
