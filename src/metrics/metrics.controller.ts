import { Controller, Get, Headers, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { timingSafeEqual } from 'node:crypto';
import { Public } from '../auth/roles.decorator.js';
import { ApiErrors } from '../common/api-errors.decorator.js';
import { GatewayError } from '../common/errors.js';
import { AppConfig } from '../config/config.js';
import { MetricsService } from './metrics.service.js';

@ApiTags('operations')
@Public()
@Controller('metrics')
export class MetricsController {
  constructor(
    private readonly metrics: MetricsService,
    private readonly config: AppConfig,
  ) {}

  @Get()
  @ApiBearerAuth()
  @ApiOperation({ summary: 'Prometheus metrics (bearer METRICS_TOKEN when it is set)', description: 'Requests, latencies, payments by outcome, acquirers\' health, webhook deliveries, the database pool and Node\'s runtime, in Prometheus text format.' })
  @ApiOkResponse({ description: 'Prometheus text format' })
  @ApiErrors({ code: 'api_key_invalid', message: 'Send "Authorization: Bearer <METRICS_TOKEN>"' })
  async scrape(
    @Headers('authorization') authorization: string | undefined,
    @Res({ passthrough: true }) response: Response,
  ): Promise<string> {
    const token = this.config.metricsToken;
    if (token !== undefined) {
      const given = Buffer.from(/^Bearer +(\S+)$/i.exec(authorization ?? '')?.[1] ?? '');
      const expected = Buffer.from(token);
      if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
        throw new GatewayError('api_key_invalid', 'Send "Authorization: Bearer <METRICS_TOKEN>"');
      }
    }
    const text = await this.metrics.render();
    // Set only on success (not with @Header, which Nest applies before the handler runs): a
    // refusal keeps the contract's JSON error body and its application/json type.
    response.type('text/plain; version=0.0.4; charset=utf-8');
    return text;
  }
}
