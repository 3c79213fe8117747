import { BeforeApplicationShutdown, Injectable, Module, OnApplicationBootstrap } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { BodylessRouteGuard } from '../common/bodyless-route.guard.js';
import { IntervalLoop } from '../common/interval-loop.js';
import { AppConfig } from '../config/config.js';
import { IdempotencyGuard } from './idempotency.guard.js';
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
  providers: [
    IdempotencyService,
    IdempotencyPurger,
    // Nest runs global guards in the order they are registered, module by module: these come
    // after RateLimitModule's and AuthModule's (imported before this module), so a body a route
    // does not take is refused once the caller is known, and before a key is claimed.
    { provide: APP_GUARD, useClass: BodylessRouteGuard },
    { provide: APP_GUARD, useClass: IdempotencyGuard },
  ],
  exports: [IdempotencyService],
})
export class IdempotencyModule {}
