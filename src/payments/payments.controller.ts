import { Body, Controller, Get, HttpCode, Param, Post, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiCookieAuth, ApiCreatedResponse, ApiHeader, ApiOkResponse, ApiOperation, ApiParam, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { once } from 'node:events';
import { CurrentPrincipal } from '../auth/principal.decorator.js';
import type { Principal } from '../auth/principal.js';
import { ApiErrors, invalid, missing, wrongState } from '../common/api-errors.decorator.js';
import { IdParamPipe } from '../common/id-param.pipe.js';
import { CurrentIdempotencyClaim, IdempotencyReclaimable, type IdempotencyClaim } from '../idempotency/idempotency-reclaim.decorator.js';
import { CreatePaymentDto } from './dto/create-payment.dto.js';
import { ListPaymentsQuery } from './dto/list-payments.query.js';
import { CapturePaymentDto, PaymentEventListResponse } from './dto/payment-actions.dto.js';
import { PaymentAttemptListResponse } from './dto/payment-attempt.response.js';
import { PaymentSummaryQuery, PaymentSummaryResponse } from './dto/payment-summary.dto.js';
import { PaymentListResponse, PaymentResponse } from './dto/payment.response.js';
import { CSV_COLUMNS, csvLine, csvRow } from './payments-csv.js';
import { PaymentsService } from './payments.service.js';

export const IDEMPOTENCY_HEADER = {
  name: 'Idempotency-Key',
  required: false,
  description:
    'Retry safely: the same key (≤ 255 characters, per merchant) with the same request replays the first response ' +
    '(`Idempotent-Replayed: true`); 409 while the first is in flight; 422 with another body or path.',
};

export const paymentId = () => new IdParamPipe('payment', 'payment');

@ApiTags('payments')
@ApiCookieAuth('session')
@ApiBearerAuth()
@ApiErrors(401, 429, 500)
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
  @ApiHeader(IDEMPOTENCY_HEADER)
  @ApiCreatedResponse({ type: PaymentResponse, description: 'The payment' })
  @ApiErrors(
    invalid('card.number', 'card.number fails the Luhn check', 'card_number_invalid'),
    invalid('card.expiry_month', 'The card expired at the end of 01/2020', 'card_expired'),
    invalid('merchant_id', 'No such merchant: mer_01JDQ3R6X8M2K9V4T7B5N1C0AZ'),
    409,
    413,
    422,
  )
  @IdempotencyReclaimable()
  create(
    @CurrentPrincipal() principal: Principal,
    @Body() body: CreatePaymentDto,
    @CurrentIdempotencyClaim() claim: IdempotencyClaim | undefined,
  ): Promise<PaymentResponse> {
    return this.payments.create(principal, body, claim);
  }

  @Get()
  @ApiOperation({ summary: 'List payments, newest first (keyset pagination)', description: 'Filters combine. A merchant key lists its own payments of its own mode; the admin key every merchant\'s, of both modes unless `livemode` says. Archived payments are left out unless `history_status=archived`.' })
  @ApiOkResponse({ type: PaymentListResponse, description: 'A page of payments' })
  @ApiErrors(invalid('limit', 'limit must be an integer from 1 to 100 (got 0)'), invalid('cursor', 'cursor is not a cursor this API returned'))
  list(@CurrentPrincipal() principal: Principal, @Query() query: ListPaymentsQuery): Promise<PaymentListResponse> {
    return this.payments.list(principal, query);
  }

  @Get('summary')
  @ApiOperation({
    summary: 'Totals for a dashboard: volume per currency, counts per status, approval rate, per UTC day',
    description:
      'Over the payments the filters select (archived ones included): approved volume per currency (authorised, captured, voided or refunded: the bank said yes), counts per status, approved ÷ (approved + declined), and the same per UTC day. Scoped like the list.',
  })
  @ApiOkResponse({ type: PaymentSummaryResponse, description: 'The totals' })
  @ApiErrors(invalid('created_gte', 'created_gte must be an ISO 8601 date-time such as 2026-11-25T14:03:11.123Z (with seconds, up to 3 decimals and Z or ±HH:MM) or a date such as 2026-11-25'))
  summary(@CurrentPrincipal() principal: Principal, @Query() query: PaymentSummaryQuery): Promise<PaymentSummaryResponse> {
    return this.payments.summary(principal, query);
  }

  @Get('export.csv')
  @ApiOperation({
    summary: 'Every payment the list filters match, as CSV (streamed, newest first)',
    description: 'Columns: ' + CSV_COLUMNS.join(', ') + '. `limit` and `cursor` are ignored. No card data beyond the last four digits.',
  })
  @ApiProduces('text/csv')
  @ApiOkResponse({ description: 'text/csv', schema: { type: 'string' } })
  @ApiErrors(invalid('status', 'status must be one of the following values: pending, authorized, captured, declined, failed, voided, partially_refunded, refunded'))
  async exportCsv(@CurrentPrincipal() principal: Principal, @Query() query: ListPaymentsQuery, @Res() response: Response): Promise<void> {
    const pages = this.payments.exportAll(principal, query);
    // The first page is read before the headers go out: a bad filter still gets the error body.
    const first = await pages.next();
    response.status(200);
    response.setHeader('Content-Type', 'text/csv; charset=utf-8');
    response.setHeader('Content-Disposition', 'attachment; filename="payments.csv"');
    response.write(csvLine(CSV_COLUMNS));
    try {
      if (!first.done) response.write(first.value.map(csvRow).join(''));
      for await (const page of pages) {
        if (!response.write(page.map(csvRow).join(''))) await once(response, 'drain');
      }
    } catch (error) {
      // Headers are gone: all that is left is to cut the response, so the file is visibly incomplete.
      response.destroy(error as Error);
      return;
    }
    response.end();
  }

  @Get(':id')
  @ApiOperation({ summary: 'Retrieve a payment', description: 'Another merchant\'s payment, or an id of the wrong shape, is a 404, never a 403.' })
  @ApiParam({ name: 'id', example: 'pay_01JDQ3R6X8M2K9V4T7B5N1C0AZ' })
  @ApiOkResponse({ type: PaymentResponse, description: 'The payment' })
  @ApiErrors(missing('payment'))
  get(@CurrentPrincipal() principal: Principal, @Param('id', paymentId()) id: string): Promise<PaymentResponse> {
    return this.payments.get(principal, id);
  }

  @Post(':id/capture')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Capture an authorised payment',
    description: 'All of it, or part (`amount` ≤ the authorised amount). A payment is captured once; the rest of the hold is released.',
  })
  @ApiParam({ name: 'id', example: 'pay_01JDQ3R6X8M2K9V4T7B5N1C0AZ' })
  @ApiHeader(IDEMPOTENCY_HEADER)
  @ApiOkResponse({ type: PaymentResponse, description: 'The payment' })
  @ApiErrors(
    invalid('amount', 'amount exceeds the authorised amount (1800)', 'amount_too_large'),
    missing('payment'),
    409,
    wrongState('A payment that is captured cannot be captured'),
    413,
    422,
  )
  @IdempotencyReclaimable()
  capture(
    @CurrentPrincipal() principal: Principal,
    @Param('id', paymentId()) id: string,
    @Body() body: CapturePaymentDto,
    @CurrentIdempotencyClaim() claim: IdempotencyClaim | undefined,
  ): Promise<PaymentResponse> {
    return this.payments.capture(principal, id, body.amount, claim);
  }

  @Post(':id/void')
  @HttpCode(200)
  @ApiOperation({ summary: 'Void an authorisation before capture', description: 'Releases the held funds of an `authorized` payment at the acquirer that authorised it. Safe to retry with the same `Idempotency-Key`.' })
  @ApiParam({ name: 'id', example: 'pay_01JDQ3R6X8M2K9V4T7B5N1C0AZ' })
  @ApiHeader(IDEMPOTENCY_HEADER)
  @ApiOkResponse({ type: PaymentResponse, description: 'The payment' })
  @ApiErrors(missing('payment'), 409, wrongState('A payment that is captured cannot be voided'), 422)
  @IdempotencyReclaimable()
  void(
    @CurrentPrincipal() principal: Principal,
    @Param('id', paymentId()) id: string,
    @CurrentIdempotencyClaim() claim: IdempotencyClaim | undefined,
  ): Promise<PaymentResponse> {
    return this.payments.void(principal, id, claim);
  }

  @Get(':id/events')
  @ApiOperation({ summary: "A payment's history, oldest first", description: 'Every change of the payment, in commit order, each with the payment (or the refund) as it was right after it: the same events that webhooks deliver.' })
  @ApiParam({ name: 'id', example: 'pay_01JDQ3R6X8M2K9V4T7B5N1C0AZ' })
  @ApiOkResponse({ type: PaymentEventListResponse, description: "The payment's events" })
  @ApiErrors(missing('payment'))
  async events(@CurrentPrincipal() principal: Principal, @Param('id', paymentId()) id: string): Promise<PaymentEventListResponse> {
    return { data: await this.payments.events(principal, id) };
  }

  @Get(':id/attempts')
  @ApiOperation({ summary: "A payment's tries at its acquirers, oldest first", description: 'One attempt per call to an acquirer (authorisation, capture, void, refund, lookup, reversal), with its outcome: how a failover happened, or why a payment is pending.' })
  @ApiParam({ name: 'id', example: 'pay_01JDQ3R6X8M2K9V4T7B5N1C0AZ' })
  @ApiOkResponse({ type: PaymentAttemptListResponse, description: "The payment's attempts" })
  @ApiErrors(missing('payment'))
  async attempts(@CurrentPrincipal() principal: Principal, @Param('id', paymentId()) id: string): Promise<PaymentAttemptListResponse> {
    return { data: await this.payments.attempts(principal, id) };
  }
}
