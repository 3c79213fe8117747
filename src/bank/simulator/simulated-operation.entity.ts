import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { BankOutcome } from '../bank-gateway.js';

/**
 * The simulated bank's ledger: one row per operation key, as a real acquirer keeps per
 * idempotency key. Not the gateway's data: it stands in for the bank's own database.
 */
@Entity({ name: 'bank_simulator_operations' })
export class SimulatedOperation {
  @PrimaryColumn({ type: 'text' })
  key: string;

  @Column({ type: 'text' })
  kind: string;

  @Column({ type: 'integer', nullable: true })
  amount: number | null;

  @Column({ type: 'jsonb' })
  outcome: BankOutcome;

  /** Before this instant the bank is still "processing" and says nothing. */
  @Column({ name: 'answer_at', type: 'timestamptz', precision: 3 })
  answerAt: Date;

  @Column({ name: 'created_at', type: 'timestamptz', precision: 3 })
  createdAt: Date;
}
