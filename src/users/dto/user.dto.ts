import { ApiProperty, ApiPropertyOptional, OmitType } from '@nestjs/swagger';
import { IsBoolean, IsIn, IsOptional, IsString, MaxLength, MinLength } from 'class-validator';
import { ListQueryDto } from '../../common/list-query.dto.js';
import { MERCHANT_USER_ROLES, USER_ROLES, type MerchantUserRole, type User, type UserRole } from '../user.entity.js';

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

  @ApiProperty({
    enum: USER_ROLES,
    example: 'support',
    description: "`admin`: everything; `support`: reads everything, changes nothing; `merchant_admin`: one merchant's payments, refunds, captures, voids, keys, webhook endpoints and users; `merchant_viewer`: reads one merchant's",
  })
  @IsIn(USER_ROLES)
  role: UserRole;

  @ApiPropertyOptional({ description: 'The merchant (`mer_…`) of a merchant role: required for those, refused for staff', example: 'mer_01JDQ3R6X8M2K9V4T7B5N1C0AZ' })
  @IsOptional()
  @IsString()
  merchant_id?: string;

  @ApiPropertyOptional({ description: '12 to 256 characters. Unset: one is generated and returned this once.' })
  @IsOptional()
  @IsString()
  password?: string;
}

/** A merchant admin's: a person of their own merchant (the merchant implied, merchant roles only). */
export class CreateMerchantUserDto extends OmitType(CreateUserDto, ['role', 'merchant_id'] as const) {
  @ApiProperty({ enum: MERCHANT_USER_ROLES, example: 'merchant_viewer' })
  @IsIn(MERCHANT_USER_ROLES)
  role: MerchantUserRole;
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

export class UpdateMerchantUserDto extends OmitType(UpdateUserDto, ['role'] as const) {
  @ApiPropertyOptional({ enum: MERCHANT_USER_ROLES })
  @IsOptional()
  @IsIn(MERCHANT_USER_ROLES)
  role?: MerchantUserRole;
}

export class ListUsersQuery extends ListQueryDto {
  @ApiPropertyOptional({ description: 'Staff only: the people of one merchant (`mer_…`)' })
  @IsOptional()
  @IsString()
  merchant_id?: string;
}

export class ListMerchantUsersQuery extends ListQueryDto {}

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

  @ApiProperty({ type: String, nullable: true, example: null, description: "A merchant role's merchant; null for staff" })
  merchant_id: string | null;

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
      merchant_id: user.merchantId,
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
