import { Body, Controller, HttpCode, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiCookieAuth, ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { Roles } from '../auth/roles.decorator.js';
import { ApiErrors, invalid, missing, wrongState } from '../common/api-errors.decorator.js';
import { IdParamPipe } from '../common/id-param.pipe.js';
import { IdempotencyReclaimable } from '../idempotency/idempotency-reclaim.decorator.js';
import { ArchivedCountResponse, ArchivePaymentsDto } from './dto/archive-payments.dto.js';
import { PaymentResponse } from './dto/payment.response.js';
import { PaymentsService } from './payments.service.js';

@ApiTags('admin')
@ApiCookieAuth('session')
@ApiBearerAuth()
@Roles(['admin'])
@ApiErrors(401, 429, 500)
@Controller('v1/admin/payments')
export class AdminPaymentsController {
  constructor(private readonly payments: PaymentsService) {}

  @Post('archive')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Archive every payment created before a date',
    description: 'Skips pending and authorised payments, and those already archived: a second call returns 0.',
  })
  @ApiOkResponse({ type: ArchivedCountResponse, description: 'How many payments were archived' })
  @ApiErrors(invalid('created_lt', 'created_lt must be an ISO 8601 date-time such as 2026-11-25T14:03:11.123Z (with seconds, up to 3 decimals and Z or ±HH:MM) or a date such as 2026-11-25'), 403, 409, 413, 422)
  async archiveBefore(@Body() body: ArchivePaymentsDto): Promise<ArchivedCountResponse> {
    return { archived: await this.payments.archiveBefore(body.created_lt, body.merchant_id) };
  }

  @Post(':id/archive')
  @HttpCode(200)
  @ApiOperation({ summary: 'Archive a payment', description: 'Hidden from lists unless asked for; still readable by id.' })
  @ApiParam({ name: 'id', example: 'pay_01JDQ3R6X8M2K9V4T7B5N1C0AZ' })
  @ApiOkResponse({ type: PaymentResponse, description: 'The payment' })
  @ApiErrors(403, missing('payment'), 409, wrongState('A payment that is authorized cannot be archived'), 422)
  // Archiving an archived payment changes nothing and answers the same: safe to run again.
  @IdempotencyReclaimable()
  archive(@Param('id', new IdParamPipe('payment', 'payment')) id: string): Promise<PaymentResponse> {
    return this.payments.archive(id);
  }
}
