import { Body, Controller, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiHeader, ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal } from '../auth/principal.decorator.js';
import type { Principal } from '../auth/principal.js';
import { ApiErrors } from '../common/api-errors.decorator.js';
import { CurrentIdempotencyClaim, IdempotencyReclaimable, type IdempotencyClaim } from '../idempotency/idempotency-reclaim.decorator.js';
import { CreateRefundDto } from './dto/payment-actions.dto.js';
import { RefundListResponse, RefundResponse } from './dto/refund.response.js';
import { IDEMPOTENCY_HEADER, paymentId } from './payments.controller.js';
import { RefundsService } from './refunds.service.js';

@ApiTags('payments')
@ApiBearerAuth()
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
  @ApiCreatedResponse({ type: RefundResponse })
  @ApiErrors(400, 401, 404, 409, 422)
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
  @ApiOperation({ summary: "A payment's refunds, oldest first" })
  @ApiParam({ name: 'id', example: 'pay_01JDQ3R6X8M2K9V4T7B5N1C0AZ' })
  @ApiOkResponse({ type: RefundListResponse })
  @ApiErrors(401, 404)
  async list(@CurrentPrincipal() principal: Principal, @Param('id', paymentId()) id: string): Promise<RefundListResponse> {
    return { data: await this.refunds.list(principal, id) };
  }
}
