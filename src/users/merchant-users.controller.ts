import { Body, Controller, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiCookieAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal } from '../auth/principal.decorator.js';
import { ownMerchant, type Principal } from '../auth/principal.js';
import { PeopleOnly } from '../auth/roles.decorator.js';
import { ApiErrors, invalid, missing } from '../common/api-errors.decorator.js';
import type { Page } from '../common/pagination.js';
import { CreatedUserResponse, CreateMerchantUserDto, ListMerchantUsersQuery, UpdateMerchantUserDto, UserListResponse, UserResponse } from './dto/user.dto.js';
import { EMAIL_TAKEN, SELF_CHANGE, userId } from './users.controller.js';
import { UsersService } from './users.service.js';


/** A merchant admin manages its own merchant's people: the same users as the admin's routes, one merchant's only. */
@ApiTags('people')
@ApiCookieAuth('session')
@ApiErrors(401, 429, 500)
@PeopleOnly(['merchant_admin'])
@Controller('v1/users')
export class MerchantUsersController {
  constructor(private readonly users: UsersService) {}

  @Post()
  @HttpCode(201)
  @ApiOperation({
    summary: "Add a person to your merchant",
    description: 'For a merchant admin signed in: a `merchant_admin` or a `merchant_viewer` (reads only) of your merchant. Without `password`, one is generated and returned this once.',
  })
  @ApiCreatedResponse({ type: CreatedUserResponse, description: 'The user (with the generated password, this once)' })
  @ApiErrors(invalid('role', 'role must be one of the following values: merchant_admin, merchant_viewer'), 403, EMAIL_TAKEN, 409, 413, 422)
  create(@CurrentPrincipal() principal: Principal, @Body() body: CreateMerchantUserDto): Promise<CreatedUserResponse> {
    return this.users.create(body, ownMerchant(principal));
  }

  @Get()
  @ApiOperation({ summary: "Your merchant's people, newest first", description: 'Keyset pages: pass `next_cursor` back as `cursor` until `has_more` is false.' })
  @ApiOkResponse({ type: UserListResponse, description: 'A page of users' })
  @ApiErrors(invalid('limit', 'limit must be an integer from 1 to 100 (got 0)'), 403)
  list(@CurrentPrincipal() principal: Principal, @Query() query: ListMerchantUsersQuery): Promise<Page<UserResponse>> {
    return this.users.list(query, ownMerchant(principal));
  }

  @Get(':id')
  @ApiOperation({ summary: 'A person of your merchant', description: "Another merchant's people, and staff, are a 404." })
  @ApiParam({ name: 'id', example: 'usr_01JDQ3R6X8M2K9V4T7B5N1C0AZ' })
  @ApiOkResponse({ type: UserResponse, description: 'The user' })
  @ApiErrors(403, missing('user'))
  get(@CurrentPrincipal() principal: Principal, @Param('id', userId()) id: string): Promise<UserResponse> {
    return this.users.get(id, ownMerchant(principal));
  }

  @Patch(':id')
  @ApiOperation({
    summary: 'Change a person of your merchant',
    description: 'Name, role (`merchant_admin` or `merchant_viewer`) or `disabled`; disabling or a new role ends their sessions at once. You cannot disable yourself or change your own role.',
  })
  @ApiParam({ name: 'id', example: 'usr_01JDQ3R6X8M2K9V4T7B5N1C0AZ' })
  @ApiOkResponse({ type: UserResponse, description: 'The user' })
  @ApiErrors(invalid('role', 'role must be one of the following values: merchant_admin, merchant_viewer'), 403, missing('user'), SELF_CHANGE, 413)
  update(@CurrentPrincipal() principal: Principal, @Param('id', userId()) id: string, @Body() body: UpdateMerchantUserDto): Promise<UserResponse> {
    return this.users.update(principal.userId, id, body, ownMerchant(principal));
  }
}
