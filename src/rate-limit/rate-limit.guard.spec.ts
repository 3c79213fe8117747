import type { ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { jest } from '@jest/globals';
import { loadConfig } from '../config/config.js';
import { RateLimitGuard } from './rate-limit.guard.js';
import { MemoryRateLimitStore, type RateLimitStore } from './rate-limit.store.js';

function context(authorization: string) {
  const headers: Record<string, unknown> = {};
  const request = { headers: { authorization }, ip: '127.0.0.1' };
  const response = { setHeader: (name: string, value: unknown) => (headers[name.toLowerCase()] = value) };
  const executionContext = {
    getHandler: () => function handler() {},
    getClass: () => class Controller {},
    switchToHttp: () => ({ getRequest: () => request, getResponse: () => response }),
  } as unknown as ExecutionContext;
  return { executionContext, headers };
}

describe(RateLimitGuard.name, () => {
  const config = loadConfig({ RATE_LIMIT_PER_KEY: '2' });

  it('refuses the request past the limit with rate_limited and Retry-After', async () => {
    const store = new MemoryRateLimitStore();
    const sut = new RateLimitGuard(new Reflector(), config, store);
    const { executionContext, headers } = context('Bearer sk_one');
    await expect(sut.canActivate(executionContext)).resolves.toBe(true);
    await expect(sut.canActivate(executionContext)).resolves.toBe(true);
    await expect(sut.canActivate(executionContext)).rejects.toMatchObject({ code: 'rate_limited' });
    expect(Number(headers['retry-after'])).toBeGreaterThanOrEqual(1);
    // Another key has its own count.
    await expect(sut.canActivate(context('Bearer sk_two').executionContext)).resolves.toBe(true);
    store.onApplicationShutdown();
  });

  it('lets requests through, uncounted, when the store cannot count them', async () => {
    const unreachable: RateLimitStore = { hit: () => Promise.resolve(undefined), peek: () => Promise.resolve(undefined) };
    const sut = new RateLimitGuard(new Reflector(), config, unreachable);
    for (let i = 0; i < 5; i++) {
      await expect(sut.canActivate(context('Bearer sk_one').executionContext)).resolves.toBe(true);
    }
  });

  it('is off with RATE_LIMIT_PER_KEY=0', async () => {
    const hit = jest.fn<RateLimitStore['hit']>();
    const sut = new RateLimitGuard(new Reflector(), loadConfig({ RATE_LIMIT_PER_KEY: '0' }), { hit, peek: jest.fn<RateLimitStore['peek']>() });
    await expect(sut.canActivate(context('Bearer sk_one').executionContext)).resolves.toBe(true);
    expect(hit).not.toHaveBeenCalled();
  });
});
