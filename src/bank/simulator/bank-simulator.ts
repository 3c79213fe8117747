import { Injectable } from '@nestjs/common';
import { setTimeout as sleep } from 'node:timers/promises';
import { newId } from '../../common/ids.js';
import { Sql } from '../../database/sql.js';
import { AppConfig } from '../../config/config.js';
import {
  AuthorizationRequest,
  BankGateway,
  BankOperationRef,
  BankOutcome,
  BankStatus,
  operationKey,
} from '../bank-gateway.js';
import { deterministicBehaviour, outcomeOf, randomBehaviour } from './test-cards.js';

/**
 * A stand-in bank. Its ledger (one row per operation key, in its own table) plays the bank's
 * database: the first request for a key decides the outcome, a repeat gets the same answer,
 * and asking again after a gateway restart, or from another instance, still finds it.
 */
@Injectable()
export class BankSimulator implements BankGateway {
  constructor(
    private readonly config: AppConfig,
    private readonly sql: Sql,
  ) {}

  async authorize(request: AuthorizationRequest): Promise<BankOutcome> {
    const behaviour =
      this.config.bankSimulatorMode === 'random'
        ? randomBehaviour(this.config.bankSimulatorApprovalRate)
        : deterministicBehaviour(request.card.number);
    // The timeout card is approved, but the answer comes only after the gateway stopped waiting.
    const delayMs = behaviour.kind === 'timeout' ? this.config.bankTimeoutMs + 1000 : this.config.bankSimulatorLatencyMs;
    const outcome = outcomeOf(behaviour.kind === 'timeout' ? { kind: 'approved' } : behaviour, newReference());
    return this.answer({ kind: 'authorization', paymentId: request.paymentId }, request.amount, outcome, delayMs);
  }

  capture(request: { paymentId: string; amount: number }): Promise<BankOutcome> {
    return this.answer({ kind: 'capture', paymentId: request.paymentId }, request.amount, approved());
  }

  void(request: { paymentId: string }): Promise<BankOutcome> {
    return this.answer({ kind: 'void', paymentId: request.paymentId }, null, approved());
  }

  refund(request: { refundId: string; amount: number }): Promise<BankOutcome> {
    return this.answer({ kind: 'refund', refundId: request.refundId }, request.amount, approved());
  }

  async getStatus(operation: BankOperationRef): Promise<BankStatus> {
    const [row] = (await this.sql.query(
      `SELECT outcome, answer_at <= now() AS answered FROM bank_simulator_operations WHERE key = $1`,
      [operationKey(operation)],
    )) as { outcome: BankOutcome; answered: boolean }[];
    if (!row) return { kind: 'not_found' };
    return row.answered ? row.outcome : { kind: 'processing' };
  }

  private async answer(
    operation: BankOperationRef,
    amount: number | null,
    outcome: BankOutcome,
    delayMs = this.config.bankSimulatorLatencyMs,
  ): Promise<BankOutcome> {
    // Record first (or find the earlier record): the bank's decision survives whatever follows.
    // answer_at is truncated, not left to timestamptz(3)'s rounding: rounded up, it could still be
    // in the future when a status query follows the answer within half a millisecond.
    const [row] = (await this.sql.query(
      `WITH inserted AS (
         INSERT INTO bank_simulator_operations (key, kind, amount, outcome, answer_at, created_at)
         VALUES ($1, $2, $3, $4, date_trunc('milliseconds', now() + make_interval(secs => $5::double precision / 1000)), now())
         ON CONFLICT (key) DO NOTHING
         RETURNING outcome)
       SELECT outcome FROM inserted
       UNION ALL
       SELECT outcome FROM bank_simulator_operations WHERE key = $1
       LIMIT 1`,
      [operationKey(operation), operation.kind, amount, JSON.stringify(outcome), delayMs],
    )) as { outcome: BankOutcome }[];
    // An unreferenced timer: a bank that is still "thinking" must not keep a stopping process alive.
    if (delayMs > 0) await sleep(delayMs, undefined, { ref: false });
    // A concurrent first request for the same key committed after this statement's snapshot.
    return row?.outcome ?? this.recorded(operation);
  }

  private async recorded(operation: BankOperationRef): Promise<BankOutcome> {
    const [row] = (await this.sql.query(`SELECT outcome FROM bank_simulator_operations WHERE key = $1`, [
      operationKey(operation),
    ])) as { outcome: BankOutcome }[];
    return row!.outcome;
  }
}

const newReference = () => newId('bankReference');
const approved = (): BankOutcome => ({ kind: 'approved', bankReference: newReference() });
