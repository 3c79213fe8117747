import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsIn, IsOptional, IsString, ValidateNested } from 'class-validator';
import { IsIntegerIn } from '../../common/validators.js';
import { CARD_BRANDS } from '../../payments/rules/card.js';

export class RoutingRuleDto {
  @ApiPropertyOptional({ type: [String], example: ['EUR', 'GBP'], description: 'The rule holds for these currencies only' })
  @IsOptional()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(200)
  @IsString({ each: true })
  currency?: string[];

  @ApiPropertyOptional({ type: [String], enum: CARD_BRANDS, example: ['visa'] })
  @IsOptional()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(CARD_BRANDS.length)
  @IsIn(CARD_BRANDS, { each: true, message: `brand must list card brands (${CARD_BRANDS.join(', ')})` })
  brand?: string[];

  @ApiPropertyOptional({ example: 10000, description: 'The rule holds from this amount on (minor units, inclusive)' })
  @IsOptional()
  @IsIntegerIn(0, 99_999_999)
  amount_gte?: number;

  @ApiPropertyOptional({ example: 500000, description: 'The rule holds below this amount (exclusive)' })
  @IsOptional()
  @IsIntegerIn(1, 100_000_000)
  amount_lt?: number;

  @ApiProperty({ type: [String], example: ['acq_01JDQ3R6X8M2K9V4T7B5N1C0AZ'], description: 'Tried in this order' })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(10)
  @IsString({ each: true })
  acquirers: string[];
}

export class RoutingDto {
  @ApiProperty({ type: [RoutingRuleDto], description: 'The first rule whose conditions all hold gives the acquirers to try' })
  @IsArray()
  @ArrayMaxSize(100)
  @ValidateNested({ each: true })
  @Type(() => RoutingRuleDto)
  rules: RoutingRuleDto[];

  @ApiProperty({ type: [String], example: ['acq_01JDQ3R6X8M2K9V4T7B5N1C0AZ'], description: 'When no rule holds' })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(10)
  @IsString({ each: true })
  default: string[];
}
