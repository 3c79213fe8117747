import { ApiProperty } from '@nestjs/swagger';

export class CreatedApiKeyResponse {
  @ApiProperty({ example: 'key_01JDQ3R6X8M2K9V4T7B5N1C0AZ' })
  id: string;

  @ApiProperty({ example: 'mer_01JDQ3R6X8M2K9V4T7B5N1C0AZ' })
  merchant_id: string;

  @ApiProperty({ description: 'The secret key. Shown this once: only its hash is stored.', example: 'sk_live_6fJr0xkq3Wm1A9cYb2LhT5nVdE8uPzRs' })
  key: string;

  @ApiProperty({ description: 'The first characters of the key (its mode included), to tell keys apart.', example: 'sk_live_6fJr0xkq' })
  prefix: string;

  @ApiProperty({ description: '`false` for a test key (`sk_test_…`)', example: true })
  livemode: boolean;

  @ApiProperty({ example: '2026-11-25T14:03:11.123Z' })
  created_at: string;
}
