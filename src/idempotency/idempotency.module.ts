import { BeforeApplicationShutdown, Injectable, Module, OnApplicationBootstrap } from '@nestjs/common';
import { APP_INTERCEPTOR } from '@nestjs/core';
import { IntervalLoop } from '../common/interval-loop.js';
import { AppConfig } from '../config/config.js';
import { IdempotencyInterceptor } from './idempotency.interceptor.js';
import { IdempotencyService } from './idempotency.service.js';

/** Deletes expired keys; every instance runs it, SKIP LOCKED keeps them out of each other's way. */
@Injectable()
export class IdempotencyPurger implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly loop: IntervalLoop;

  constructor(
    private readonly config: AppConfig,
    keys: IdempotencyService,
  ) {
    this.loop = new IntervalLoop('IdempotencyPurger', config.idempotencyPurgeIntervalMs, () => keys.purge());
  }

  onApplicationBootstrap(): void {
    if (this.config.workersEnabled) this.loop.start();
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.loop.stop();
  }
}

@Module({
  providers: [IdempotencyService, IdempotencyPurger, { provide: APP_INTERCEPTOR, useClass: IdempotencyInterceptor }],
  exports: [IdempotencyService],
})
export class IdempotencyModule {}
