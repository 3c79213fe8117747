export type HealthState = 'up' | 'down' | 'probing';

export interface AcquirerHealthView {
  state: HealthState;
  consecutive_failures: number;
  down_since: string | null;
}

interface Entry {
  failures: number;
  downSince: number | null;
  probing: boolean;
}

/**
 * One instance's view of its acquirers' health (API.md: each instance keeps its own).
 * `threshold` consecutive failures (not processed, or unknown) take an acquirer down; while
 * down it is skipped for `cooldownMs`; then exactly one caller probes it, the others still
 * skip it, until the probe's answer brings it up (or down again, for another cool-down).
 */
export class AcquirerHealth {
  private readonly entries = new Map<string, Entry>();

  constructor(
    private readonly threshold: number,
    private readonly cooldownMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** Whether to send this acquirer a payment now; true for the one probe after a cool-down, whose slot it takes. */
  tryNow(acquirerId: string): boolean {
    const next = this.next(acquirerId);
    if (next === 'probe') this.entries.get(acquirerId)!.probing = true;
    return next !== 'skip';
  }

  /** What tryNow would answer, without taking the probe's slot: send (up), skip (down), or probe it. */
  next(acquirerId: string): 'send' | 'skip' | 'probe' {
    const entry = this.entries.get(acquirerId);
    if (!entry || entry.downSince === null) return 'send';
    return entry.probing || this.now() - entry.downSince < this.cooldownMs ? 'skip' : 'probe';
  }

  record(acquirerId: string, result: 'success' | 'failure'): void {
    const entry = this.entries.get(acquirerId) ?? { failures: 0, downSince: null, probing: false };
    if (result === 'success') {
      this.entries.delete(acquirerId);
      return;
    }
    entry.failures++;
    if (entry.probing || (entry.downSince === null && entry.failures >= this.threshold)) entry.downSince = this.now();
    entry.probing = false;
    this.entries.set(acquirerId, entry);
  }

  view(acquirerId: string): AcquirerHealthView {
    const entry = this.entries.get(acquirerId);
    if (!entry) return { state: 'up', consecutive_failures: 0, down_since: null };
    return {
      state: entry.probing ? 'probing' : entry.downSince === null ? 'up' : 'down',
      consecutive_failures: entry.failures,
      down_since: entry.downSince === null ? null : new Date(entry.downSince).toISOString(),
    };
  }
}
