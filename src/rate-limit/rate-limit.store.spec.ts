import { jest } from '@jest/globals';
import { MemoryRateLimitStore } from './rate-limit.store.js';

describe(MemoryRateLimitStore.name, () => {
  let store: MemoryRateLimitStore;

  // Windows are measured on a clock the test moves: no test depends on how fast the machine is.
  beforeEach(() => {
    jest.useFakeTimers();
    store = new MemoryRateLimitStore();
  });
  afterEach(() => {
    store.onApplicationShutdown();
    jest.useRealTimers();
  });

  it('counts hits per key, each key on its own', async () => {
    const first = await store.hit('key:a', 1000);
    expect(first.hits).toBe(1);
    expect(first.resetMs).toBe(1000);
    expect((await store.hit('key:a', 1000)).hits).toBe(2);
    expect((await store.hit('key:a', 1000)).hits).toBe(3);

    expect((await store.hit('key:b', 1000)).hits).toBe(1);
    expect((await store.hit('key:a', 1000)).hits).toBe(4);
    expect((await store.hit('key:b', 1000)).hits).toBe(2);
  });

  it('starts a new window once the old one has passed', async () => {
    expect((await store.hit('key:c', 50)).hits).toBe(1);
    jest.advanceTimersByTime(49);
    expect(await store.hit('key:c', 50)).toEqual({ hits: 2, resetMs: 1 });

    jest.advanceTimersByTime(1);
    expect(await store.hit('key:c', 50)).toEqual({ hits: 1, resetMs: 50 });
    expect((await store.hit('key:c', 50)).hits).toBe(2);
  });

  it('keeps counting other keys while one resets', async () => {
    await store.hit('key:d', 50);
    await store.hit('key:e', 60_000);
    await store.hit('key:e', 60_000);
    jest.advanceTimersByTime(50);
    expect((await store.hit('key:d', 50)).hits).toBe(1);
    expect((await store.hit('key:e', 60_000)).hits).toBe(3);
  });
});
