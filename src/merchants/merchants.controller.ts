import { Body, Controller, Get, HttpCode, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCookieAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Roles } from '../auth/roles.decorator.js';
import { ApiErrors, invalid } from '../common/api-errors.decorator.js';
import { ListQueryDto } from '../common/list-query.dto.js';
import { CreateMerchantDto } from './dto/create-merchant.dto.js';
import { MerchantListResponse, MerchantResponse } from './dto/merchant.response.js';
import { MerchantsService } from './merchants.service.js';

@ApiTags('admin')
@ApiCookieAuth('session')
@ApiBearerAuth()
@Roles(['admin'])
@ApiErrors(401, 429, 500)
@Controller('v1/admin/merchants')
export class MerchantsController {
  constructor(private readonly merchants: MerchantsService) {}

  @Post()
  @HttpCode(201)
  @ApiOperation({ summary: 'Create a merchant', description: 'A merchant owns payments, API keys and webhook endpoints. Issue it a key next (`POST /v1/admin/merchants/{id}/api-keys`).' })
  @ApiCreatedResponse({ type: MerchantResponse, description: 'The merchant' })
  @ApiErrors(invalid('name', 'name must be longer than or equal to 1 characters'), 403, 409, 413, 422)
  create(@Body() body: CreateMerchantDto): Promise<MerchantResponse> {
    return this.merchants.create(body.name);
  }

  @Get()
  @ApiOperation({ summary: 'List merchants, newest first', description: 'Keyset pages: pass `next_cursor` back as `cursor` until `has_more` is false.' })
  @ApiOkResponse({ type: MerchantListResponse, description: 'A page of merchants' })
  @ApiErrors(invalid('limit', 'limit must be an integer from 1 to 100 (got 0)'), 403)
  list(@Query() query: ListQueryDto): Promise<MerchantListResponse> {
    return this.merchants.list(query.limit, query.cursor);
  }
}
