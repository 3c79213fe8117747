import { Body, Controller, Delete, HttpCode, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiCreatedResponse, ApiNoContentResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { ApiErrors, invalid, missing } from '../common/api-errors.decorator.js';
import { IdParamPipe } from '../common/id-param.pipe.js';
import { IdempotencyExempt } from '../idempotency/idempotency-exempt.decorator.js';
import { ApiKeysService } from './api-keys.service.js';
import { CreatedApiKeyResponse } from './dto/api-key.response.js';
import { IssueApiKeyDto } from './dto/issue-api-key.dto.js';
import { Roles } from './roles.decorator.js';

@ApiTags('admin')
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
