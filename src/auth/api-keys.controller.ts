import { Body, Controller, Delete, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiCookieAuth, ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { ApiErrors, invalid, missing } from '../common/api-errors.decorator.js';
import { IdParamPipe } from '../common/id-param.pipe.js';
import { IdempotencyExempt } from '../idempotency/idempotency-exempt.decorator.js';
import { ApiKeysService } from './api-keys.service.js';
import { ListQueryDto } from '../common/list-query.dto.js';
import type { Page } from '../common/pagination.js';
import { ApiKeyListResponse, type ApiKeyResponse, CreatedApiKeyResponse } from './dto/api-key.response.js';
import { IssueApiKeyDto } from './dto/issue-api-key.dto.js';
import { CurrentPrincipal } from './principal.decorator.js';
import { ownMerchant, type Principal } from './principal.js';
import { PeopleOnly, Roles } from './roles.decorator.js';

@ApiTags('admin')
@ApiCookieAuth('session')
@ApiBearerAuth()
@Roles(['admin'])
@ApiErrors(401, 429, 500)
@Controller('v1/admin')
export class ApiKeysController {
  constructor(private readonly apiKeys: ApiKeysService) {}

  @Post('merchants/:id/api-keys')
  @HttpCode(201)
  @IdempotencyExempt()
  @ApiOperation({
    summary: 'Issue an API key for a merchant (the key is shown this once)',
    description: 'A live key (`sk_live_…`) unless the body says `{"mode": "test"}` (`sk_test_…`); no body at all is a live key.',
  })
  @ApiParam({ name: 'id', example: 'mer_01JDQ3R6X8M2K9V4T7B5N1C0AZ' })
  @ApiBody({ type: IssueApiKeyDto, required: false })
  @ApiCreatedResponse({ type: CreatedApiKeyResponse, description: 'The key, shown this once' })
  @ApiErrors(invalid('mode', 'mode must be "test" or "live"'), 403, missing('merchant'), 413)
  issue(@Param('id', new IdParamPipe('merchant', 'merchant')) merchantId: string, @Body() body: IssueApiKeyDto): Promise<CreatedApiKeyResponse> {
    return this.apiKeys.issue(merchantId, body.mode);
  }

  @Get('merchants/:id/api-keys')
  @ApiOperation({ summary: "A merchant's API keys, newest first", description: 'Revoked keys included; never a key itself, only its prefix. Keyset pages: pass `next_cursor` back as `cursor`.' })
  @ApiParam({ name: 'id', example: 'mer_01JDQ3R6X8M2K9V4T7B5N1C0AZ' })
  @ApiOkResponse({ type: ApiKeyListResponse, description: 'A page of keys' })
  @ApiErrors(invalid('limit', 'limit must be an integer from 1 to 100 (got 0)'), 403, missing('merchant'))
  async list(@Param('id', new IdParamPipe('merchant', 'merchant')) merchantId: string, @Query() query: ListQueryDto): Promise<Page<ApiKeyResponse>> {
    return this.apiKeys.listOfMerchant(merchantId, query);
  }

  @Delete('api-keys/:id')
  @HttpCode(204)
  @ApiOperation({ summary: 'Revoke a merchant API key; it stops working at once', description: 'Every instance refuses the key within moments (a revocation is announced to them); revoking twice is harmless. The generated admin key cannot be revoked here.' })
  @ApiParam({ name: 'id', example: 'key_01JDQ3R6X8M2K9V4T7B5N1C0AZ' })
  @ApiNoContentResponse({ description: 'Revoked' })
  @ApiErrors(403, missing('API key'))
  async revoke(@Param('id', new IdParamPipe('apiKey', 'API key')) id: string): Promise<void> {
    await this.apiKeys.revoke(id);
  }
}

/** A merchant admin signed in manages its own merchant's keys; keys cannot make keys. */
@ApiTags('people')
@ApiCookieAuth('session')
@PeopleOnly(['merchant_admin'])
@ApiErrors(401, 429, 500)
@Controller('v1/api-keys')
export class MerchantApiKeysController {
  constructor(private readonly apiKeys: ApiKeysService) {}

  @Post()
  @HttpCode(201)
  @IdempotencyExempt()
  @ApiOperation({ summary: 'Issue a key for your merchant (shown this once)', description: 'For a merchant admin signed in. A live key unless the body says `{"mode": "test"}`.' })
  @ApiBody({ type: IssueApiKeyDto, required: false })
  @ApiCreatedResponse({ type: CreatedApiKeyResponse, description: 'The key, shown this once' })
  @ApiErrors(invalid('mode', 'mode must be "test" or "live"'), 403, 413)
  issue(@CurrentPrincipal() principal: Principal, @Body() body: IssueApiKeyDto): Promise<CreatedApiKeyResponse> {
    return this.apiKeys.issue(ownMerchant(principal), body.mode);
  }

  @Get()
  @ApiOperation({ summary: "Your merchant's keys, newest first", description: 'Revoked keys included; never a key itself, only its prefix.' })
  @ApiOkResponse({ type: ApiKeyListResponse, description: 'A page of keys' })
  @ApiErrors(invalid('limit', 'limit must be an integer from 1 to 100 (got 0)'), 403)
  list(@CurrentPrincipal() principal: Principal, @Query() query: ListQueryDto): Promise<Page<ApiKeyResponse>> {
    return this.apiKeys.list(ownMerchant(principal), query);
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiOperation({ summary: 'Revoke a key of your merchant', description: "It stops working at once on every instance; revoking twice is harmless. Another merchant's key is a 404." })
  @ApiParam({ name: 'id', example: 'key_01JDQ3R6X8M2K9V4T7B5N1C0AZ' })
  @ApiNoContentResponse({ description: 'Revoked' })
  @ApiErrors(403, missing('API key'))
  async revoke(@CurrentPrincipal() principal: Principal, @Param('id', new IdParamPipe('apiKey', 'API key')) id: string): Promise<void> {
    await this.apiKeys.revoke(id, ownMerchant(principal));
  }
}
