import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiHeader, ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal } from '../auth/principal.decorator.js';
import type { Principal } from '../auth/principal.js';
import { ApiErrors } from '../common/api-errors.decorator.js';
import { IdParamPipe } from '../common/id-param.pipe.js';
import { CreatePaymentDto } from './dto/create-payment.dto.js';
import { ListPaymentsQuery } from './dto/list-payments.query.js';
import { PaymentListResponse, PaymentResponse } from './dto/payment.response.js';
import { PaymentsService } from './payments.service.js';

@ApiTags('payments')
@ApiBearerAuth()
@Controller('v1/payments')
export class PaymentsController {
  constructor(private readonly payments: PaymentsService) {}

  @Post()
  @HttpCode(201)
  @ApiOperation({
    summary: 'Create a payment',
    description:
      'Charges a card through the bank. `201` whatever the bank said: a decline is a processed payment. ' +
      'A merchant key pays for its own merchant; the admin key must name `merchant_id`.',
  })
  @ApiHeader({ name: 'Idempotency-Key', required: false, description: 'Retry safely with the same key (≤ 255 characters).' })
  @ApiCreatedResponse({ type: PaymentResponse })
  @ApiErrors(400, 401, 413)
  create(@CurrentPrincipal() principal: Principal, @Body() body: CreatePaymentDto): Promise<PaymentResponse> {
    return this.payments.create(principal, body);
  }

  @Get()
  @ApiOperation({ summary: 'List payments, newest first (keyset pagination)' })
  @ApiOkResponse({ type: PaymentListResponse })
  @ApiErrors(400, 401)
  list(@CurrentPrincipal() principal: Principal, @Query() query: ListPaymentsQuery): Promise<PaymentListResponse> {
    return this.payments.list(principal, query);
  }

  @Get(':id')
  @ApiOperation({ summary: 'Retrieve a payment' })
  @ApiParam({ name: 'id', example: 'pay_01JDQ3R6X8M2K9V4T7B5N1C0AZ' })
  @ApiOkResponse({ type: PaymentResponse })
  @ApiErrors(401, 404)
  get(@CurrentPrincipal() principal: Principal, @Param('id', new IdParamPipe('payment', 'payment')) id: string): Promise<PaymentResponse> {
    return this.payments.get(principal, id);
  }
}
