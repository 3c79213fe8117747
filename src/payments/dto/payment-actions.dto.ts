import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString } from 'class-validator';
import { IsIntegerIn, MaxCodePoints } from '../../common/validators.js';
import { MAX_AMOUNT } from './create-payment.dto.js';

export class CapturePaymentDto {
  @ApiPropertyOptional({ description: 'At most the authorised amount; default: all of it. A payment is captured once.', example: 800 })
  @IsOptional()
  @IsIntegerIn(1, MAX_AMOUNT)
  amount?: number;
}

export class CreateRefundDto {
  @ApiPropertyOptional({ description: 'Default: everything still refundable.', example: 300 })
  @IsOptional()
  @IsIntegerIn(1, MAX_AMOUNT)
  amount?: number;

  @ApiPropertyOptional({ type: String, nullable: true, maxLength: 500, example: 'requested_by_customer' })
  @IsOptional()
  @IsString()
  @MaxCodePoints(500)
  reason?: string | null;
}

export class PaymentEventResponse {
  @ApiProperty({ example: 'evt_01JDQ3R6X8M2K9V4T7B5N1C0AZ' })
  id: string;

  @ApiProperty({ example: 'payment.captured' })
  type: string;

  @ApiProperty({ example: '2026-11-25T14:03:11.123Z' })
  created_at: string;

  @ApiProperty({ description: "The payment's mode: `false` for a test payment's events", example: true })
  livemode: boolean;

  @ApiProperty({
    description: '`{"object": …}`: the payment (or, for `refund.*`, the refund) as it was right after the change',
    example: { object: { id: 'pay_01JDQ3R6X8M2K9V4T7B5N1C0AZ', status: 'captured' } },
  })
  data: object;
}

export class PaymentEventListResponse {
  @ApiProperty({ type: [PaymentEventResponse] })
  data: PaymentEventResponse[];
}
