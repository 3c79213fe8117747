import { MemoryRateLimitStore } from './rate-limit.store.js';

describe(MemoryRateLimitStore.name, () => {
  let store: MemoryRateLimitStore;

  beforeEach(() => {
    store = new MemoryRateLimitStore();
  });
  afterEach(() => {
    store.onApplicationShutdown();
  });

  it('counts hits per key, each key on its own', async () => {
    const first = await store.hit('key:a', 1000);
    expect(first.hits).toBe(1);
    expect(first.resetMs).toBeGreaterThan(0);
    expect(first.resetMs).toBeLessThanOrEqual(1000);
    expect((await store.hit('key:a', 1000)).hits).toBe(2);
    expect((await store.hit('key:a', 1000)).hits).toBe(3);

    expect((await store.hit('key:b', 1000)).hits).toBe(1);
    expect((await store.hit('key:a', 1000)).hits).toBe(4);
    expect((await store.hit('key:b', 1000)).hits).toBe(2);
  });

  it('starts a new window once the old one has passed', async () => {
    expect((await store.hit('key:c', 50)).hits).toBe(1);
    expect((await store.hit('key:c', 50)).hits).toBe(2);

    // Poll: the next hit eventually lands in a fresh window.
    let hits = Infinity;
    for (let attempt = 0; attempt < 100 && hits !== 1; attempt++) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      ({ hits } = await store.hit('key:c', 50));
    }
    expect(hits).toBe(1);
    expect((await store.hit('key:c', 50)).hits).toBeGreaterThanOrEqual(2);
  });

  it('keeps counting other keys while one resets', async () => {
    await store.hit('key:d', 50);
    await store.hit('key:e', 60_000);
    await store.hit('key:e', 60_000);
    let hits = Infinity;
    for (let attempt = 0; attempt < 100 && hits !== 1; attempt++) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      ({ hits } = await store.hit('key:d', 50));
    }
    expect(hits).toBe(1);
    expect((await store.hit('key:e', 60_000)).hits).toBe(3);
  });
});
