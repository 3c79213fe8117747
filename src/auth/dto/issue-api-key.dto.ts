import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, ValidateIf } from 'class-validator';

export const KEY_MODES = ['test', 'live'] as const;
export type KeyMode = (typeof KEY_MODES)[number];

export class IssueApiKeyDto {
  @ApiPropertyOptional({
    enum: KEY_MODES,
    default: 'live',
    description: '`test`: an `sk_test_…` key, whose payments only ever reach the simulator and which sees only test objects.',
    example: 'test',
  })
  // Absent means live; present, it must be one of the two (null included is refused).
  @ValidateIf((_, value) => value !== undefined)
  @IsIn(KEY_MODES, { message: 'mode must be "test" or "live"' })
  mode?: KeyMode;
}
