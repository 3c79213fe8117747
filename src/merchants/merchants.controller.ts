import { Body, Controller, Get, HttpCode, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Roles } from '../auth/roles.decorator.js';
import { ApiErrors } from '../common/api-errors.decorator.js';
import { ListQueryDto } from '../common/list-query.dto.js';
import { CreateMerchantDto } from './dto/create-merchant.dto.js';
import { MerchantListResponse, MerchantResponse } from './dto/merchant.response.js';
import { MerchantsService } from './merchants.service.js';

@ApiTags('admin')
@ApiBearerAuth()
@Roles(['admin'])
@Controller('v1/admin/merchants')
export class MerchantsController {
  constructor(private readonly merchants: MerchantsService) {}

  @Post()
  @HttpCode(201)
  @ApiOperation({ summary: 'Create a merchant' })
  @ApiCreatedResponse({ type: MerchantResponse })
  @ApiErrors(400, 401, 403)
  create(@Body() body: CreateMerchantDto): Promise<MerchantResponse> {
    return this.merchants.create(body.name);
  }

  @Get()
  @ApiOperation({ summary: 'List merchants, newest first' })
  @ApiOkResponse({ type: MerchantListResponse })
  @ApiErrors(400, 401, 403)
  list(@Query() query: ListQueryDto): Promise<MerchantListResponse> {
    return this.merchants.list(query.limit, query.cursor);
  }
}
