import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { IsBoolean, IsIn, IsObject, IsOptional, IsString, Matches, ValidateBy, ValidateNested } from 'class-validator';
import { IsIntegerIn, MaxCodePoints } from '../../common/validators.js';
import { CURRENCIES } from '../rules/currency.js';
import { metadataProblem } from '../rules/metadata.js';

export const MAX_AMOUNT = 99_999_999;

export class CardDto {
  @ApiProperty({ description: '12–19 digits, Luhn-valid; spaces and dashes are ignored. Never stored.', example: '4242424242424242' })
  // No length rule here: any length outside 12–19 digits is the contract's card_number_invalid,
  // judged in PaymentsService (the 100 kB body limit bounds the input).
  @IsString()
  number: string;

  @ApiProperty({ minimum: 1, maximum: 12, example: 12 })
  @IsIntegerIn(1, 12)
  expiry_month: number;

  @ApiProperty({ description: 'Four digits', example: 2030 })
  @IsIntegerIn(1000, 9999, 'must have four digits')
  expiry_year: number;

  @ApiProperty({ description: '3 digits (4 for American Express). Never stored.', example: '123' })
  @IsString()
  @Matches(/^\d{3,4}$/, { message: 'cvv must be 3 digits (4 for American Express)' })
  cvv: string;

  @ApiPropertyOptional({ type: String, nullable: true, maxLength: 100, example: 'Ada Lovelace' })
  @IsOptional()
  @IsString()
  @MaxCodePoints(100)
  holder_name?: string | null;
}

export class CreatePaymentDto {
  @ApiProperty({ description: 'Minor units of `currency` (cents for EUR).', minimum: 1, maximum: MAX_AMOUNT, example: 1050 })
  @IsIntegerIn(1, MAX_AMOUNT)
  amount: number;

  @ApiProperty({ description: 'ISO 4217 code in active use, upper case', example: 'EUR' })
  @IsString()
  @IsIn(CURRENCIES, { message: 'currency must be an upper-case ISO 4217 code in active use' })
  currency: string;

  @ApiProperty({ type: CardDto })
  @IsObject()
  @ValidateNested()
  @Type(() => CardDto)
  card: CardDto;

  @ApiPropertyOptional({ default: true, description: '`false` only authorises; capture later.' })
  @IsOptional()
  @IsBoolean()
  capture?: boolean;

  @ApiPropertyOptional({ type: String, nullable: true, maxLength: 128, example: 'order-1234' })
  @IsOptional()
  @IsString()
  @MaxCodePoints(128)
  reference?: string | null;

  @ApiPropertyOptional({ type: String, nullable: true, maxLength: 500, example: '2 books' })
  @IsOptional()
  @IsString()
  @MaxCodePoints(500)
  description?: string | null;

  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: { type: 'string' },
    description: 'Up to 50 string keys (≤ 40 characters, no "[" or "]") with string values (≤ 500 characters).',
    example: { cart: 'c_81' },
  })
  @IsOptional()
  // The value as parsed: a class-transformer copy would turn a "__proto__" key into a prototype.
  @Transform(({ obj }) => (obj as Record<string, unknown>).metadata, { toClassOnly: true })
  @ValidateBy({
    name: 'metadata',
    validator: { validate: (value) => metadataProblem(value) === undefined, defaultMessage: (args) => metadataProblem(args?.value) ?? '' },
  })
  metadata?: Record<string, string> | null;

  @ApiPropertyOptional({ description: 'Admin key only: the merchant the payment is for.', example: 'mer_01JDQ3R6X8M2K9V4T7B5N1C0AZ' })
  @IsOptional()
  @IsString()
  merchant_id?: string;
}
