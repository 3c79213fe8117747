import { Injectable } from '@nestjs/common';
import { setTimeout as sleep } from 'node:timers/promises';
import { newId } from '../../common/ids.js';
import { GroupCommit } from '../../database/group-commit.js';
import { AppConfig } from '../../config/config.js';
import {
  AuthorizationRequest,
  BankGateway,
  BankOperationRef,
  BankOutcome,
  BankStatus,
  operationKey,
} from '../bank-gateway.js';
import { SimulatorLedger } from './simulator-ledger.js';
import { deterministicBehaviour, outcomeOf, randomBehaviour } from './test-cards.js';

/**
 * A stand-in bank. Its ledger (one row per operation key, in a schema of its own: see
 * SimulatorLedger) plays the bank's database: the first request for a key decides the outcome, a repeat gets the same answer,
 * and asking again after a gateway restart, or from another instance, still finds it.
 */
@Injectable()
export class BankSimulator implements BankGateway {
  /** The ledger's writes, grouped: under load, one statement records many operations. */
  private readonly ledger: GroupCommit<LedgerEntry, BankOutcome | undefined>;

  constructor(
    private readonly config: AppConfig,
    private readonly sql: SimulatorLedger,
  ) {
    this.ledger = new GroupCommit((entries) => this.record(entries));
  }

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
    const [row] = await this.sql.query<{ outcome: BankOutcome; answer_at: Date }>(
      'simulator_status',
      `SELECT outcome, answer_at FROM bank_simulator.operations WHERE key = $1`,
      [operationKey(operation)],
    );
    if (!row) return { kind: 'not_found' };
    return row.answer_at.getTime() <= Date.now() ? row.outcome : { kind: 'processing' };
  }

  private async answer(
    operation: BankOperationRef,
    amount: number | null,
    outcome: BankOutcome,
    delayMs = this.config.bankSimulatorLatencyMs,
  ): Promise<BankOutcome> {
    // The bank answers `delayMs` after it was asked, at its ledger's answer_at: recording is part
    // of that time, as a real bank's latency includes its own writes. Times are the simulator's
    // clock (the bank's), in whole milliseconds as answer_at keeps them.
    const answerAt = Date.now() + delayMs;
    // Record first (or find the earlier record): the bank's decision survives whatever follows.
    const recorded = await this.ledger.run({ key: operationKey(operation), kind: operation.kind, amount, outcome, answer_at: new Date(answerAt) });
    // A timer can fire a little before its time on the wall clock: never answer before answer_at.
    // Unreferenced: a bank that is still "thinking" must not keep a stopping process alive.
    for (let wait = answerAt - Date.now(); wait > 0; wait = answerAt - Date.now()) await sleep(wait, undefined, { ref: false });
    // The first request for this key decided: its outcome, committed, whether earlier or concurrently.
    return recorded ?? this.recorded(operation);
  }

  /**
   * Records each entry whose key is new; the outcome of each entry recorded here, undefined for
   * a key the ledger already had (a repeat, or a concurrent first request): `answer` reads that
   * one back. The repeat's lookup is left out of this statement on purpose: joined here to the
   * batch (which the planner takes for 100 rows), it hashed the whole ledger on every batch
   * until the ledger held ~30 000 rows (docs/performance.md).
   */
  private async record(entries: LedgerEntry[]): Promise<(BankOutcome | undefined)[]> {
    const rows = await this.sql.query<{ key: string; outcome: BankOutcome }>(
      'simulator_record',
      `INSERT INTO bank_simulator.operations (key, kind, amount, outcome, answer_at, created_at)
       SELECT key, kind, amount, outcome, answer_at, now()
         FROM jsonb_to_recordset($1::jsonb) AS entry(key text, kind text, amount integer, outcome jsonb, answer_at timestamptz)
           ON CONFLICT (key) DO NOTHING
       RETURNING key, outcome`,
      [JSON.stringify(entries)],
    );
    const outcomes = new Map(rows.map((row) => [row.key, row.outcome]));
    return entries.map((entry) => outcomes.get(entry.key));
  }

  private async recorded(operation: BankOperationRef): Promise<BankOutcome> {
    const [row] = await this.sql.query<{ outcome: BankOutcome }>('simulator_outcome', `SELECT outcome FROM bank_simulator.operations WHERE key = $1`, [
      operationKey(operation),
    ]);
    return row!.outcome;
  }
}

interface LedgerEntry {
  key: string;
  kind: BankOperationRef['kind'];
  amount: number | null;
  outcome: BankOutcome;
  answer_at: Date;
}

const newReference = () => newId('bankReference');
const approved = (): BankOutcome => ({ kind: 'approved', bankReference: newReference() });
