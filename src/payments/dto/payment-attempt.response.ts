import { ApiProperty } from '@nestjs/swagger';

export const ATTEMPT_OUTCOMES = ['approved', 'declined', 'not_processed', 'unknown', 'error', 'skipped'] as const;

/** One try of a payment at one acquirer. Never card data, never the acquirer's key. */
export class PaymentAttemptResponse {
  @ApiProperty({ example: 'att_01JDQ3R6X8M2K9V4T7B5N1C0AZ' })
  id: string;

  @ApiProperty({ example: 'acq_01JDQ3R6X8M2K9V4T7B5N1C0AZ' })
  acquirer_id: string;

  @ApiProperty({ enum: ATTEMPT_OUTCOMES, description: '`unknown` also while the attempt is still being answered' })
  outcome: (typeof ATTEMPT_OUTCOMES)[number];

  @ApiProperty({ type: String, nullable: true, example: null })
  decline_code: string | null;

  @ApiProperty({ type: String, nullable: true, example: 'connect ECONNREFUSED 127.0.0.1:4100' })
  error: string | null;

  @ApiProperty({ type: Number, nullable: true, example: 503 })
  http_status: number | null;

  @ApiProperty({ example: 12 })
  duration_ms: number;

  @ApiProperty({ description: "The payment's mode: a test payment's attempts are all at the simulator", example: true })
  livemode: boolean;

  @ApiProperty({ example: '2026-11-25T14:03:11.123Z' })
  created_at: string;
}

export class PaymentAttemptListResponse {
  @ApiProperty({ type: [PaymentAttemptResponse] })
  data: PaymentAttemptResponse[];
}
