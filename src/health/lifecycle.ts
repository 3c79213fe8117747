import { Injectable } from '@nestjs/common';

/**
 * Where the instance is in its life: `stopping` once it starts stopping (readiness fails so
 * load balancers move on), and how many requests are being handled, so that shutdown can
 * let them finish before the database pool closes.
 */
@Injectable()
export class Lifecycle {
  stopping = false;
  private running = 0;
  private onIdle: (() => void) | undefined;

  get requestsInFlight(): number {
    return this.running;
  }

  requestStarted(): void {
    this.running++;
  }

  requestEnded(): void {
    this.running--;
    if (this.running === 0) this.onIdle?.();
  }

  /** Resolves true once no request is being handled, or false after `timeoutMs`. */
  requestsDone(timeoutMs: number): Promise<boolean> {
    if (this.running === 0) return Promise.resolve(true);
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.onIdle = undefined;
        resolve(false);
      }, timeoutMs);
      this.onIdle = () => {
        clearTimeout(timer);
        this.onIdle = undefined;
        resolve(true);
      };
    });
  }
}
