import { Body, Controller, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiCookieAuth, ApiCreatedResponse, ApiHeader, ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal } from '../auth/principal.decorator.js';
import type { Principal } from '../auth/principal.js';
import { ApiErrors, invalid, missing, wrongState } from '../common/api-errors.decorator.js';
import { CurrentIdempotencyClaim, IdempotencyReclaimable, type IdempotencyClaim } from '../idempotency/idempotency-reclaim.decorator.js';
import { CreateRefundDto } from './dto/payment-actions.dto.js';
import { RefundListResponse, RefundResponse } from './dto/refund.response.js';
import { IDEMPOTENCY_HEADER, paymentId } from './payments.controller.js';
import { RefundsService } from './refunds.service.js';

@ApiTags('payments')
@ApiCookieAuth('session')
@ApiBearerAuth()
@ApiErrors(401, 429, 500)
@Controller('v1/payments/:id/refunds')
export class RefundsController {
  constructor(private readonly refunds: RefundsService) {}

  @Post()
  @HttpCode(201)
  @ApiOperation({
    summary: 'Refund all or part of a captured payment',
    description: 'Several partial refunds are fine; together they never exceed `amount_captured`, even when sent concurrently.',
  })
  @ApiParam({ name: 'id', example: 'pay_01JDQ3R6X8M2K9V4T7B5N1C0AZ' })
  @ApiHeader(IDEMPOTENCY_HEADER)
  @ApiCreatedResponse({ type: RefundResponse, description: 'The refund' })
  @ApiErrors(
    invalid('amount', 'amount exceeds what is left to refund (750)', 'amount_too_large'),
    missing('payment'),
    409,
    wrongState('A payment that is authorized cannot be refunded'),
    413,
    422,
  )
  @IdempotencyReclaimable()
  create(
    @CurrentPrincipal() principal: Principal,
    @Param('id', paymentId()) id: string,
    @Body() body: CreateRefundDto,
    @CurrentIdempotencyClaim() claim: IdempotencyClaim | undefined,
  ): Promise<RefundResponse> {
    return this.refunds.create(principal, id, body, claim);
  }

  @Get()
  @ApiOperation({ summary: "A payment's refunds, oldest first", description: 'Each refund with its status: `succeeded`, `failed` (the amount is refundable again) or `pending` (the bank\'s answer is awaited).' })
  @ApiParam({ name: 'id', example: 'pay_01JDQ3R6X8M2K9V4T7B5N1C0AZ' })
  @ApiOkResponse({ type: RefundListResponse, description: "The payment's refunds" })
  @ApiErrors(missing('payment'))
  async list(@CurrentPrincipal() principal: Principal, @Param('id', paymentId()) id: string): Promise<RefundListResponse> {
    return { data: await this.refunds.list(principal, id) };
  }
}
