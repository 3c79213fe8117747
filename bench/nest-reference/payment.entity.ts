import { Column, Entity, PrimaryColumn } from 'typeorm';

/** The columns of the gateway's `payments` table that a one-row payment needs; the rest take their defaults. */
@Entity({ name: 'payments' })
export class ReferencePayment {
  @PrimaryColumn({ type: 'text' }) id: string;
  @Column({ name: 'merchant_id', type: 'text' }) merchantId: string;
  @Column({ type: 'text' }) status: string;
  @Column({ name: 'payment_history_status', type: 'text' }) historyStatus: string;
  @Column({ type: 'integer' }) amount: number;
  @Column({ type: 'char', length: 3 }) currency: string;
  @Column({ name: 'capture_requested', type: 'boolean' }) captureRequested: boolean;
  @Column({ name: 'amount_captured', type: 'integer' }) amountCaptured: number;
  @Column({ name: 'amount_refunded', type: 'integer' }) amountRefunded: number;
  @Column({ name: 'card_brand', type: 'text' }) cardBrand: string;
  @Column({ name: 'card_bin', type: 'char', length: 6 }) cardBin: string;
  @Column({ name: 'card_last4', type: 'char', length: 4 }) cardLast4: string;
  @Column({ name: 'card_expiry_month', type: 'smallint' }) cardExpiryMonth: number;
  @Column({ name: 'card_expiry_year', type: 'smallint' }) cardExpiryYear: number;
  @Column({ name: 'card_holder_name', type: 'text', nullable: true }) cardHolderName: string | null;
  @Column({ name: 'card_fingerprint', type: 'text' }) cardFingerprint: string;
  @Column({ name: 'bank_reference', type: 'text', nullable: true }) bankReference: string | null;
  @Column({ name: 'acquirer_id', type: 'text', nullable: true }) acquirerId: string | null;
  @Column({ name: 'decline_code', type: 'text', nullable: true }) declineCode: string | null;
  @Column({ name: 'failure_reason', type: 'text', nullable: true }) failureReason: string | null;
  @Column({ type: 'text', nullable: true }) reference: string | null;
  @Column({ type: 'text', nullable: true }) description: string | null;
  @Column({ type: 'jsonb' }) metadata: Record<string, string>;
  @Column({ name: 'created_at', type: 'timestamptz', precision: 3 }) createdAt: Date;
  @Column({ name: 'updated_at', type: 'timestamptz', precision: 3 }) updatedAt: Date;
}

@Entity({ name: 'api_keys' })
export class ReferenceApiKey {
  @PrimaryColumn({ type: 'text' }) id: string;
  @Column({ name: 'key_hash', type: 'text' }) keyHash: string;
  @Column({ type: 'text' }) role: string;
  @Column({ name: 'merchant_id', type: 'text', nullable: true }) merchantId: string | null;
  @Column({ name: 'revoked_at', type: 'timestamptz', nullable: true }) revokedAt: Date | null;
}
