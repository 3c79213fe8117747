// The minimal NestJS reference of the bench: the same stack as the gateway (Nest + Express, global
// ValidationPipe with the gateway's own create DTO, TypeORM repository, a guard with a cached key
// check, one error filter for the contract's error shape, X-Request-Id) serving the two measured
// routes, and nothing else: no bank (only its latency, BANK_SIMULATOR_LATENCY_MS, as the
// gateway's simulator takes), no events, no idempotency, no metrics, no logs.
// What it does and does not do compared with the gateway: docs/performance.md.
import {
  ArgumentsHost, Body, CanActivate, Catch, Controller, ExceptionFilter, ExecutionContext, Get, HttpCode,
  HttpException, Injectable, Module, NotFoundException, Param, Post, Req, UnauthorizedException, UseGuards,
  ValidationError, ValidationPipe,
} from '@nestjs/common';
import { APP_FILTER, APP_PIPE } from '@nestjs/core';
import { InjectRepository, TypeOrmModule } from '@nestjs/typeorm';
import { createHash } from 'node:crypto';
import type { Request, Response } from 'express';
import { IsNull, Repository } from 'typeorm';
import { newId, isId } from '../../src/common/ids.js';
import { CreatePaymentDto } from '../../src/payments/dto/create-payment.dto.js';
import { cardFingerprint, cardNumberProblem, cvvLength, detectBrand, isExpired, normalizeCardNumber } from '../../src/payments/rules/card.js';
import { ReferenceApiKey, ReferencePayment } from './payment.entity.js';

const SIMULATOR_ACQUIRER_ID = 'acq_00000000000000000000000000';
const fingerprintSecret = process.env.CARD_FINGERPRINT_SECRET || 'dev-only-card-fingerprint-secret-change-me';
const bankLatencyMs = Number(process.env.BANK_SIMULATOR_LATENCY_MS ?? 0);
const ERROR_TYPES: Record<number, string> = { 400: 'invalid_request_error', 401: 'authentication_error', 404: 'not_found_error' };

class ContractError extends HttpException {
  constructor(status: number, readonly code: string, message: string, readonly param: string | null = null) {
    super(message, status);
  }
}

type Authenticated = Request & { merchantId: string };

@Injectable()
class KeyGuard implements CanActivate {
  private readonly cache = new Map<string, { merchantId: string; until: number }>();

  constructor(@InjectRepository(ReferenceApiKey) private readonly keys: Repository<ReferenceApiKey>) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<Authenticated>();
    const match = /^Bearer +(\S+)$/i.exec(request.headers.authorization ?? '');
    if (!match) throw new UnauthorizedException('Invalid API key');
    const hash = createHash('sha256').update(match[1]).digest('hex');
    let entry = this.cache.get(hash);
    if (!entry || entry.until < Date.now()) {
      const key = await this.keys.findOneBy({ keyHash: hash, revokedAt: IsNull(), role: 'merchant' });
      if (!key?.merchantId) throw new UnauthorizedException('Invalid API key');
      entry = { merchantId: key.merchantId, until: Date.now() + 5000 };
      this.cache.set(hash, entry);
    }
    request.merchantId = entry.merchantId;
    return true;
  }
}

function toResponse(p: ReferencePayment) {
  return {
    id: p.id, merchant_id: p.merchantId, status: p.status, amount: p.amount, currency: p.currency,
    amount_captured: p.amountCaptured, amount_refunded: p.amountRefunded,
    card: {
      brand: p.cardBrand, last4: p.cardLast4, bin: p.cardBin, expiry_month: p.cardExpiryMonth,
      expiry_year: p.cardExpiryYear, holder_name: p.cardHolderName, fingerprint: p.cardFingerprint,
    },
    bank_reference: p.bankReference, acquirer_id: p.acquirerId, livemode: true, decline_code: p.declineCode,
    failure_reason: p.failureReason, reference: p.reference, description: p.description, metadata: p.metadata,
    history_status: p.historyStatus, created_at: p.createdAt.toISOString(), updated_at: p.updatedAt.toISOString(),
  };
}

@Controller('v1/payments')
@UseGuards(KeyGuard)
class PaymentsController {
  constructor(@InjectRepository(ReferencePayment) private readonly payments: Repository<ReferencePayment>) {}

  /** Validated, then written once as already captured (or authorised): no pending step, no bank but its latency. */
  @Post()
  @HttpCode(201)
  async create(@Req() request: Authenticated, @Body() body: CreatePaymentDto) {
    const now = new Date();
    const problem = cardNumberProblem(body.card.number);
    if (problem) throw new ContractError(400, 'card_number_invalid', problem, 'card.number');
    const digits = normalizeCardNumber(body.card.number)!;
    if (isExpired(body.card.expiry_month, body.card.expiry_year, now)) {
      throw new ContractError(400, 'card_expired', 'The card has expired', 'card.expiry_month');
    }
    const brand = detectBrand(digits);
    if (body.card.cvv.length !== cvvLength(brand)) throw new ContractError(400, 'parameter_invalid', `card.cvv must be ${cvvLength(brand)} digits`, 'card.cvv');
    const capture = body.capture ?? true;
    // A bank that takes as long to answer as the gateway's simulator, and does nothing else.
    if (bankLatencyMs > 0) await new Promise((resolve) => setTimeout(resolve, bankLatencyMs));
    const payment = this.payments.create({
      id: newId('payment'), merchantId: request.merchantId, status: capture ? 'captured' : 'authorized', historyStatus: 'active',
      amount: body.amount, currency: body.currency, captureRequested: capture, amountCaptured: capture ? body.amount : 0,
      amountRefunded: 0, cardBrand: brand, cardBin: digits.slice(0, 6), cardLast4: digits.slice(-4),
      cardExpiryMonth: body.card.expiry_month, cardExpiryYear: body.card.expiry_year, cardHolderName: body.card.holder_name ?? null,
      cardFingerprint: cardFingerprint(fingerprintSecret, digits), bankReference: newId('bankReference'),
      acquirerId: SIMULATOR_ACQUIRER_ID, declineCode: null, failureReason: null, reference: body.reference ?? null,
      description: body.description ?? null, metadata: body.metadata ?? {}, createdAt: now, updatedAt: now,
    });
    await this.payments.insert(payment);
    return toResponse(payment);
  }

  @Get(':id')
  async get(@Req() request: Authenticated, @Param('id') id: string) {
    const payment = isId('payment', id) ? await this.payments.findOneBy({ id, merchantId: request.merchantId }) : null;
    if (!payment) throw new NotFoundException('No such payment');
    return toResponse(payment);
  }
}

@Controller('health')
class HealthController {
  constructor(@InjectRepository(ReferenceApiKey) private readonly keys: Repository<ReferenceApiKey>) {}

  @Get('ready')
  async ready() {
    await this.keys.query('SELECT 1');
    return { status: 'ok' };
  }
}

/** The first failing field, as the contract's `param` (dotted) and code. */
function validationError(errors: ValidationError[], prefix = ''): ContractError {
  const [error] = errors;
  const param = prefix + error.property;
  if (error.children?.length) return validationError(error.children, `${param}.`);
  const constraints = error.constraints ?? {};
  if (constraints.whitelistValidation) return new ContractError(400, 'parameter_unknown', `Unknown parameter: ${param}`, param);
  if (error.value === undefined) return new ContractError(400, 'parameter_missing', `Missing required parameter: ${param}`, param);
  return new ContractError(400, 'parameter_invalid', Object.values(constraints)[0] ?? `${param} is invalid`, param);
}

@Catch()
class ErrorFilter implements ExceptionFilter {
  catch(exception: unknown, host: ArgumentsHost): void {
    const response = host.switchToHttp().getResponse<Response>();
    const status = exception instanceof HttpException ? exception.getStatus() : 500;
    if (status === 500) console.error(exception);
    const known = exception instanceof ContractError;
    const code = known ? exception.code : status === 404 ? 'resource_missing' : status === 401 ? 'api_key_invalid' : status === 400 ? 'invalid_json' : 'internal_error';
    response.status(status).json({
      error: {
        type: ERROR_TYPES[status] ?? 'api_error', code, message: status === 500 ? 'Something went wrong on our side' : (exception as Error).message,
        param: known ? exception.param : null, request_id: response.getHeader('x-request-id'),
      },
    });
  }
}

@Module({
  imports: [
    TypeOrmModule.forRoot({
      type: 'postgres',
      url: process.env.DATABASE_URL,
      entities: [ReferencePayment, ReferenceApiKey],
      poolSize: Number(process.env.DATABASE_POOL_SIZE || 10),
      extra: { connectionTimeoutMillis: 5000, application_name: 'bench-nest-reference' },
    }),
    TypeOrmModule.forFeature([ReferencePayment, ReferenceApiKey]),
  ],
  controllers: [PaymentsController, HealthController],
  providers: [
    KeyGuard,
    { provide: APP_FILTER, useClass: ErrorFilter },
    {
      provide: APP_PIPE,
      useValue: new ValidationPipe({
        whitelist: true,
        forbidNonWhitelisted: true,
        transform: true,
        exceptionFactory: (errors) => validationError(errors),
      }),
    },
  ],
})
export class ReferenceModule {}


