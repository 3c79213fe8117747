import { ApiProperty } from '@nestjs/swagger';
import type { Refund, RefundStatus } from '../refund.entity.js';

export class RefundResponse {
  @ApiProperty({ example: 're_01JDQ3R6X8M2K9V4T7B5N1C0AZ' })
  id: string;

  @ApiProperty({ example: 'pay_01JDQ3R6X8M2K9V4T7B5N1C0AZ' })
  payment_id: string;

  @ApiProperty({ example: 300 })
  amount: number;

  @ApiProperty({
    enum: ['succeeded', 'failed', 'pending'],
    example: 'succeeded',
    description: '`pending` only while the bank has not answered; the gateway settles it by asking again.',
  })
  status: RefundStatus;

  @ApiProperty({ type: String, nullable: true, example: 'requested_by_customer' })
  reason: string | null;

  @ApiProperty({ type: String, nullable: true, example: null, description: 'Why the bank refused the refund' })
  failure_reason: string | null;

  @ApiProperty({ description: "The payment's mode: `false` for a test payment's refund", example: true })
  livemode: boolean;

  @ApiProperty({ example: '2026-11-25T14:03:11.123Z' })
  created_at: string;

  /** A refund has no mode of its own: it takes its payment's. */
  static from(refund: Refund, livemode: boolean): RefundResponse {
    return {
      id: refund.id,
      payment_id: refund.paymentId,
      amount: refund.amount,
      status: refund.status,
      reason: refund.reason,
      failure_reason: refund.failureReason,
      livemode,
      created_at: refund.createdAt.toISOString(),
    };
  }
}

export class RefundListResponse {
  @ApiProperty({ type: [RefundResponse] })
  data: RefundResponse[];
}
