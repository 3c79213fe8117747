import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, MaxLength } from 'class-validator';
import { IsQueryIntegerIn } from './validators.js';

/** `limit` and `cursor`, shared by every list route. */
export class ListQueryDto {
  @ApiPropertyOptional({ minimum: 1, maximum: 100, default: 20, description: 'Page size (1–100); outside the range is a 400.' })
  @IsOptional()
  @IsQueryIntegerIn(1, 100)
  limit: number = 20;

  @ApiPropertyOptional({ description: 'The `next_cursor` of the previous page.' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  cursor?: string;
}
