import { ApiKeyCache } from './api-key-cache.js';
import type { Principal } from './principal.js';

const alice: Principal = { role: 'merchant', keyId: 'key_A', merchantId: 'mer_A', livemode: true };
const bob: Principal = { role: 'merchant', keyId: 'key_B', merchantId: 'mer_B', livemode: false };

describe(ApiKeyCache.name, () => {
  let now: number;
  let sut: ApiKeyCache;

  beforeEach(() => {
    now = 1_000;
    sut = new ApiKeyCache(30_000, 3, () => now);
    sut.open();
  });

  it('remembers a looked-up key until its time is up', () => {
    sut.set('hash-a', alice, sut.generation);
    now += 29_999;
    expect(sut.get('hash-a')).toEqual(alice);
    now += 1;
    expect(sut.get('hash-a')).toBeUndefined();
  });

  it('forgets a key the database announced as revoked, and only that key', () => {
    sut.set('hash-a', alice, sut.generation);
    sut.set('hash-b', bob, sut.generation);
    sut.revoked('hash-a');
    expect(sut.get('hash-a')).toBeUndefined();
    expect(sut.get('hash-b')).toEqual(bob);
  });

  it('forgets a key revoked by id on this instance', () => {
    sut.set('hash-a', alice, sut.generation);
    sut.set('hash-b', bob, sut.generation);
    sut.revokedKey('key_A');
    expect(sut.get('hash-a')).toBeUndefined();
    expect(sut.get('hash-b')).toEqual(bob);
  });

  it('does not keep an answer read before a revocation arrived', () => {
    const generation = sut.generation;
    sut.revoked('hash-a'); // announced while the lookup was on its way
    sut.set('hash-a', alice, generation);
    expect(sut.get('hash-a')).toBeUndefined();
  });

  it('keeps nothing while revocations cannot be heard, and starts empty when they can again', () => {
    sut.set('hash-a', alice, sut.generation);
    sut.close();
    expect(sut.get('hash-a')).toBeUndefined();
    sut.set('hash-a', alice, sut.generation);
    expect(sut.get('hash-a')).toBeUndefined();
    sut.open();
    expect(sut.get('hash-a')).toBeUndefined();
    sut.set('hash-a', alice, sut.generation);
    expect(sut.get('hash-a')).toEqual(alice);
  });

  it('keeps nothing before it is opened, or with a time of 0', () => {
    const closed = new ApiKeyCache(30_000, 3, () => now);
    closed.set('hash-a', alice, closed.generation);
    expect(closed.get('hash-a')).toBeUndefined();
    const off = new ApiKeyCache(0, 3, () => now);
    off.open();
    off.set('hash-a', alice, off.generation);
    expect(off.get('hash-a')).toBeUndefined();
  });

  it('holds at most its size, dropping the oldest entry first', () => {
    for (const hash of ['h1', 'h2', 'h3', 'h4']) sut.set(hash, alice, sut.generation);
    expect(sut.get('h1')).toBeUndefined();
    expect(['h2', 'h3', 'h4'].map((hash) => sut.get(hash))).toEqual([alice, alice, alice]);
  });
});
