import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

export class ApiKeyResponse {
  @ApiProperty({ example: 'key_01JDQ3R6X8M2K9V4T7B5N1C0AZ' })
  id: string;

  @ApiProperty({ example: 'api_key' })
  object: 'api_key';

  @ApiProperty({ example: 'mer_01JDQ3R6X8M2K9V4T7B5N1C0AZ' })
  merchant_id: string;

  @ApiProperty({ description: 'The first characters of the key (its mode included), to tell keys apart.', example: 'sk_live_6fJr0xkq' })
  prefix: string;

  @ApiProperty({ description: '`false` for a test key (`sk_test_…`)', example: true })
  livemode: boolean;

  @ApiProperty({ example: '2026-11-25T14:03:11.123Z' })
  created_at: string;

  @ApiPropertyOptional({ type: String, nullable: true, example: null, description: 'When it stopped working; null while it works' })
  revoked_at: string | null;
}

export class CreatedApiKeyResponse extends ApiKeyResponse {
  @ApiProperty({ description: 'The secret key. Shown this once: only its hash is stored.', example: 'sk_live_6fJr0xkq3Wm1A9cYb2LhT5nVdE8uPzRs' })
  key: string;
}

export class ApiKeyListResponse {
  @ApiProperty({ type: [ApiKeyResponse] })
  data: ApiKeyResponse[];

  @ApiProperty({ example: false })
  has_more: boolean;

  @ApiProperty({ type: String, nullable: true, example: null })
  next_cursor: string | null;
}
