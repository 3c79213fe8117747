import { BeforeApplicationShutdown, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { IntervalLoop } from '../common/interval-loop.js';
import { AppConfig } from '../config/config.js';
import { ExpirySweeper } from './expiry-sweeper.service.js';
import { Reconciler } from './reconciler.service.js';

/** The background loops of every instance; stopped (and awaited) before the pool closes. */
@Injectable()
export class PaymentWorkers implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly loops: IntervalLoop[];

  constructor(
    private readonly config: AppConfig,
    reconciler: Reconciler,
    sweeper: ExpirySweeper,
  ) {
    this.loops = [
      new IntervalLoop('Reconciler', config.reconcilerIntervalMs, () => reconciler.runOnce()),
      new IntervalLoop('ExpirySweeper', config.expirySweepIntervalMs, (stopping) => sweeper.runOnce(stopping)),
    ];
  }

  onApplicationBootstrap(): void {
    if (this.config.workersEnabled) for (const loop of this.loops) loop.start();
  }

  async beforeApplicationShutdown(): Promise<void> {
    await Promise.all(this.loops.map((loop) => loop.stop()));
  }
}
