import { Body, Controller, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCookieAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal } from '../auth/principal.decorator.js';
import type { Principal } from '../auth/principal.js';
import { Roles } from '../auth/roles.decorator.js';
import { ApiErrors, invalid, missing, wrongState } from '../common/api-errors.decorator.js';
import { IdParamPipe } from '../common/id-param.pipe.js';
import type { Page } from '../common/pagination.js';
import { CreatedUserResponse, CreateUserDto, ListUsersQuery, UpdateUserDto, UserListResponse, UserResponse } from './dto/user.dto.js';
import { UsersService } from './users.service.js';

const userId = () => new IdParamPipe('user', 'user');

@ApiTags('people')
@ApiBearerAuth()
@ApiCookieAuth('session')
@ApiErrors(401, 429, 500)
@Roles(['admin'])
@Controller('v1/admin/users')
export class UsersController {
  constructor(private readonly users: UsersService) {}

  @Post()
  @HttpCode(201)
  @ApiOperation({
    summary: 'Create a user',
    description: 'A person who signs in to the console: `admin` (everything) or `support` (reads everything, changes nothing). Without `password`, one is generated and returned this once.',
  })
  @ApiCreatedResponse({ type: CreatedUserResponse, description: 'The user (with the generated password, this once)' })
  @ApiErrors(invalid('password', 'password must be at least 12 characters long'), 403, { code: 'email_taken', message: 'A user with this email exists already', param: 'email' }, 409, 413, 422)
  create(@Body() body: CreateUserDto): Promise<CreatedUserResponse> {
    return this.users.create(body);
  }

  @Get()
  @ApiOperation({ summary: 'List users, newest first', description: 'Keyset pages: pass `next_cursor` back as `cursor` until `has_more` is false.' })
  @ApiOkResponse({ type: UserListResponse, description: 'A page of users' })
  @ApiErrors(invalid('limit', 'limit must be an integer from 1 to 100 (got 0)'), 403)
  list(@Query() query: ListUsersQuery): Promise<Page<UserResponse>> {
    return this.users.list(query);
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
    description: "Name, role or `disabled`. Disabling a user, or changing their role, ends their sessions at once. You cannot disable yourself or take away your own admin role.",
  })
  @ApiParam({ name: 'id', example: 'usr_01JDQ3R6X8M2K9V4T7B5N1C0AZ' })
  @ApiOkResponse({ type: UserResponse, description: 'The user' })
  @ApiErrors(invalid('role', 'role must be one of the following values: admin, support'), 403, missing('user'), wrongState('You cannot disable yourself or take away your own admin role'), 413)
  update(@CurrentPrincipal() principal: Principal, @Param('id', userId()) id: string, @Body() body: UpdateUserDto): Promise<UserResponse> {
    return this.users.update(principal.role === 'admin' ? principal.userId : undefined, id, body);
  }
}
