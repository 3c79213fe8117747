import { Inject, Injectable, Logger } from '@nestjs/common';
import { BankGateway } from '../bank/bank-gateway.js';
import { Clock } from '../common/clock.js';
import { AppConfig } from '../config/config.js';
import { PaymentSettlement } from './payment-settlement.js';
import { PaymentQueuesRepository } from './payment-queues.repository.js';

const BATCH = 50;

/**
 * Voids, at the bank, authorisations left uncaptured for AUTHORIZATION_TTL, and records them
 * as `voided` with history status `expired`. Rows are claimed with SKIP LOCKED: every
 * instance sweeps, each payment is expired once.
 */
@Injectable()
export class ExpirySweeper {
  private readonly logger = new Logger('ExpirySweeper');

  constructor(
    private readonly queues: PaymentQueuesRepository,
    private readonly settlement: PaymentSettlement,
    @Inject(BankGateway) private readonly bank: BankGateway,
    private readonly config: AppConfig,
    private readonly clock: Clock,
  ) {}

  /** One pass; returns how many authorisations it expired (or left for the reconciler). */
  async runOnce(stopping: () => boolean = () => false): Promise<number> {
    const cutoff = new Date(this.clock.now().getTime() - this.config.authorizationTtlMs);
    let total = 0;
    for (;;) {
      const claimed = await this.queues.claimExpired(cutoff, BATCH, this.config.bankTimeoutMs + 2000);
      for (const payment of claimed) {
        const outcome = await this.bank.void({ paymentId: payment.id });
        if (outcome.kind !== 'unknown') await this.settlement.settleOperation(payment, 'expire', outcome);
      }
      total += claimed.length;
      if (claimed.length < BATCH || stopping()) break;
    }
    if (total > 0) this.logger.log(`Expired ${total} authorisation(s) created before ${cutoff.toISOString()}`);
    return total;
  }
}
