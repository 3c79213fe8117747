import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsIn, IsOptional, IsString, MaxLength, MinLength } from 'class-validator';
import { ListQueryDto } from '../../common/list-query.dto.js';
import { USER_ROLES, type User, type UserRole } from '../user.entity.js';

export class CreateUserDto {
  @ApiProperty({ example: 'grace@example.com' })
  @IsString()
  @MaxLength(254)
  email: string;

  @ApiProperty({ example: 'Grace Hopper' })
  @IsString()
  @MinLength(1)
  @MaxLength(100)
  name: string;

  @ApiProperty({ enum: USER_ROLES, example: 'support', description: '`admin`: everything; `support`: reads everything, changes nothing' })
  @IsIn(USER_ROLES)
  role: UserRole;

  @ApiPropertyOptional({ description: '12 to 256 characters. Unset: one is generated and returned this once.' })
  @IsOptional()
  @IsString()
  password?: string;
}

export class UpdateUserDto {
  @ApiPropertyOptional({ example: 'Grace B. Hopper' })
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(100)
  name?: string;

  @ApiPropertyOptional({ enum: USER_ROLES })
  @IsOptional()
  @IsIn(USER_ROLES)
  role?: UserRole;

  @ApiPropertyOptional({ description: 'A disabled user cannot sign in, and their sessions end at once.' })
  @IsOptional()
  @IsBoolean()
  disabled?: boolean;
}

export class ListUsersQuery extends ListQueryDto {}

export class UserResponse {
  @ApiProperty({ example: 'usr_01JDQ3R6X8M2K9V4T7B5N1C0AZ' })
  id: string;

  @ApiProperty({ example: 'user' })
  object: 'user';

  @ApiProperty({ example: 'grace@example.com' })
  email: string;

  @ApiProperty({ example: 'Grace Hopper' })
  name: string;

  @ApiProperty({ enum: USER_ROLES, example: 'support' })
  role: UserRole;

  @ApiProperty({ example: false })
  disabled: boolean;

  @ApiProperty({ type: String, nullable: true, example: null })
  last_login_at: string | null;

  @ApiProperty({ example: '2026-12-04T10:00:00.000Z' })
  created_at: string;

  @ApiProperty({ example: '2026-12-04T10:00:00.000Z' })
  updated_at: string;

  static from(user: User): UserResponse {
    return {
      id: user.id,
      object: 'user',
      email: user.email,
      name: user.name,
      role: user.role,
      disabled: user.disabled,
      last_login_at: user.lastLoginAt?.toISOString() ?? null,
      created_at: user.createdAt.toISOString(),
      updated_at: user.updatedAt.toISOString(),
    };
  }
}

export class CreatedUserResponse extends UserResponse {
  @ApiPropertyOptional({ description: 'The generated password, shown this once (only when none was given)' })
  password?: string;
}

export class UserListResponse {
  @ApiProperty({ type: [UserResponse] })
  data: UserResponse[];

  @ApiProperty({ example: false })
  has_more: boolean;

  @ApiProperty({ type: String, nullable: true, example: null })
  next_cursor: string | null;
}
