import { Check, Column, Entity, Index, PrimaryColumn } from 'typeorm';

export const ACQUIRER_KINDS = ['simulator', 'http'] as const;
export type AcquirerKind = (typeof ACQUIRER_KINDS)[number];

/** The built-in simulator's fixed id: every install has it, from the migration on. */
export const SIMULATOR_ACQUIRER_ID = 'acq_00000000000000000000000000';

/** A bank the gateway reaches. `apiKey` is write-only: never in a response or a log line. */
// Constraints and indexes live in migrations/; they are named here so that generate sees no drift.
@Entity({ name: 'acquirers' })
@Check('acquirers_id_check', `id ~ '^acq_[0-9A-Z]{26}$'`)
@Check('acquirers_name_check', 'char_length(name) BETWEEN 1 AND 100')
@Check('acquirers_kind_check', `kind IN ('simulator', 'http')`)
@Check('acquirers_timeout_ms_check', 'timeout_ms BETWEEN 1 AND 600000')
@Check('acquirers_base_url_check', `(kind = 'http') = (base_url IS NOT NULL)`)
@Index('acquirers_name_idx', ['name'], { unique: true })
export class Acquirer {
  @PrimaryColumn({ type: 'text' })
  id: string;

  @Column({ type: 'text' })
  name: string;

  @Column({ type: 'text' })
  kind: AcquirerKind;

  @Column({ name: 'base_url', type: 'text', nullable: true })
  baseUrl: string | null;

  @Column({ name: 'api_key', type: 'text', nullable: true })
  apiKey: string | null;

  @Column({ name: 'timeout_ms', type: 'integer' })
  timeoutMs: number;

  @Column({ type: 'boolean' })
  enabled: boolean;

  @Column({ name: 'created_at', type: 'timestamptz', precision: 3 })
  createdAt: Date;

  @Column({ name: 'updated_at', type: 'timestamptz', precision: 3 })
  updatedAt: Date;
}
