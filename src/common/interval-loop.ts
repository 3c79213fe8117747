import { Logger } from '@nestjs/common';

/**
 * Runs `task` every `intervalMs`, never two runs at once, and lets shutdown wait for the run
 * in progress. Coordination between instances belongs to the task (row locks), not here.
 */
export class IntervalLoop {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private stopped = true;
  private readonly logger: Logger;

  constructor(
    name: string,
    private readonly intervalMs: number,
    /** Gets a function that tells a long run to stop between batches: shutdown is under way. */
    private readonly task: (stopping: () => boolean) => Promise<unknown>,
  ) {
    this.logger = new Logger(name);
  }

  start(): void {
    this.stopped = false;
    this.schedule();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.running;
  }

  private schedule(): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.running = this.task(() => this.stopped)
        .then(() => undefined)
        .catch((error: unknown) => this.logger.error(`Run failed: ${(error as Error).stack ?? String(error)}`))
        .finally(() => {
          this.running = undefined;
          this.schedule();
        });
    }, this.intervalMs);
  }
}
