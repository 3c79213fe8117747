import { Injectable } from '@nestjs/common';
import { setTimeout as sleep } from 'node:timers/promises';
import { AppConfig } from '../../config/config.js';
import { AuthorizationRequest, BankGateway, BankOutcome } from '../bank-gateway.js';
import { deterministicBehaviour, outcomeOf, randomBehaviour } from './test-cards.js';
import { ulid } from 'ulid';

/**
 * A stand-in bank. It remembers each payment id it has seen, as a real acquirer does
 * with an idempotency key, so asking twice about one payment never charges twice.
 */
@Injectable()
export class BankSimulator implements BankGateway {
  private readonly outcomes = new Map<string, BankOutcome>();

  constructor(private readonly config: AppConfig) {}

  async authorize(request: AuthorizationRequest): Promise<BankOutcome> {
    const behaviour =
      this.config.bankSimulatorMode === 'random'
        ? randomBehaviour(this.config.bankSimulatorApprovalRate)
        : deterministicBehaviour(request.card.number);
    const known = this.outcomes.get(request.paymentId);
    const outcome =
      known ?? outcomeOf(behaviour.kind === 'timeout' ? { kind: 'approved' } : behaviour, `bnk_${ulid()}`);
    this.outcomes.set(request.paymentId, outcome);
    // The timeout card answers only after the gateway has stopped waiting.
    const latency = behaviour.kind === 'timeout' ? this.config.bankTimeoutMs + 1000 : this.config.bankSimulatorLatencyMs;
    // An unreferenced timer: a bank that is still "thinking" must not keep a stopping process alive.
    if (latency > 0) await sleep(latency, undefined, { ref: false });
    return outcome;
  }
}
