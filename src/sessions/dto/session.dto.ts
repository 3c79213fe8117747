import { ApiProperty } from '@nestjs/swagger';
import { IsString, MaxLength } from 'class-validator';
import { UserResponse } from '../../users/dto/user.dto.js';
import type { SignedIn } from '../sessions.service.js';

export class SignInDto {
  @ApiProperty({ example: 'admin@localhost' })
  @IsString()
  @MaxLength(254)
  email: string;

  @ApiProperty({ example: 'correct horse battery staple' })
  @IsString()
  @MaxLength(256)
  password: string;
}

export class ChangePasswordDto {
  @ApiProperty({ example: 'correct horse battery staple' })
  @IsString()
  @MaxLength(256)
  current_password: string;

  @ApiProperty({ example: 'a longer passphrase, 12 characters or more' })
  @IsString()
  @MaxLength(256)
  new_password: string;
}

export class SessionResponse {
  @ApiProperty({ example: 'session' })
  object: 'session';

  @ApiProperty({ type: UserResponse })
  user: UserResponse;

  @ApiProperty({ description: 'Send it back as `X-CSRF-Token` with every request that changes something', example: 'm1Xc…' })
  csrf_token: string;

  @ApiProperty({ description: 'The absolute end of the session', example: '2026-12-04T22:00:00.000Z' })
  expires_at: string;

  @ApiProperty({ description: 'When it ends if no request comes before', example: '2026-12-04T10:30:00.000Z' })
  idle_expires_at: string;

  static from({ session, user }: SignedIn, idleExpiresAt: Date): SessionResponse {
    return {
      object: 'session',
      user: UserResponse.from(user),
      csrf_token: session.csrfToken,
      expires_at: session.expiresAt.toISOString(),
      idle_expires_at: idleExpiresAt.toISOString(),
    };
  }
}
