import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { AppConfig } from '../config/config.js';
import { AuthFailureLimiter } from './auth-failure-limiter.js';
import { RateLimitGuard } from './rate-limit.guard.js';
import { MemoryRateLimitStore, RateLimitStore, RedisRateLimitStore } from './rate-limit.store.js';

@Module({
  providers: [
    {
      provide: RateLimitStore,
      inject: [AppConfig],
      useFactory: (config: AppConfig) =>
        config.redisUrl ? new RedisRateLimitStore({ url: config.redisUrl, timeoutMs: config.redisTimeoutMs }) : new MemoryRateLimitStore(),
    },
    { provide: APP_GUARD, useClass: RateLimitGuard },
    AuthFailureLimiter,
  ],
  exports: [AuthFailureLimiter],
})
export class RateLimitModule {}
