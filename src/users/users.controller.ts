import { Body, Controller, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCookieAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal } from '../auth/principal.decorator.js';
import { listedMerchant, type Principal } from '../auth/principal.js';
import { Roles } from '../auth/roles.decorator.js';
import { ApiErrors, invalid, missing, wrongState } from '../common/api-errors.decorator.js';
import { IdParamPipe } from '../common/id-param.pipe.js';
import type { Page } from '../common/pagination.js';
import { CreatedUserResponse, CreateUserDto, ListUsersQuery, UpdateUserDto, UserListResponse, UserResponse } from './dto/user.dto.js';
import { UsersService } from './users.service.js';

export const userId = () => new IdParamPipe('user', 'user');
export const EMAIL_TAKEN = { code: 'email_taken', message: 'A user with this email exists already', param: 'email' } as const;
export const SELF_CHANGE = wrongState('You cannot disable yourself or change your own role');

@ApiTags('people')
@ApiCookieAuth('session')
@ApiBearerAuth()
@ApiErrors(401, 429, 500)
@Roles(['admin'])
@Controller('v1/admin/users')
export class UsersController {
  constructor(private readonly users: UsersService) {}

  @Post()
  @HttpCode(201)
  @ApiOperation({
    summary: 'Create a user',
    description:
      "A person who signs in to the console: staff (`admin`: everything; `support`: reads everything, changes nothing) or one merchant's (`merchant_admin`, `merchant_viewer`, with `merchant_id`). Without `password`, one is generated and returned this once.",
  })
  @ApiCreatedResponse({ type: CreatedUserResponse, description: 'The user (with the generated password, this once)' })
  @ApiErrors(
    invalid('password', 'password must be at least 12 characters long'),
    { code: 'parameter_missing', message: 'A merchant_admin needs merchant_id', param: 'merchant_id' },
    403,
    EMAIL_TAKEN,
    409,
    413,
    422,
  )
  create(@Body() body: CreateUserDto): Promise<CreatedUserResponse> {
    return this.users.create(body);
  }

  @Get()
  @ApiOperation({ summary: 'List users, newest first', description: 'Everyone, or one merchant\'s people (`merchant_id`). Keyset pages: pass `next_cursor` back as `cursor` until `has_more` is false.' })
  @ApiOkResponse({ type: UserListResponse, description: 'A page of users' })
  @ApiErrors(invalid('limit', 'limit must be an integer from 1 to 100 (got 0)'), 403)
  list(@CurrentPrincipal() principal: Principal, @Query() query: ListUsersQuery): Promise<Page<UserResponse>> {
    return this.users.list(query, listedMerchant(principal, query.merchant_id));
  }

  @Get(':id')
  @ApiOperation({ summary: 'A user', description: 'Never a password or its hash.' })
  @ApiParam({ name: 'id', example: 'usr_01JDQ3R6X8M2K9V4T7B5N1C0AZ' })
  @ApiOkResponse({ type: UserResponse, description: 'The user' })
  @ApiErrors(403, missing('user'))
  get(@Param('id', userId()) id: string): Promise<UserResponse> {
    return this.users.get(id);
  }

  @Patch(':id')
  @ApiOperation({
    summary: 'Change a user',
    description:
      "Name, role or `disabled`. Disabling a user, or changing their role, ends their sessions at once. Staff keep a staff role and a merchant's people a merchant role. You cannot disable yourself or change your own role.",
  })
  @ApiParam({ name: 'id', example: 'usr_01JDQ3R6X8M2K9V4T7B5N1C0AZ' })
  @ApiOkResponse({ type: UserResponse, description: 'The user' })
  @ApiErrors(invalid('role', 'Staff keep a staff role'), 403, missing('user'), SELF_CHANGE, 413)
  update(@CurrentPrincipal() principal: Principal, @Param('id', userId()) id: string, @Body() body: UpdateUserDto): Promise<UserResponse> {
    return this.users.update(principal.userId, id, body);
  }
}
